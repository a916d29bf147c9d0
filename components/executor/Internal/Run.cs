using System.Threading.Channels;
using Ocht.Expressions;
using Ocht.Model;
using Ocht.Transforms;
using Ocht.Values;

namespace Ocht.Executor;

/// <summary>
/// One run of a plan: three stages joined by bounded channels (read → transform → write), so input
/// parsing, transforming and output formatting overlap and memory stays bounded. Acknowledgements go
/// back to the source only once every sink has durably taken the records; a failed or cancelled run
/// aborts every sink, so nothing is committed.
/// </summary>
internal sealed class Run(PipelinePlan plan, RunEnvironment env)
{
    private const int ChannelCapacity = 4;
    private const int ItemsPerFlush = 4;

    private readonly RunProgress _progress = new();
    private readonly List<SinkSlot> _sinks = new();
    private readonly SinkRejections _refusals = new();
    private readonly CancellationTokenSource _enough = new();
    private ISource? _source;
    private ISink? _deadLetter;
    private StepChain? _chain;
    private RunFailure? _failure;
    private CancellationTokenSource? _abort;
    private long _read, _sourceRecords, _sourceRejected, _written, _routingDropped, _sinkRejected, _rejected;
    private long _lastSequence, _acked;

    private sealed class SinkSlot(SinkPlan plan, ISink sink)
    {
        public SinkPlan Plan { get; } = plan;
        public ISink Sink { get; } = sink;
        public long Written, Rejected;
    }

    private sealed class WorkItem(long sequence, long ackThrough)
    {
        public long Sequence { get; } = sequence;
        /// <summary>Once this item is durably written, the source may treat batches up to here as done
        /// (lower than <see cref="Sequence"/> while steps still hold older records).</summary>
        public long AckThrough { get; } = ackThrough;
        public List<Batch> Batches { get; } = new();
        public List<Rejection> Rejections { get; } = new();
    }

    private string SourceName => plan.Source.Describe();

    public async Task<RunReport> ExecuteAsync(CancellationToken abort, CancellationToken stop)
    {
        long started = env.Clock.GetTimestamp();
        using var abortCts = CancellationTokenSource.CreateLinkedTokenSource(abort);
        using var stopCts = CancellationTokenSource.CreateLinkedTokenSource(stop, abortCts.Token, _enough.Token);
        _abort = abortCts;
        env.Observer.Started(plan.Name, env.RunId, _progress);
        RunReport report;
        try
        {
            await OpenAsync(abortCts.Token);
            // Four chunks in flight per core: chunks are small (the csv source's are 256 KiB, so their batches stay
            // in cache for the steps), and with fewer waiting the cores ran dry now and then. W1 10M 1.80 -> 1.71 s,
            // W2 1.86 -> 1.77 s (5 of 5 each, against one per core and 1 MiB chunks), peak RSS 92 -> 85 MiB;
            // eight per core was a little faster and held more (91 MiB).
            var toTransform = Channel.CreateBounded<Task<ChunkWork>>(new BoundedChannelOptions(Math.Max(2, Parallelism) * 4) { SingleReader = true, SingleWriter = true });
            var toWrite = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(ChannelCapacity) { SingleReader = true, SingleWriter = true });
            await Task.WhenAll(
                Stage(() => ReadAsync(toTransform.Writer, stopCts.Token, abortCts.Token), e => toTransform.Writer.TryComplete(e)),
                Stage(() => TransformAsync(toTransform.Reader, toWrite.Writer, abortCts.Token), e => toWrite.Writer.TryComplete(e)),
                Stage(() => WriteAsync(toWrite.Reader, abortCts.Token), _ => { }));
            if (_failure is not null) throw _failure;
            if (abort.IsCancellationRequested) throw Cancelled();
            CheckBalance();
            foreach (var slot in _sinks) await slot.Sink.CommitAsync(abortCts.Token);
            if (_deadLetter is not null) await _deadLetter.CommitAsync(abortCts.Token);
            if (_lastSequence > _acked) await _source!.AcknowledgeAsync(_lastSequence, abortCts.Token);
            report = Report(RunStatus.Succeeded, null, started);
        }
        catch (Exception e)
        {
            var failure = _failure ?? Classify(e);
            await AbortSinksAsync();
            report = Report(RunStatus.Failed, new RunError(failure.Kind, plan.Secrets.Redact(failure.Message)), started);
        }
        finally
        {
            await DisposeAsync();
        }
        env.Observer.Finished(report);
        return report;
    }

    private async Task OpenAsync(CancellationToken cancellation)
    {
        ConnectorLog log = (level, message) => env.Observer.ConnectorLog(plan.Name, env.RunId, level, message);
        var sourceContext = new SourceContext(plan.Name, plan.Options.BatchSize, env.Clock) { Log = log };
        var mainSource = sourceContext with { Fields = plan.SourceNeeds?.ToArray(), SpareFields = plan.FieldsAddedAfterSource };
        var sinkContext = new SinkContext(plan.Name, plan.Options.BatchSize, env.Clock) { Fields = plan.OutputFields.Fields, Log = log };
        var resources = await LookupTables.ResourcesAsync(plan, env, sourceContext, cancellation);
        _chain = new StepChain(plan.Steps, resources, env.Clock);
        _source = plan.Source.Connector.OpenSource(plan.Source, mainSource);
        foreach (var sink in plan.Sinks)
            _sinks.Add(new SinkSlot(sink, sink.Target.Connector.OpenSink(sink.Target, sinkContext)));
        if (plan.OnError.DeadLetter is { } dl)
            _deadLetter = dl.Connector.OpenSink(dl, sinkContext with { Fields = DeadLetters.Fields, Kinds = DeadLetters.Kinds });
    }

    /// <summary>Runs a stage on the thread pool; a failure fails the run, cancels the other stages
    /// and completes the stage's output channel so its reader ends too.</summary>
    private Task Stage(Func<Task> body, Action<Exception?> complete) => Task.Run(async () =>
    {
        try
        {
            await body();
            complete(null);
        }
        catch (Exception e)
        {
            Fail(e);
            complete(e);
        }
    });

    private void Fail(Exception e)
    {
        if (e is OperationCanceledException && _failure is not null) return;
        Interlocked.CompareExchange(ref _failure, Classify(e), null);
        _abort!.Cancel();
    }

    private static RunFailure Classify(Exception e) => e switch
    {
        RunFailure f => f,
        ChannelClosedException { InnerException: { } inner } => Classify(inner),
        OperationCanceledException => Cancelled(),
        ConnectorUnavailableException => new RunFailure(RunFailure.Kinds.Unavailable, e.Message, e),
        IOException or UnauthorizedAccessException => new RunFailure(RunFailure.Kinds.Io, e.Message, e),
        _ => new RunFailure(RunFailure.Kinds.Internal, $"{e.GetType().Name}: {e.Message}", e),
    };

    private static RunFailure Cancelled() => new(RunFailure.Kinds.Cancelled, "the run was cancelled; nothing was committed");

    private int Parallelism => plan.Options.Parallelism > 0 ? plan.Options.Parallelism : Math.Max(1, env.Processors);

    /// <summary>One unit of input on its way to the transform stage: a source batch as read, or a chunk
    /// decoded (and put through the stateless prefix of the steps) on a worker thread.</summary>
    private sealed class ChunkWork
    {
        public long Sequence;
        public long SourceRecords, SourceRejected;
        public readonly List<Batch> Batches = new();
        public readonly List<Rejection> Rejections = new();
        /// <summary>Set when the stateless prefix already ran on the worker.</summary>
        public PrefixTally? Tally;

        public void AddSource(Batch batch)
        {
            Sequence = Math.Max(Sequence, batch.Sequence);
            SourceRecords += batch.Count;
            if (batch.Rejections is { } rejected)
            {
                SourceRejected += rejected.Count;
                Rejections.AddRange(rejected);
            }
        }
    }

    /// <summary>Reads in input order. A chunked source's chunks are decoded by worker tasks, started
    /// here and awaited in order by the transform stage (the channel bounds how many are in flight).</summary>
    private async Task ReadAsync(ChannelWriter<Task<ChunkWork>> output, CancellationToken stop, CancellationToken abort)
    {
        var chunked = Parallelism > 1 ? _source as IChunkedSource : null;
        while (true)
        {
            Task<ChunkWork> work;
            try
            {
                if (chunked is not null)
                {
                    if (await chunked.ReadChunkAsync(stop) is not { } chunk) break;
                    // Into the pool's shared queue, oldest first, not this thread's own queue (Task.Run's, newest first): the
                    // chunk the transform stage waits for, and the stages' own continuations, no longer wait behind newer
                    // chunks. With one core shared with another process (a busy loop on it), W1 10M 2.265 -> 2.125 s and
                    // W2 2.47 -> 2.345 s (4 of 4 and 3 of 4 pairs); on a quiet machine level (W1 1.31 -> 1.33 s, W2 1.355 -> 1.335 s).
                    work = Task.Factory.StartNew(() => Decode(chunked, chunk), abort, TaskCreationOptions.PreferFairness | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
                }
                else
                {
                    if (await _source!.ReadAsync(stop) is not { } batch) break;
                    var read = new ChunkWork();
                    read.AddSource(batch);
                    read.Batches.Add(batch);
                    work = Task.FromResult(read);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested && !abort.IsCancellationRequested)
            {
                break;
            }
            await output.WriteAsync(work, abort);
            if (stop.IsCancellationRequested) break;
        }
    }

    /// <summary>On a worker: decode a chunk and run the stateless steps over it.</summary>
    private ChunkWork Decode(IChunkedSource source, SourceChunk chunk)
    {
        var chain = _chain!;
        var work = new ChunkWork { Sequence = chunk.Sequence, Tally = new PrefixTally(chain.StatelessPrefix) };
        var outputs = new StepOutput[chain.StatelessPrefix];
        for (int i = 0; i < outputs.Length; i++) outputs[i] = new StepOutput();
        foreach (var batch in source.Decode(chunk))
        {
            work.AddSource(batch);
            chain.RunPrefix(batch, work.Batches, work.Rejections, work.Tally, outputs);
        }
        return work;
    }

    private async Task TransformAsync(ChannelReader<Task<ChunkWork>> input, ChannelWriter<WorkItem> output, CancellationToken abort)
    {
        var chain = _chain!;
        var into = new ChainOutput();
        long sequence = 0;
        await foreach (var pending in input.ReadAllAsync(abort))
        {
            var work = await pending;
            sequence = Math.Max(sequence, work.Sequence);
            _sourceRecords += work.SourceRecords;
            _sourceRejected += work.SourceRejected;
            _read += work.SourceRecords + work.SourceRejected;
            _progress.AddRead(work.SourceRecords + work.SourceRejected);
            into.Clear();
            if (work.Tally is { } tally)
            {
                chain.Absorb(tally);
                foreach (var b in work.Batches) chain.PushAfterPrefix(b, into);
            }
            else
            {
                foreach (var b in work.Batches) chain.Push(b, into);
            }
            _progress.AddProcessed(work.SourceRecords);
            var item = new WorkItem(sequence, chain.HoldsFrom is long held ? Math.Min(sequence, held - 1) : sequence);
            item.Rejections.AddRange(work.Rejections);
            item.Batches.AddRange(into.Batches);
            item.Rejections.AddRange(into.Rejections);
            if (chain.Satisfied) _enough.Cancel();
            await output.WriteAsync(item, abort);
        }
        // What the steps release at the end is acknowledged only after the final commit.
        into.Clear();
        foreach (var _ in chain.Complete(into))
            await output.WriteAsync(Take(into, sequence), abort);
        if (into.Batches.Count > 0 || into.Rejections.Count > 0)
            await output.WriteAsync(Take(into, sequence), abort);
    }

    private static WorkItem Take(ChainOutput into, long sequence)
    {
        var item = new WorkItem(sequence, 0);
        item.Batches.AddRange(into.Batches);
        item.Rejections.AddRange(into.Rejections);
        into.Clear();
        return item;
    }

    /// <summary>Writes items in order. A backlog shares one flush (up to <see cref="ItemsPerFlush"/> items): sinks
    /// commit less often when they are the bottleneck and may overlap one batch's commit with the next batch's
    /// upload; once the stage has caught up, every item is flushed (and acknowledged) as soon as it is written.</summary>
    private async Task WriteAsync(ChannelReader<WorkItem> input, CancellationToken abort)
    {
        long ackable = 0;
        int unflushed = 0;
        await foreach (var item in input.ReadAllAsync(abort))
        {
            long pushed = 0;
            foreach (var batch in item.Batches)
            {
                if (batch.Count > 0) pushed += await PushAsync(batch, item.Rejections, abort);
                batch.Release();
            }
            if (item.Rejections.Count > 0) await RejectAsync(item.Rejections, item.Sequence, abort);
            _lastSequence = Math.Max(_lastSequence, item.Sequence);
            ackable = Math.Max(ackable, item.AckThrough);
            if (ackable > _acked && (++unflushed >= ItemsPerFlush || !input.TryPeek(out _)))
            {
                unflushed = 0;
                if (await FlushAsync(abort))
                {
                    await _source!.AcknowledgeAsync(ackable, abort);
                    _acked = ackable;
                }
            }
            if (pushed > 0) env.Observer.BatchPushed(plan.Name, env.RunId, pushed, item.Sequence);
        }
    }

    /// <summary>Routes a batch to the sinks whose "when" holds and writes it; returns records written.</summary>
    private async Task<long> PushAsync(Batch batch, List<Rejection> rejections, CancellationToken abort)
    {
        var routes = Route(batch, rejections, out long routed, out long unrouted);
        var refusals = _refusals;
        refusals.Clear();
        for (int s = 0; s < _sinks.Count; s++)
        {
            var (part, origin) = routes?[s] ?? (batch, null);
            if (part.Count == 0) continue;
            int before = refusals.Items.Count;
            refusals.Begin(part, origin);
            await _sinks[s].Sink.WriteAsync(part, refusals, abort);
            long refused = refusals.Items.Count - before;
            _sinks[s].Rejected += refused;
            _sinks[s].Written += part.Count - refused;
        }
        rejections.AddRange(refusals.Items);
        // A record refused by any sink counts once as rejected (and not as written).
        _sinkRejected += refusals.Records;
        _routingDropped += unrouted;
        long written = routed - refusals.Records;
        _written += written;
        _progress.AddWritten(written);
        return written;
    }

    /// <summary>Per-sink sub-batches (with the original row of each of their rows) when some sink has
    /// "when"; null when every sink takes everything.</summary>
    private (Batch Part, int[]? Origin)[]? Route(Batch batch, List<Rejection> rejections, out long routed, out long unrouted)
    {
        unrouted = 0;
        routed = batch.Count;
        if (_sinks.TrueForAll(s => s.Plan.When is null)) return null;
        var parts = _sinks.Select(_ => new Batch(batch.Schema, batch.Count) { Sequence = batch.Sequence }).ToArray();
        var origins = _sinks.Select(_ => new List<int>()).ToArray();
        var takes = new bool[_sinks.Count];
        routed = 0;
        for (int i = 0; i < batch.Count; i++)
        {
            var row = Row.Of(batch, i);
            bool any = false;
            try
            {
                for (int s = 0; s < _sinks.Count; s++)
                {
                    takes[s] = _sinks[s].Plan.When?.IsTrue(row) ?? true;
                    any |= takes[s];
                }
            }
            catch (EvalException e)
            {
                rejections.Add(new Rejection(e.Kind, $"sink \"when\": {e.Message}", batch.LineOf(i), batch.GetRecord(i), null, null, "sink"));
                _sinkRejected++;
                continue;
            }
            if (!any) { unrouted++; continue; }
            routed++;
            for (int s = 0; s < _sinks.Count; s++)
            {
                if (!takes[s]) continue;
                parts[s].AddRow(batch.Row(i), batch.LineOf(i));
                origins[s].Add(i);
            }
        }
        return parts.Select((p, s) => (p, (int[]?)origins[s].ToArray())).ToArray();
    }

    private async Task RejectAsync(List<Rejection> rejections, long sequence, CancellationToken abort)
    {
        var policy = plan.OnError;
        foreach (var r in rejections)
        {
            _rejected++;
            _progress.AddRejected(1);
            if (policy.Mode == ErrorMode.Fail)
                throw new RunFailure(r.Error, DeadLetters.Describe(r, SourceName));
            if (policy.Max is long max && _rejected > max)
                throw new RunFailure(RunFailure.Kinds.TooManyRejections,
                    $"{_rejected} record{(_rejected == 1 ? " was" : "s were")} rejected, more than on_error.max ({max}); the last: {DeadLetters.Describe(r, SourceName)}");
        }
        if (_deadLetter is not null)
        {
            var refused = new SinkRejections();
            foreach (var batch in DeadLetters.ToBatches(rejections, SourceName, plan.Secrets, plan.Options.BatchSize, sequence))
            {
                refused.Begin(batch);
                await _deadLetter.WriteAsync(batch, refused, abort);
                if (refused.Items.Count > 0)
                    throw new RunFailure(RunFailure.Kinds.Io, $"the dead-letter sink refused a dead letter: {refused.Items[0].Message}");
            }
        }
    }

    private async Task<bool> FlushAsync(CancellationToken abort)
    {
        bool durable = true;
        foreach (var slot in _sinks) durable &= await slot.Sink.FlushAsync(abort);
        if (_deadLetter is not null) durable &= await _deadLetter.FlushAsync(abort);
        return durable;
    }

    /// <summary>§6: every run checks that its counts balance; a run that does not is a bug and commits nothing.</summary>
    private void CheckBalance()
    {
        var problems = new List<string>();
        var counters = _chain!.Counters;
        foreach (var c in counters)
            if (c.Imbalance() is { } p) problems.Add(p);
        long into = _sourceRecords;
        foreach (var c in counters)
        {
            if (c.In != into) problems.Add($"step {c.Index} ({c.Op}) received {c.In} records but {into} were passed to it");
            into = c.Out;
        }
        if (into != _written + _routingDropped + _sinkRejected)
            problems.Add($"{into} records reached the sinks but written {_written} + unrouted {_routingDropped} + refused {_sinkRejected} differ");
        if (_read != _sourceRecords + _sourceRejected)
            problems.Add($"read {_read} != records {_sourceRecords} + unreadable {_sourceRejected}");
        if (problems.Count > 0)
            throw new RunFailure(RunFailure.Kinds.Accounting, "internal error: the record counts do not balance, so nothing was committed: " + string.Join("; ", problems));
    }

    private RunReport Report(RunStatus status, RunError? error, long started)
    {
        var counters = _chain?.Counters ?? [];
        long dropped = _routingDropped, rejected = _sourceRejected + _sinkRejected;
        foreach (var c in counters)
        {
            dropped += c.Dropped;
            rejected += c.Rejected;
        }
        var steps = counters.Select(c => c.ToReport(env.Clock.TimestampFrequency)).ToArray();
        var sinks = _sinks.Select(s => new SinkReport(s.Plan.Target.Describe(), s.Written, s.Rejected)).ToArray();
        long duration = (long)env.Clock.GetElapsedTime(started).TotalMilliseconds;
        return new RunReport(plan.Name, env.RunId, status, new RecordCounts(_read, _written, dropped, rejected), steps, sinks, duration, error);
    }

    private async Task AbortSinksAsync()
    {
        foreach (var slot in _sinks)
        {
            try { await slot.Sink.AbortAsync(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        if (_deadLetter is not null)
        {
            try { await _deadLetter.AbortAsync(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private async Task DisposeAsync()
    {
        _chain?.Dispose();
        if (_source is not null) await _source.DisposeAsync();
        foreach (var slot in _sinks) await slot.Sink.DisposeAsync();
        if (_deadLetter is not null) await _deadLetter.DisposeAsync();
        _enough.Dispose();
    }
}
