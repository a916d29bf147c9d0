using System.Runtime.CompilerServices;
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

    public static StepDefinition? Compile(StepSource s)
    {
        var grouping = Grouping.Parse(s, reserved: []);
        if (grouping is null) return null;
        var output = Schema.Of(grouping.By.Concat(grouping.Fields.Select(f => f.Output)).ToArray());
        return s.Define(FieldScope.Of(output.Names), StepTraits.Blocking | StepTraits.Aggregating, grouping.Summary,
            (d, r) => new Runner(d, grouping, output, r.BatchSize), Needs.Exactly(grouping.Reads));
    }

    private sealed class Runner(StepDefinition definition, Grouping grouping, Schema outputSchema, int batchSize) : StepRunner(definition)
    {
        private readonly GroupTable _groups = new(grouping);
        private readonly GroupReader _reader = new(grouping);
        private readonly BatchMerge _batchMerge = BatchMerge.For(grouping);
        private long _sequence;

        public override void Process(Batch input, StepOutput output)
        {
            _sequence = input.Sequence;
            bool inputsRead = _reader.TryReadAll(input);
            long merged = inputsRead && _batchMerge.TryMerge(input, _groups, _reader)
                ? input.Count
                : MergeRecordByRecord(input, inputsRead, output);
            _reader.ReleaseInputs();
            output.Merge(merged);
            if (merged > 0) Holding(input);
            input.Release();
        }

        /// <summary>Adds the records one by one, two-phase, so a record an aggregate refuses changes no group.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private long MergeRecordByRecord(Batch input, bool inputsRead, StepOutput output)
        {
            long merged = 0;
            for (int i = 0; i < input.Count; i++)
            {
                var row = Row.Of(input, i);
                Group? group = null;
                bool created = false;
                try
                {
                    if (inputsRead) _reader.TakeInputs(i);
                    else _reader.ReadInputs(row);
                    group = _reader.FindGroup(_groups, row, out created);
                    _reader.Prepare(group);
                    GroupReader.Commit(group);
                    merged++;
                }
                catch (EvalException e)
                {
                    if (created) _groups.Discard(group!);
                    output.Reject(Reject(input, i, e.Kind, e.Message));
                }
            }
            return merged;
        }

        public override IEnumerable<Batch> Complete(StepOutput output)
        {
            if (grouping.By.Length == 0 && _groups.Count == 0) _groups.AddEmpty();
            Batch? current = null;
            foreach (var group in _groups.InOrder)
            {
                if (current is { IsFull: true })
                {
                    yield return current;
                    current = null;
                }
                current ??= new Batch(outputSchema, batchSize) { Sequence = _sequence };
                group.WriteTo(current.AddRow(0));
            }
            _groups.Clear();
            if (current is not null) yield return current;
            HoldsFrom = null;
        }
    }
}
