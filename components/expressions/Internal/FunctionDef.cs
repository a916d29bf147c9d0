using Ocht.Values;

namespace Ocht.Expressions;

internal delegate Value Applier(ReadOnlySpan<Value> args);

/// <summary>A registered operator: its spec, its reference semantics, and optionally a faster evaluator.</summary>
internal sealed class FunctionDef(FunctionSpec spec, Applier? apply, Func<Evaluator[], Evaluator?>? specialize = null)
{
    public FunctionSpec Spec { get; } = spec;

    /// <summary>Strict semantics over evaluated arguments; null for lazy forms (and, or, if, coalesce).</summary>
    public Applier? Apply { get; } = apply;

    /// <summary>A specialised evaluator for these arguments, or null to use the generic one.</summary>
    public Func<Evaluator[], Evaluator?>? Specialize { get; } = specialize;

    public bool IsLazy => Apply is null;
}
