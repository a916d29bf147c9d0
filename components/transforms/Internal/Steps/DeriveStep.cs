using System.Runtime.CompilerServices;
using System.Buffers;
using Ocht.Document;
using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Transforms;

internal static class DeriveStep
{
    public static readonly ComponentSpec Spec = new("step", "derive", "Adds or replaces fields, evaluated in order: a later field may use an earlier one. New fields go at the end; replaced ones keep their place.",
    [
        new OptionSpec("fields", OptionType.ExpressionMap, "field name to expression, in order") { Required = true },
    ])
    {
        Example = """{ "op": "derive", "fields": { "total": ["round", ["*", ":quantity", ":unit_price"], 2] } }""",
    };

    public static StepDefinition? Compile(StepSource s)
    {
        var fields = s.Options.Map("fields");
        if (fields.Count == 0) s.Diagnostics.Add(s.At("fields"), "\"fields\" needs at least one field");
        var scope = s.Input;
        var names = new List<string>();
        var exprs = new List<CompiledExpr>();
        foreach (var (name, node) in fields)
        {
            if (name.Length == 0) { s.Diagnostics.Add(node, "a derived field needs a name"); continue; }
            var expr = Expressions.Expressions.Parse(node, s.Diagnostics, scope);
            var compiled = expr is null ? null : Expressions.Expressions.Compile(expr, s.Diagnostics);
            scope = scope.With([name]);
            if (compiled is null) continue;
            names.Add(name);
            exprs.Add(compiled);
        }
        if (names.Count != fields.Count) return null;
        string summary = string.Join(", ", names.Select((n, i) => $"{n} = {exprs[i]}"));
        var namesArray = names.ToArray();
        var exprArray = exprs.ToArray();
        return s.Define(scope, StepTraits.Stateless, summary, (d, _) => new Runner(d, namesArray, exprArray),
            after => after is null ? null : after.Except(namesArray).Union(Needs.Of(exprArray)).ToHashSet(StringComparer.Ordinal));
    }

    private sealed class Shape
    {
        public Shape(Schema input, string[] names)
        {
            var all = input.Names.ToList();
            Slots = new int[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                int at = all.IndexOf(names[i]);
                if (at < 0) { at = all.Count; all.Add(names[i]); }
                Slots[i] = at;
            }
            Output = all.Count == input.Width ? input : Schema.Of(all);
            Replaces = Slots.Any(slot => slot < input.Width);
        }

        public Schema Output { get; }
        /// <summary>True when some derived field overwrites an input field.</summary>
        public bool Replaces { get; }
        public int[] Slots { get; }
    }

    private sealed class Runner(StepDefinition definition, string[] names, CompiledExpr[] exprs) : StepRunner(definition)
    {
        private readonly PerSchema<Shape> _shapes = new(schema => new Shape(schema, names));

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Process(Batch input, StepOutput output)
        {
            var inputSchema = input.Schema;
            var shape = _shapes.For(inputSchema);
            int n = input.Count, inWidth = input.Width;
            if (!ReferenceEquals(shape.Output, input.Schema)) input.Widen(shape.Output);
            if (!shape.Replaces && TryDeriveAll(input, shape))
            {
                output.Emit(input);
                return;
            }
            // A rejected record is reported as the step received it, so replaced fields are saved first.
            var saved = shape.Replaces ? new Value[inWidth] : null;
            bool[]? keep = null;
            for (int i = 0; i < n; i++)
            {
                var row = input.RowForUpdate(i);
                if (saved is not null) row[..inWidth].CopyTo(saved);
                int f = 0;
                try
                {
                    for (; f < exprs.Length; f++)
                        row[shape.Slots[f]] = exprs[f].Eval(new Row(shape.Output, row));
                }
                catch (EvalException e)
                {
                    keep ??= KeepAll(n);
                    keep[i] = false;
                    var record = new Record(inputSchema, saved is not null ? (Value[])saved.Clone() : row[..inWidth].ToArray());
                    output.Reject(new Rejection(e.Kind, $"{names[f]}: {e.Message}", input.LineOf(i), record, null, Index, Op));
                }
            }
            if (keep is not null)
            {
                input.Compact(keep.AsSpan(0, n));
                ArrayPool<bool>.Shared.Return(keep);
            }
            output.Emit(input);
        }

        /// <summary>Each field for the whole batch at once, in order (a later field reads the earlier ones'
        /// cells). False when some record fails: the new fields are cleared again, so the row-by-row pass that
        /// follows starts from the records as they came.</summary>
        private bool TryDeriveAll(Batch batch, Shape shape)
        {
            for (int f = 0; f < exprs.Length; f++)
            {
                if (exprs[f].TryEvalInto(batch, shape.Slots[f])) continue;
                // Row by row, an earlier field that reads a later one's name finds it still null (and this
                // field may already hold results for the rows before the one that failed).
                for (int k = 0; k <= f; k++)
                    for (int i = 0; i < batch.Count; i++) batch.RowForUpdate(i)[shape.Slots[k]] = Value.Null;
                return false;
            }
            return true;
        }

        private static bool[] KeepAll(int n)
        {
            var keep = ArrayPool<bool>.Shared.Rent(Math.Max(1, n));
            keep.AsSpan(0, n).Fill(true);
            return keep;
        }
    }
}
