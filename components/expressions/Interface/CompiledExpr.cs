using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>An expression compiled once per run. Thread-safe: batches may be evaluated in parallel.</summary>
public sealed class CompiledExpr
{
    private readonly Evaluator _root;

    internal CompiledExpr(Expr source, Evaluator root)
    {
        Source = source;
        _root = root;
    }

    public Expr Source { get; }

    /// <summary>True when the expression folded to a constant at compile time.</summary>
    public bool IsConstant => _root.IsConstant;

    /// <summary>The field this expression reads when it is a bare field reference.</summary>
    public string? Field => _root.Field;

    /// <summary>Evaluates against one record; throws <see cref="EvalException"/> when the record must be rejected.</summary>
    public Value Eval(in Row row) => _root.Eval(row);

    public Value Eval(Record record) => _root.Eval(Row.Of(record));

    /// <summary>A predicate holds only when the result is exactly true (null and false do not).</summary>
    public bool IsTrue(in Row row)
    {
        var v = _root.Eval(row);
        if (v.Kind == ValueKind.Bool) return v.AsBool;
        if (v.IsNull) return false;
        throw EvalException.Type($"a condition must be true, false or null, but {Source} gave {Show.Value(v)}");
    }

    public override string ToString() => Source.ToJson();
}
