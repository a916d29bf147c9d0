using System.Runtime.CompilerServices;
using System.Buffers;
using Ocht.Document;
using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Transforms;

internal static class FilterStep
{
    public static readonly ComponentSpec Spec = new("step", "filter", "Keeps records for which the condition is exactly true (false and null drop the record).",
    [
        new OptionSpec("where", OptionType.Expression, "the condition") { Required = true },
    ])
    {
        Example = """{ "op": "filter", "where": ["and", ["=", ":status", "paid"], [">=", ":quantity", 5]] }""",
    };

    public static StepDefinition? Compile(StepSource s)
    {
        var where = s.At("where");
        var expr = Expressions.Expressions.Parse(where, s.Diagnostics, s.Input);
        var compiled = expr is null ? null : Expressions.Expressions.Compile(expr, s.Diagnostics);
        if (compiled is null) return null;
        return s.Define(s.Input, StepTraits.Stateless, $"keep where {compiled}", (d, _) => new Runner(d, compiled), Needs.Plus(Needs.Of([compiled])));
    }

    private sealed class Runner(StepDefinition definition, CompiledExpr where) : StepRunner(definition)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Process(Batch input, StepOutput output)
        {
            int n = input.Count;
            var keep = ArrayPool<bool>.Shared.Rent(Math.Max(1, n));
            long dropped = 0;
            bool changed = false;
            if (where.TryTestAll(input, keep))
            {
                for (int i = 0; i < n; i++)
                    if (!keep[i]) dropped++;
                changed = dropped > 0;
            }
            else for (int i = 0; i < n; i++)
            {
                try
                {
                    keep[i] = where.IsTrue(Row.Of(input, i));
                    if (!keep[i]) dropped++;
                }
                catch (EvalException e)
                {
                    keep[i] = false;
                    output.Reject(Reject(input, i, e.Kind, e.Message));
                }
                changed |= !keep[i];
            }
            if (changed) input.Compact(keep.AsSpan(0, n));
            ArrayPool<bool>.Shared.Return(keep);
            output.Drop(dropped);
            output.Emit(input);
        }
    }
}
