using Ocht.Transforms;
using Ocht.Values;

namespace Ocht.Executor;

/// <summary>Counts of one step; checked to balance at the end of a run.</summary>
internal sealed class StepCounter(int index, string op, bool aggregating)
{
    public int Index { get; } = index;
    public string Op { get; } = op;
    public bool Aggregating { get; } = aggregating;
    public long In, Out, Dropped, Rejected, Merged, Held, Ticks;

    public StepReport ToReport(long timestampFrequency) =>
        new(Index, Op, In, Out, Dropped, Rejected, Merged, (long)Math.Round(Ticks * 1000.0 / timestampFrequency));

    /// <summary>Null when the counts balance, else what is wrong.</summary>
    public string? Imbalance()
    {
        if (Held != 0) return $"step {Index} ({Op}) still holds {Held} records";
        long accounted = Aggregating ? Merged + Rejected + Dropped : Out + Dropped + Rejected + Merged;
        return accounted == In ? null
            : $"step {Index} ({Op}): in {In} != {(Aggregating ? "merged" : "out")} {(Aggregating ? Merged : Out)} + dropped {Dropped} + rejected {Rejected}";
    }
}

/// <summary>Counts of the stateless prefix gathered by one worker, merged into the chain in input order.</summary>
internal sealed class PrefixTally(int steps)
{
    public readonly long[] In = new long[steps], Out = new long[steps], Dropped = new long[steps], Rejected = new long[steps], Ticks = new long[steps];
}

/// <summary>What comes out of the end of the chain.</summary>
internal sealed class ChainOutput
{
    public List<Batch> Batches { get; } = new();
    public List<Rejection> Rejections { get; } = new();

    public void Clear()
    {
        Batches.Clear();
        Rejections.Clear();
    }
}

/// <summary>
/// The steps of one run, fed batch by batch; used by the streaming executor and by in-memory runs
/// (<c>ocht test</c>, the notebook) alike, so both share every rule and count.
/// </summary>
internal sealed class StepChain : IDisposable
{
    private readonly StepRunner[] _runners;
    private readonly StepOutput[] _outputs;
    private readonly TimeProvider _clock;

    public StepChain(IReadOnlyList<StepDefinition> steps, StepResources resources, TimeProvider clock)
    {
        _clock = clock;
        _runners = new StepRunner[steps.Count];
        try
        {
            for (int i = 0; i < steps.Count; i++) _runners[i] = steps[i].CreateRunner(resources);
        }
        catch
        {
            Dispose();
            throw;
        }
        _outputs = steps.Select(_ => new StepOutput()).ToArray();
        Counters = steps.Select(s => new StepCounter(s.Index, s.Op, s.Traits.HasFlag(StepTraits.Aggregating))).ToArray();
        while (StatelessPrefix < steps.Count && steps[StatelessPrefix].Traits.HasFlag(StepTraits.Stateless)) StatelessPrefix++;
    }

    /// <summary>How many leading steps process each batch on its own: they may run on several threads at once.</summary>
    public int StatelessPrefix { get; }

    /// <summary>Runs the stateless prefix over one batch; thread-safe (stateless runners keep no state,
    /// outputs and counts are the caller's). Outputs go to <paramref name="into"/> in order.</summary>
    public void RunPrefix(Batch batch, List<Batch> into, List<Rejection> rejections, PrefixTally tally, StepOutput[] outputs, int step = 0)
    {
        if (step == StatelessPrefix)
        {
            into.Add(batch);
            return;
        }
        var output = outputs[step];
        output.Clear();
        tally.In[step] += batch.Count;
        long start = _clock.GetTimestamp();
        _runners[step].Process(batch, output);
        tally.Ticks[step] += _clock.GetTimestamp() - start;
        tally.Dropped[step] += output.Dropped;
        tally.Rejected[step] += output.Rejections.Count;
        rejections.AddRange(output.Rejections);
        foreach (var b in output.Batches) tally.Out[step] += b.Count;
        foreach (var b in output.Batches) RunPrefix(b, into, rejections, tally, outputs, step + 1);
    }

    /// <summary>Adds a worker's prefix counts (on the chain's own thread).</summary>
    public void Absorb(PrefixTally tally)
    {
        for (int i = 0; i < StatelessPrefix; i++)
        {
            var c = Counters[i];
            c.In += tally.In[i];
            c.Out += tally.Out[i];
            c.Dropped += tally.Dropped[i];
            c.Rejected += tally.Rejected[i];
            c.Ticks += tally.Ticks[i];
        }
    }

    /// <summary>Pushes a batch that has been through the stateless prefix into the rest of the chain.</summary>
    public void PushAfterPrefix(Batch batch, ChainOutput into) => Through(StatelessPrefix, batch, into);

    public StepCounter[] Counters { get; }

    /// <summary>True when some step drops everything from now on (a full limit): stop pulling.</summary>
    public bool Satisfied
    {
        get
        {
            foreach (var r in _runners)
                if (r.Satisfied) return true;
            return false;
        }
    }

    /// <summary>The oldest input sequence some step still holds records of (null: none held).</summary>
    public long? HoldsFrom
    {
        get
        {
            long? oldest = null;
            foreach (var r in _runners)
                if (r.HoldsFrom is long h && (oldest is null || h < oldest)) oldest = h;
            return oldest;
        }
    }

    public void Push(Batch batch, ChainOutput into) => Through(0, batch, into);

    /// <summary>Ends the input: completes each step in order, pushing what it releases through the rest.
    /// Yields after each released batch so the caller can hand results on and keep memory bounded.</summary>
    public IEnumerable<bool> Complete(ChainOutput into)
    {
        for (int i = 0; i < _runners.Length; i++)
        {
            var output = _outputs[i];
            var counter = Counters[i];
            output.Clear();
            long start = _clock.GetTimestamp();
            using var released = _runners[i].Complete(output).GetEnumerator();
            while (true)
            {
                bool more = released.MoveNext();
                counter.Ticks += _clock.GetTimestamp() - start;
                Collect(counter, output, into);
                output.Clear();
                if (!more) break;
                var batch = released.Current;
                counter.Out += batch.Count;
                Through(i + 1, batch, into);
                yield return true;
                start = _clock.GetTimestamp();
            }
        }
    }

    private void Through(int step, Batch batch, ChainOutput into)
    {
        if (step == _runners.Length)
        {
            into.Batches.Add(batch);
            return;
        }
        var output = _outputs[step];
        var counter = Counters[step];
        output.Clear();
        counter.In += batch.Count;
        long start = _clock.GetTimestamp();
        _runners[step].Process(batch, output);
        counter.Ticks += _clock.GetTimestamp() - start;
        foreach (var b in output.Batches) counter.Out += b.Count;
        Collect(counter, output, into);
        // Later steps reuse only their own outputs, so iterating this step's list is safe.
        foreach (var b in output.Batches) Through(step + 1, b, into);
    }

    private static void Collect(StepCounter counter, StepOutput output, ChainOutput into)
    {
        counter.Dropped += output.Dropped;
        counter.Merged += output.Merged;
        counter.Held += output.Held;
        counter.Rejected += output.Rejections.Count;
        into.Rejections.AddRange(output.Rejections);
    }

    public void Dispose()
    {
        foreach (var r in _runners) r?.Dispose();
    }
}
