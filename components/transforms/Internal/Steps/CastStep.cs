using System.Runtime.CompilerServices;
using System.Buffers;
using Ocht.Document;
using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Transforms;

internal static class CastStep
{
    public static readonly ComponentSpec Spec = new("step", "cast", "Converts fields to a type (int, decimal, float, string, bool, timestamp) by the rules of the conversion functions; a value that does not convert rejects the record (type-error).",
    [
        new OptionSpec("fields", OptionType.TypeMap, "field name to type name") { Required = true },
    ])
    {
        Example = """{ "op": "cast", "fields": { "quantity": "int", "unit_price": "decimal", "ts": "timestamp" } }""",
    };

    public static StepDefinition? Compile(StepSource s)
    {
        var map = s.Options.Map("fields");
        FieldChecks.Known(s, "fields", map.Select(m => m.Key).ToArray());
        foreach (var (_, type) in map)
        {
            if (!type.IsString || !Expressions.Expressions.TypeNames.Contains(type.Text!))
                s.Diagnostics.Add(type, $"unknown type {type.Describe()}; types are {string.Join(", ", Expressions.Expressions.TypeNames)}{(type.IsString ? Suggest.Hint(type.Text!, Expressions.Expressions.TypeNames) : "")}");
        }
        var casts = map.Select(m => (Field: m.Key, Type: m.Value.Text ?? "")).ToArray();
        var slots = new PerSchema<int[]>(schema => casts.Select(c => schema.IndexOf(c.Field)).ToArray());
        string summary = string.Join(", ", casts.Select(c => $"{c.Field}: {c.Type}"));
        return s.Define(s.Input, StepTraits.Stateless, summary, (d, _) => new Runner(d, casts, slots), Needs.Plus(casts.Select(c => c.Field)));
    }

    private sealed class Runner(StepDefinition definition, (string Field, string Type)[] casts, PerSchema<int[]> slots) : StepRunner(definition)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Process(Batch input, StepOutput output)
        {
            var at = slots.For(input.Schema);
            int n = input.Count;
            bool[]? keep = null;
            for (int i = 0; i < n; i++)
            {
                var row = input.RowForUpdate(i);
                var original = casts.Length > 0 ? row.ToArray() : [];
                for (int c = 0; c < casts.Length; c++)
                {
                    int slot = at[c];
                    if (slot < 0) continue;
                    try
                    {
                        row[slot] = Expressions.Expressions.Convert(casts[c].Type, row[slot]);
                    }
                    catch (EvalException e)
                    {
                        if (keep is null)
                        {
                            keep = ArrayPool<bool>.Shared.Rent(Math.Max(1, n));
                            keep.AsSpan(0, n).Fill(true);
                        }
                        keep[i] = false;
                        output.Reject(new Rejection(e.Kind, $"{casts[c].Field}: {e.Message}", input.LineOf(i), new Record(input.Schema, original), null, Index, Op));
                        break;
                    }
                }
            }
            if (keep is not null)
            {
                input.Compact(keep.AsSpan(0, n));
                ArrayPool<bool>.Shared.Return(keep);
            }
            output.Emit(input);
        }
    }
}
