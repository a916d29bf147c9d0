using System.Runtime.CompilerServices;
using Ocht.Document;
using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Transforms;

internal static class SortStep
{
    public static readonly ComponentSpec Spec = new("step", "sort", "Stable sort. Ascending puts nulls last, descending puts them first; text compares by code point. Past half of options.memory_mb it writes sorted runs to temporary files and merges them at the end (external merge sort), so memory stays bounded whatever the input size; the merge deletes each part of a run as soon as it has read it, so temporary space shrinks as the output grows.",
    [
        new OptionSpec("by", OptionType.SortKeys, "keys: an expression, or [\"desc\", expression]") { Required = true },
    ])
    {
        Example = """{ "op": "sort", "by": [":country", ["desc", ":total"]] }""",
    };

    public static StepDefinition? Compile(StepSource s)
    {
        var keys = SortKeys.Parse(s.At("by"), s.Input, s.Diagnostics);
        if (keys is null) return null;
        return s.Define(s.Input, StepTraits.Blocking, $"by {keys}", (d, r) => new Runner(d, keys, r), Needs.Plus(Needs.Of(keys.Exprs)));
    }

    /// <summary>Holds rows in a <see cref="SortRun"/>, first in the batches they came in, then (past an eighth of
    /// the budget) encoded as they arrive; past half the budget sorts and spills that run on another thread
    /// while the next fills. At the end merges the runs (or sorts in memory when none spilled).</summary>
    private sealed class Runner(StepDefinition definition, SortKeys keys, StepResources resources) : StepRunner(definition)
    {
        private const int MaxFanIn = 64;
        private const int PrefetchAhead = 16;

        private readonly List<int> _runs = new();
        private SortRun _filling = new(keys, PageSize(resources));
        private SortRun? _spare;         // a run a spill has finished with, for reuse
        private SortRun? _spillingRun;   // the run _spilling writes
        private Task? _spilling;
        private bool _prefixed = true;
        private bool _encoding;          // rows are encoded as they arrive (once the first run outgrew its batches)
        private long _position;          // input position of the filling run's first row
        private long _sequence;
        private ISpillStore? _spill;

        // Two runs take turns, one filling while the other is sorted and written on another core,
        // so each may hold half the budget.
        private long RunBudget => resources.MemoryBudgetBytes / 2;

        // Batches held as they came cost about three times their rows encoded, and the pool and heap they grow
        // stay grown: only a small sort keeps them (W3 10M, memory_mb 256: peak RSS about 520 MiB when the first
        // run kept batches up to its whole budget, about 450 with a quarter).
        private long HeldBatchBudget => RunBudget / 4;

        private bool CanSpill => resources.Spill is not null && _filling.Count > 0;

        /// <summary>Arena pages of a thirty-second of a run's budget (64 KiB to 4 MiB), so a small budget still holds many rows.</summary>
        private static int PageSize(StepResources resources) => resources.Spill is null
            ? RowArena.MaxPageSize
            : (int)Math.Clamp(resources.MemoryBudgetBytes / 2 / 32, 64 << 10, RowArena.MaxPageSize);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Process(Batch input, StepOutput output)
        {
            _sequence = input.Sequence;
            // Until its first run outgrows its budget, the sort keeps the batches themselves: one that fits in
            // memory never encodes a row.
            bool holding = !_encoding;
            if (holding) _filling.Hold(input);
            int held = 0;
            for (int i = 0; i < input.Count; i++)
            {
                if (_filling.IsFull)
                {
                    // Growing past the budget would hold more than it allows: spill what is held instead
                    // (a run holding this very batch is encoded after it instead, below).
                    if (!holding && CanSpill && _filling.HeldAfterGrowing > RunBudget) StartSpill();
                    else _filling.Grow();
                }
                var rowKeys = _filling.NextKeys;
                try
                {
                    keys.Evaluate(Row.Of(input, i), rowKeys);
                }
                catch (EvalException e)
                {
                    rowKeys.Clear();
                    output.Reject(Reject(input, i, e.Kind, e.Message));
                    continue;
                }
                if (holding) _filling.AddHeld(input, i);
                else _filling.Add(input.Schema, input.LineOf(i), input.Row(i));
                held++;
            }
            output.Hold(held);
            if (held > 0) Holding(input);
            if (holding && CanSpill && _filling.HeldBytes > HeldBatchBudget)
            {
                // Encoded, the same rows take about a third of the memory: keep filling the run that way.
                _filling.Encode();
                _filling.ReserveFor(RunBudget);
                _encoding = true;
            }
            // Everything the sort needs of the batch is in the run now.
            else if (!holding) input.Release();
            if (_encoding && CanSpill && _filling.HeldBytes > RunBudget) StartSpill();
        }

        public override IEnumerable<Batch> Complete(StepOutput output)
        {
            FinishSpill();
            if (_runs.Count == 0)
            {
                foreach (var batch in EmitInMemory(output)) yield return batch;
            }
            else
            {
                if (_filling.Count > 0)
                {
                    StartSpill();
                    FinishSpill();
                }
                while (_runs.Count > MaxFanIn) MergeIntermediate();
                foreach (var batch in MergeRuns(output)) yield return batch;
            }
            HoldsFrom = null;
        }

        public override void Dispose()
        {
            // A spill still writing must stop using the store before it is deleted; its own failure no
            // longer matters once the run is being torn down.
            try { _spilling?.Wait(); }
            catch (AggregateException) { }
            _spill?.Dispose();
            _spill = null;
            base.Dispose();
        }

        /// <summary>Hands the filling run to a spill on another thread (once the previous spill is done) and
        /// fills the run that spill finished with.</summary>
        private void StartSpill()
        {
            FinishSpill();
            _spill ??= resources.Spill!();
            var (id, stream) = _spill.Create();
            _runs.Add(id);
            var run = _filling;
            run.FirstPosition = _position;
            _position += run.Count;
            _prefixed &= run.Prefixed;
            // The second run starts as large as the first grew, so its arrays are allocated once rather than grown step
            // by step (each step a large-object allocation, and those bring full collections while the heap is young).
            _filling = _spare ?? new SortRun(keys, PageSize(resources), run.Capacity);
            _spare = null;
            _spillingRun = run;
            _spilling = Task.Run(() => Write(run, stream, keys));
        }

        /// <summary>Waits for the spill in progress (its failure fails the run) and takes its run back.</summary>
        private void FinishSpill()
        {
            if (_spilling is not { } spilling) return;
            _spilling = null;
            spilling.GetAwaiter().GetResult();
            _spare = _spillingRun;
            _spillingRun = null;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Write(SortRun run, Stream stream, SortKeys keys)
        {
            run.Encode();
            using (var writer = new RunWriter(stream, keys))
            {
                writer.Declare(run.Schemas);
                var sorted = run.Sort();
                for (int i = 0; i < sorted.Length; i++)
                {
                    if (i + PrefetchAhead < sorted.Length) run.Prefetch(sorted[i + PrefetchAhead]);
                    writer.Write(run.FirstPosition + sorted[i].Index, run.Bytes(sorted[i]));
                }
            }
            // No forced collection here: rows are encoded as they arrive, so what their batches leave is young garbage
            // that gen0 collections take; a full compacting collection per run cost W3 10M about 65 ms of stopped
            // threads each, 17 times, for about 45 MiB less peak RSS (issue 3 note).
            run.Clear();
        }

        private IEnumerable<Batch> EmitInMemory(StepOutput output)
        {
            var run = _filling;
            var reader = new SpillReader();
            var values = new ValueDecoder(reader);
            var keyCells = new KeyCells(keys);
            var skippedKeys = new Value[keys.Count];
            Batch? current = null;
            var sorted = run.Sort().ToArray();
            foreach (var row in sorted)
            {
                Schema schema;
                long line;
                (Batch Batch, int Row) held = default;
                if (row.Length < 0)
                {
                    held = run.HeldRow(row);
                    schema = held.Batch.Schema;
                    line = held.Batch.LineOf(held.Row);
                }
                else
                {
                    run.Load(reader, row);
                    schema = run.Schemas[values.ReadCount()];
                    line = (long)reader.ReadVarint();
                }
                if (current is not null && (current.IsFull || !ReferenceEquals(current.Schema, schema)))
                {
                    output.Hold(-current.Count);
                    yield return current;
                    current = null;
                }
                current ??= new Batch(schema, resources.BatchSize) { Sequence = _sequence };
                if (held.Batch is not null)
                {
                    current.AddRow(held.Batch.Row(held.Row), line);
                    continue;
                }
                KeyCells.ReadStored(values, skippedKeys, keyCells.Of(schema));
                values.ReadValues(current.AddRow(line), keys.Count);
            }
            run.Clear();
            if (current is not null)
            {
                output.Hold(-current.Count);
                yield return current;
            }
        }

        private void MergeIntermediate()
        {
            var group = _runs.Take(MaxFanIn).ToList();
            _runs.RemoveRange(0, group.Count);
            var (id, stream) = _spill!.Create();
            using (var writer = new RunWriter(stream, keys))
            {
                foreach (var reader in Merge(group))
                    writer.Write(reader.Schema, reader.Line, reader.Position, reader.Keys, reader.Cells);
            }
            _runs.Add(id);
        }

        private IEnumerable<Batch> MergeRuns(StepOutput output)
        {
            Batch? current = null;
            foreach (var reader in Merge(_runs.ToList()))
            {
                if (current is not null && (current.IsFull || !current.Schema.SameFields(reader.Schema)))
                {
                    output.Hold(-current.Count);
                    yield return current;
                    current = null;
                }
                current ??= new Batch(reader.Schema, resources.BatchSize) { Sequence = _sequence };
                current.AddRow(reader.Cells, reader.Line);
            }
            _runs.Clear();
            if (current is not null)
            {
                output.Hold(-current.Count);
                yield return current;
            }
        }

        /// <summary>K-way merge of runs; yields each reader positioned on the next row in order.</summary>
        private IEnumerable<RunReader> Merge(List<int> runIds)
        {
            var schemas = new SchemaCache();
            var readers = runIds.Select(id => new RunReader(_spill!.Open(id), keys, schemas)).ToList();
            try
            {
                var queue = new MergeQueue(keys, _prefixed);
                foreach (var r in readers)
                    if (r.MoveNext()) queue.Add(r);
                while (queue.Count > 0)
                {
                    var next = queue.Top;
                    yield return next;
                    queue.TopMoved(next.MoveNext());
                }
            }
            finally
            {
                foreach (var r in readers) r.Dispose();
                foreach (var id in runIds) _spill!.Delete(id);
            }
        }
    }
}
