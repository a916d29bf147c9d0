using Ocht.Document;
using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Transforms;

internal static class AggregateStep
{
    public static readonly ComponentSpec Spec = new("step", "aggregate", "One record per group: the group fields first, then the aggregates in the given order; groups in order of first appearance; with no \"by\", one record. Memory grows with the number of groups, not records. Aggregates: count (no argument: records; with one: non-null values), sum (ints stay int), avg (decimal; float for floats), min, max, count-distinct, first, last.",
    [
        new OptionSpec("by", OptionType.FieldList, "group fields") { Default = "[]" },
        new OptionSpec("fields", OptionType.AggregateMap, "output name to [aggregate, expression?]") { Required = true },
    ])
    {
        Example = """{ "op": "aggregate", "by": ["country"], "fields": { "orders": ["count"], "revenue": ["sum", ":total"] } }""",
    };

    private sealed record Aggregate(string Output, string Function, CompiledExpr? Input, Func<Accumulator> Create);

    public static StepDefinition? Compile(StepSource s)
    {
        int before = s.Diagnostics.Count;
        var by = s.Options.Strings("by");
        FieldChecks.Known(s, "by", by);
        if (!FieldChecks.Unique(s, "by", by)) return null;
        var aggregates = new List<Aggregate>();
        var fieldsNode = s.At("fields");
        if (fieldsNode.Properties.Count == 0) s.Diagnostics.Add(fieldsNode, "\"fields\" needs at least one aggregate, e.g. {\"n\": [\"count\"]}");
        foreach (var p in fieldsNode.Properties)
        {
            if (by.Contains(p.Name)) s.Diagnostics.AddAtKey(fieldsNode, p, $"\"{p.Name}\" is already a group field");
            var agg = ParseAggregate(p.Name, p.Value, s);
            if (agg is not null) aggregates.Add(agg);
        }
        if (s.Diagnostics.Count > before || aggregates.Count != fieldsNode.Properties.Count || aggregates.Count == 0) return null;
        var output = Schema.Of(by.Concat(aggregates.Select(a => a.Output)).ToArray());
        string summary = (by.Count > 0 ? $"by {string.Join(", ", by)}: " : "") +
            string.Join(", ", aggregates.Select(a => $"{a.Output} = {a.Function}({a.Input?.ToString() ?? ""})"));
        var byArray = by.ToArray();
        var aggArray = aggregates.ToArray();
        return s.Define(FieldScope.Of(output.Names), StepTraits.Blocking | StepTraits.Aggregating, summary,
            (d, r) => new Runner(d, byArray, aggArray, output, r.BatchSize),
            Needs.Exactly(byArray.Concat(Needs.Of(aggArray.Where(a => a.Input is not null).Select(a => a.Input!)))));
    }

    private static Aggregate? ParseAggregate(string output, DocNode node, StepSource s)
    {
        if (!node.IsArray || node.Items.Count == 0 || !node.Items[0].IsString)
        {
            s.Diagnostics.Add(node, $"an aggregate is written [name, expression?], e.g. [\"sum\", \":total\"]; found {node.Describe()}");
            return null;
        }
        string name = node.Items[0].Text!;
        if (!Accumulator.Names.Contains(name))
        {
            s.Diagnostics.Add(node.Items[0], $"unknown aggregate \"{name}\"{Suggest.Hint(name, Accumulator.Names)}; aggregates are {string.Join(", ", Accumulator.Names)}");
            return null;
        }
        int args = node.Items.Count - 1;
        if (args > 1 || (args == 0 && name != "count"))
        {
            s.Diagnostics.Add(node, name == "count" ? "\"count\" takes no argument (records) or one (non-null values)" : $"\"{name}\" takes one expression, e.g. [\"{name}\", \":total\"]");
            return null;
        }
        CompiledExpr? input = null;
        if (args == 1)
        {
            var expr = Expressions.Expressions.Parse(node.Items[1], s.Diagnostics, s.Input);
            input = expr is null ? null : Expressions.Expressions.Compile(expr, s.Diagnostics);
            if (input is null) return null;
        }
        return new Aggregate(output, name, input, Accumulator.Factory(name, args == 1));
    }

    private sealed class Group(Value[] key, Accumulator[] accumulators)
    {
        public Value[] Key { get; } = key;
        public Accumulator[] Accumulators { get; } = accumulators;
    }

    private sealed class Runner(StepDefinition definition, string[] by, Aggregate[] aggregates, Schema outputSchema, int batchSize) : StepRunner(definition)
    {
        private readonly Dictionary<KeyTuple, Group> _index = new();
        private readonly List<Group> _groups = new();
        private readonly PerSchema<int[]> _slots = new(schema => by.Select(schema.IndexOf).ToArray());
        private readonly Value[] _key = new Value[by.Length];
        private readonly Value[] _inputs = new Value[aggregates.Length];
        private long _sequence;

        public override void Process(Batch input, StepOutput output)
        {
            _sequence = input.Sequence;
            var slots = _slots.For(input.Schema);
            long merged = 0;
            for (int i = 0; i < input.Count; i++)
            {
                var row = Row.Of(input, i);
                int a = 0;
                try
                {
                    for (; a < aggregates.Length; a++)
                        _inputs[a] = aggregates[a].Input?.Eval(row) ?? Value.Null;
                    var accumulators = GroupOf(row, slots).Accumulators;
                    for (a = 0; a < accumulators.Length; a++)
                        accumulators[a].Prepare(_inputs[a]);
                    for (a = 0; a < accumulators.Length; a++)
                        accumulators[a].Commit();
                    merged++;
                }
                catch (EvalException e)
                {
                    output.Reject(Reject(input, i, e.Kind, $"{aggregates[a].Output}: {e.Message}"));
                }
            }
            output.Merge(merged);
            if (merged > 0) Holding(input);
            input.Release();
        }

        private Group GroupOf(in Row row, int[] slots)
        {
            if (by.Length == 0 && _groups.Count == 1) return _groups[0];
            for (int k = 0; k < slots.Length; k++)
                _key[k] = slots[k] >= 0 ? row.Cells[slots[k]] : Value.Null;
            var probe = new KeyTuple(_key);
            if (_index.TryGetValue(probe, out var group)) return group;
            var detached = probe.Detach();
            group = new Group(detached.Values.ToArray(), aggregates.Select(a => a.Create()).ToArray());
            _index.Add(detached, group);
            _groups.Add(group);
            return group;
        }

        public override IEnumerable<Batch> Complete(StepOutput output)
        {
            if (by.Length == 0 && _groups.Count == 0)
                _groups.Add(new Group([], aggregates.Select(a => a.Create()).ToArray()));
            Batch? current = null;
            foreach (var group in _groups)
            {
                if (current is { IsFull: true })
                {
                    yield return current;
                    current = null;
                }
                current ??= new Batch(outputSchema, batchSize) { Sequence = _sequence };
                var cells = current.AddRow(0);
                group.Key.CopyTo(cells);
                for (int a = 0; a < aggregates.Length; a++)
                    cells[by.Length + a] = group.Accumulators[a].Result();
            }
            _groups.Clear();
            _index.Clear();
            if (current is not null) yield return current;
            HoldsFrom = null;
        }
    }
}
