using System.Runtime.CompilerServices;
using Ocht.Document;
using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Transforms;

internal static class LookupStep
{
    public static readonly ComponentSpec Spec = new("step", "lookup", "Left join against a side table loaded once at the start of the run: adds the listed fields of the first matching table record (null when none matches; null keys never match).",
    [
        new OptionSpec("from", OptionType.Connector, "the side table: a source connector object") { Required = true },
        new OptionSpec("on", OptionType.FieldMap, "record field to table field; all must be equal") { Required = true },
        new OptionSpec("fields", OptionType.FieldList, "table fields to add (replacing fields of the same name in place)") { Required = true },
    ])
    {
        Example = """{ "op": "lookup", "from": { "connector": "csv", "path": "countries.csv" }, "on": { "country": "code" }, "fields": ["region"] }""",
    };

    public static StepDefinition? Compile(StepSource s)
    {
        var from = s.At("from");
        var table = s.Context.ValidateTable?.Invoke(from, s.Diagnostics) ?? FieldScope.Unknown;
        var on = s.Options.Map("on").Select(p => (Left: p.Key, Right: p.Value.Text!)).ToArray();
        if (on.Length == 0) s.Diagnostics.Add(s.At("on"), "\"on\" needs at least one pair, e.g. {\"country\": \"code\"}");
        FieldChecks.Known(s, "on", on.Select(p => p.Left).ToArray());
        var fields = s.Options.Strings("fields");
        if (table.IsKnown)
        {
            var onNode = s.At("on");
            foreach (var pair in on)
                if (!table.Has(pair.Right))
                    s.Diagnostics.Add(onNode[pair.Left] ?? onNode, $"the table has no field \"{pair.Right}\"{Suggest.Hint(pair.Right, table.Fields!)} (table fields: {table})");
            var fieldsNode = s.At("fields");
            for (int i = 0; i < fields.Count; i++)
                if (!table.Has(fields[i]))
                    s.Diagnostics.Add(fieldsNode.Items[i], $"the table has no field \"{fields[i]}\"{Suggest.Hint(fields[i], table.Fields!)} (table fields: {table})");
        }
        if (!FieldChecks.Unique(s, "fields", fields)) return null;
        var left = on.Select(p => p.Left).ToArray();
        var right = on.Select(p => p.Right).ToArray();
        var added = fields.ToArray();
        string summary = $"{string.Join(", ", added)} from {from["connector"]?.Text ?? "?"} on {string.Join(", ", on.Select(p => $"{p.Left} = {p.Right}"))}";
        return s.Define(s.Input.With(added), StepTraits.Stateless, summary,
            (d, r) => new Runner(d, left, right, added, r.LoadTable?.Invoke(d) ?? throw new InvalidOperationException("lookup tables cannot be loaded in this context")),
            after => after is null ? null : after.Except(added).Union(left).ToHashSet(StringComparer.Ordinal), from);
    }

    private sealed class Shape
    {
        public Shape(Schema input, string[] added, string[] left)
        {
            var all = input.Names.ToList();
            Slots = new int[added.Length];
            for (int i = 0; i < added.Length; i++)
            {
                int at = all.IndexOf(added[i]);
                if (at < 0) { at = all.Count; all.Add(added[i]); }
                Slots[i] = at;
            }
            Output = all.Count == input.Width ? input : Schema.Of(all);
            Keys = left.Select(input.IndexOf).ToArray();
        }

        public Schema Output { get; }
        public int[] Slots { get; }
        public int[] Keys { get; }
    }

    private sealed class Runner : StepRunner
    {
        private readonly Dictionary<KeyTuple, Value[]> _table = new();
        private readonly PerSchema<Shape> _shapes;

        public Runner(StepDefinition definition, string[] left, string[] right, string[] added, IReadOnlyList<Record> table) : base(definition)
        {
            _shapes = new PerSchema<Shape>(schema => new Shape(schema, added, left));
            foreach (var record in table)
            {
                var key = new KeyTuple(right.Select(f => record[f]).ToArray());
                if (key.HasNull() || _table.ContainsKey(key)) continue;
                _table.Add(key, added.Select(f => record[f]).ToArray());
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Process(Batch input, StepOutput output)
        {
            var shape = _shapes.For(input.Schema);
            int n = input.Count;
            if (!ReferenceEquals(shape.Output, input.Schema)) input.Widen(shape.Output);
            var key = new Value[shape.Keys.Length];
            for (int i = 0; i < n; i++)
            {
                var row = input.RowForUpdate(i);
                for (int k = 0; k < key.Length; k++)
                    key[k] = shape.Keys[k] >= 0 ? row[shape.Keys[k]] : Value.Null;
                var probe = new KeyTuple(key);
                if (!probe.HasNull() && _table.TryGetValue(probe, out var match))
                    for (int f = 0; f < shape.Slots.Length; f++) row[shape.Slots[f]] = match[f];
                else
                    foreach (int slot in shape.Slots) row[slot] = Value.Null;
            }
            output.Emit(input);
        }

    }
}
