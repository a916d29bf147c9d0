using System.Runtime.CompilerServices;
using Ocht.Document;
using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Transforms;

internal static class DedupeStep
{
    public static readonly ComponentSpec Spec = new("step", "dedupe", "Drops records whose key was seen before. keep \"first\" streams (memory grows with distinct keys); keep \"last\" holds one record per key and emits at the end, in the order of the kept records.",
    [
        new OptionSpec("key", OptionType.ExpressionList, "expressions that make the key") { Required = true },
        new OptionSpec("keep", OptionType.String, "which record of a key survives") { Default = "\"first\"", Choices = ["first", "last"] },
    ])
    {
        Example = """{ "op": "dedupe", "key": [":order_id"], "keep": "first" }""",
    };

    public static StepDefinition? Compile(StepSource s)
    {
        var keyNode = s.At("key");
        if (keyNode.Items.Count == 0) s.Diagnostics.Add(keyNode, "\"key\" needs at least one expression");
        var keys = new List<CompiledExpr>();
        foreach (var item in keyNode.Items)
        {
            var expr = Expressions.Expressions.Parse(item, s.Diagnostics, s.Input);
            var compiled = expr is null ? null : Expressions.Expressions.Compile(expr, s.Diagnostics);
            if (compiled is not null) keys.Add(compiled);
        }
        if (keys.Count != keyNode.Items.Count || keys.Count == 0) return null;
        bool keepLast = s.Options.String("keep") == "last";
        var keyArray = keys.ToArray();
        string summary = $"key {string.Join(", ", keys)}, keep {(keepLast ? "last" : "first")}";
        return s.Define(s.Input, keepLast ? StepTraits.Blocking : StepTraits.None, summary,
            (d, r) => keepLast ? new KeepLast(d, keyArray, r.BatchSize) : new KeepFirst(d, keyArray), Needs.Plus(Needs.Of(keyArray)));
    }

    /// <summary>Evaluates a row's key into a reusable buffer; throws EvalException to reject.</summary>
    private static KeyTuple KeyOf(CompiledExpr[] keys, Batch batch, int row, Value[] scratch)
    {
        var r = Row.Of(batch, row);
        for (int k = 0; k < keys.Length; k++) scratch[k] = keys[k].Eval(r);
        return new KeyTuple(scratch);
    }

    private sealed class KeepFirst(StepDefinition definition, CompiledExpr[] keys) : StepRunner(definition)
    {
        private readonly HashSet<KeyTuple> _seen = new();
        private readonly Value[] _scratch = new Value[keys.Length];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Process(Batch input, StepOutput output)
        {
            int n = input.Count;
            var keep = new bool[n];
            long dropped = 0;
            for (int i = 0; i < n; i++)
            {
                try
                {
                    var key = KeyOf(keys, input, i, _scratch);
                    keep[i] = !_seen.Contains(key) && _seen.Add(key.Detach());
                    if (!keep[i]) dropped++;
                }
                catch (EvalException e)
                {
                    output.Reject(Reject(input, i, e.Kind, e.Message));
                }
            }
            input.Compact(keep);
            output.Drop(dropped);
            output.Emit(input);
        }
    }

    private sealed class KeepLast(StepDefinition definition, CompiledExpr[] keys, int batchSize) : StepRunner(definition)
    {
        private readonly Dictionary<KeyTuple, (long Position, Record Record, long Line)> _latest = new();
        private readonly Value[] _scratch = new Value[keys.Length];
        private long _position;
        private long _sequence;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Process(Batch input, StepOutput output)
        {
            _sequence = input.Sequence;
            for (int i = 0; i < input.Count; i++)
            {
                try
                {
                    var key = KeyOf(keys, input, i, _scratch);
                    var entry = (_position++, input.GetRecord(i), input.LineOf(i));
                    if (_latest.ContainsKey(key))
                    {
                        // The earlier duplicate is dropped; this record is held in its place.
                        _latest[key] = entry;
                        output.Drop(1);
                    }
                    else
                    {
                        _latest.Add(key.Detach(), entry);
                        output.Hold(1);
                        Holding(input);
                    }
                }
                catch (EvalException e)
                {
                    output.Reject(Reject(input, i, e.Kind, e.Message));
                }
            }
            input.Release();
        }

        public override IEnumerable<Batch> Complete(StepOutput output)
        {
            var ordered = _latest.Values.OrderBy(e => e.Position).ToArray();
            _latest.Clear();
            Batch? current = null;
            foreach (var (_, record, line) in ordered)
            {
                if (current is not null && (current.IsFull || !current.Schema.SameFields(record.Schema)))
                {
                    output.Hold(-current.Count);
                    yield return current;
                    current = null;
                }
                current ??= new Batch(record.Schema, batchSize) { Sequence = _sequence };
                current.AddRow(record.Values, line);
            }
            if (current is not null)
            {
                output.Hold(-current.Count);
                yield return current;
            }
            HoldsFrom = null;
        }
    }
}
