using System.Threading.Channels;
using Confluent.Kafka;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Kafka;

/// <summary>
/// Reads a topic through a consumer on a thread of its own (librdkafka's calls block): it copies message
/// values into chunks — handed on when full or <see cref="LingerMs"/> after their first message — and
/// queues a couple ahead of the pipeline, whose thread decodes them into batches (so consuming and
/// decoding use two cores). Offsets are committed only on acknowledgement (<see cref="OffsetLedger"/>);
/// a bounded read ends at the partitions' ends as they were when assigned.
/// </summary>
internal sealed class KafkaSource : ISource
{
    private const int LingerMs = 100;
    private const int PollMs = 100;
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(30);

    private readonly string _topic, _name;
    private readonly int _batchSize;
    private readonly bool _bounded, _grouped, _latest;
    private readonly TimeProvider _clock;
    private readonly RawCopier _copier = new();
    private readonly MessageDecoder _decoder = new();
    private readonly OffsetLedger _ledger = new();
    private readonly IConsumer<Ignore, bool> _consumer;
    private readonly Channel<RawChunk> _chunks = Channel.CreateBounded<RawChunk>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
    // Pipeline thread only: batches decoded from a chunk, not handed on yet.
    private readonly Queue<Batch> _decoded = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _commitGate = new();

    // Consumer thread only.
    private readonly List<PartitionOffset> _offsets = new();
    private readonly Dictionary<int, PartitionEnd> _ends = new();
    private bool _assigned;
    private long _chunkCount;
    private volatile Error? _unreachable, _fatal;

    /// <summary>Where a bounded read stops in a partition: the high-water mark when it was assigned.</summary>
    private sealed class PartitionEnd(long end)
    {
        public long End { get; } = end;
        public bool Reached { get; set; }
    }

    public KafkaSource(ConnectorConfig config, SourceContext context)
    {
        Librdkafka.EnsureLoaded();
        var o = config.Options;
        _topic = o.String("topic")!;
        _name = config.Describe();
        _batchSize = context.BatchSize;
        _clock = context.Clock;
        _bounded = o.Bool("bounded");
        _grouped = o.Has("group");
        _latest = o.String("start") == "latest";
        _consumer = new ConsumerBuilder<Ignore, bool>(KafkaSettings.Consumer(config))
            .SetValueDeserializer(_copier)
            .SetErrorHandler((_, e) => OnError(e))
            .SetLogHandler((_, m) => KafkaErrors.Forward(context.Log, _name, m))
            .SetPartitionsAssignedHandler((c, partitions) => OnAssigned(c, partitions.Select(p => p.Partition.Value).ToList()))
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions.Select(p => p.Partition.Value).ToList(), commit: true))
            .SetPartitionsLostHandler((_, partitions) => OnRevoked(partitions.Select(p => p.Partition.Value).ToList(), commit: false))
            .Build();
        new Thread(Run) { IsBackground = true, Name = "ocht-kafka-" + _topic }.Start();
    }

    public async ValueTask<Batch?> ReadAsync(CancellationToken cancellation)
    {
        if (_decoded.TryDequeue(out var ready)) return ready;
        try
        {
            if (!await _chunks.Reader.WaitToReadAsync(cancellation)) return null;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return null;
        }
        if (!_chunks.Reader.TryRead(out var chunk)) return null;
        Decode(chunk);
        return _decoded.Dequeue();
    }

    /// <summary>Decodes a chunk into batches numbered from its sequence (a new batch wherever the fields
    /// change), and moves the chunk's offsets to its last batch before any of them is handed on.</summary>
    private void Decode(RawChunk chunk)
    {
        Batch? batch = null;
        long sequence = chunk.Sequence;
        for (int i = 0; i < chunk.Count; i++)
        {
            if (_decoder.Decode(chunk.Value(i), chunk.IsNull(i)))
            {
                var schema = _decoder.Schema;
                if (batch is not null && !ReferenceEquals(batch.Schema, schema)) Hand(ref batch, ref sequence);
                batch ??= new Batch(schema, _batchSize);
                batch.AddRow(_decoder.Values, 0);
            }
            else
            {
                batch ??= new Batch(Schema.Empty, _batchSize);
                batch.AddRejection(new Rejection(Rejection.Kinds.Parse,
                    $"topic {_topic}, partition {chunk.Partition(i)}, offset {chunk.Offset(i)}: {_decoder.Error}", 0, null, _decoder.Raw, null, "source"));
            }
        }
        Hand(ref batch, ref sequence);
        if (_grouped) _ledger.Extend(chunk.Sequence, sequence - 1);
    }

    private void Hand(ref Batch? batch, ref long sequence)
    {
        batch!.Sequence = sequence++;
        _decoded.Enqueue(batch);
        batch = null;
    }

    public ValueTask AcknowledgeAsync(long sequence, CancellationToken cancellation)
    {
        if (!_grouped) return ValueTask.CompletedTask;
        _ledger.Acknowledge(sequence);
        lock (_commitGate)
        {
            var ready = _ledger.TakeReady();
            if (ready.Count == 0) return ValueTask.CompletedTask;
            try
            {
                _consumer.Commit(Offsets(ready));
            }
            catch (TopicPartitionOffsetException e)
            {
                var failed = e.Results.Where(r => r.Error.IsError).ToList();
                if (failed.FirstOrDefault(r => !KafkaErrors.IsRebalancing(r.Error)) is { } hard)
                    throw KafkaErrors.Failure(hard.Error, $"{_name}: committing offsets failed");
                _ledger.Restore(ready.Where(r => failed.Any(f => f.Partition.Value == r.Partition)).ToList());
            }
            catch (KafkaException e) when (KafkaErrors.IsRebalancing(e.Error))
            {
                _ledger.Restore(ready);
            }
            catch (KafkaException e)
            {
                throw KafkaErrors.Failure(e.Error, $"{_name}: committing offsets failed");
            }
        }
        return ValueTask.CompletedTask;
    }

    private IEnumerable<TopicPartitionOffset> Offsets(List<PartitionOffset> offsets) =>
        offsets.Select(o => new TopicPartitionOffset(_topic, o.Partition, o.Next));

    private void Run()
    {
        try
        {
            if (_grouped) _consumer.Subscribe(_topic);
            else AssignWholeTopic();
            Consume();
            _chunks.Writer.TryComplete();
            if (_grouped) StayUntilDisposed();
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            _chunks.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _chunks.Writer.TryComplete(e);
        }
        finally
        {
            Close();
            _stopped.TrySetResult();
        }
    }

    private void Consume()
    {
        var chunk = new RawChunk(_batchSize);
        _copier.Target = chunk;
        long firstAt = 0;
        while (!_stopping.IsCancellationRequested)
        {
            if (_bounded && CaughtUp()) break;
            int wait = chunk.Count == 0 ? PollMs : Math.Max(0, LingerMs - (int)_clock.GetElapsedTime(firstAt).TotalMilliseconds);
            ConsumeResult<Ignore, bool>? result;
            try
            {
                result = _consumer.Consume(wait);
            }
            catch (ConsumeException e)
            {
                throw e.Error.Code == ErrorCode.UnknownTopicOrPart
                    ? new IOException($"{_name}: topic \"{_topic}\" does not exist on the brokers")
                    : KafkaErrors.Failure(e.Error, $"{_name}: reading failed");
            }
            if (result is null)
            {
                if (_fatal is { } fatal) throw KafkaErrors.Failure(fatal, $"{_name}: the consumer failed");
                if (chunk.Count == 0 && _unreachable is { } down) throw new ConnectorUnavailableException($"{_name}: no broker is reachable: {down.Reason}");
                if (chunk.Count > 0 && _clock.GetElapsedTime(firstAt).TotalMilliseconds >= LingerMs) Publish(ref chunk);
                continue;
            }
            _unreachable = null;
            int partition = result.Partition.Value;
            if (result.IsPartitionEOF)
            {
                if (_ends.TryGetValue(partition, out var end)) end.Reached = true;
                continue;
            }
            long offset = result.Offset.Value;
            chunk.Place(partition, offset);
            if (_bounded && _ends.TryGetValue(partition, out var bound))
            {
                // Past where the partition ended at the start: left for the next run.
                if (offset >= bound.End) { bound.Reached = true; chunk.DropLast(); continue; }
                if (offset + 1 >= bound.End) bound.Reached = true;
            }
            if (chunk.Count == 1) firstAt = _clock.GetTimestamp();
            Track(partition, offset + 1);
            if (chunk.IsFull) Publish(ref chunk);
        }
        if (chunk.Count > 0) Publish(ref chunk);
    }

    private bool CaughtUp()
    {
        if (!_assigned) return false;
        foreach (var end in _ends.Values)
            if (!end.Reached) return false;
        return true;
    }

    /// <summary>A bounded read is over, but its last batches are not acknowledged yet: the consumer keeps
    /// its partitions (paused, serving the group's callbacks) so their offsets can still be committed.</summary>
    private void StayUntilDisposed()
    {
        _consumer.Pause(_consumer.Assignment);
        while (!_stopping.IsCancellationRequested)
            _consumer.Consume(PollMs);
    }

    private void Track(int partition, long next)
    {
        var offsets = _offsets;
        for (int i = offsets.Count - 1; i >= 0; i--)
        {
            if (offsets[i].Partition != partition) continue;
            offsets[i] = new PartitionOffset(partition, next);
            return;
        }
        offsets.Add(new PartitionOffset(partition, next));
    }

    /// <summary>Gives the chunk its block of sequences, records its offsets, queues it (waiting while the
    /// pipeline is behind) and starts the next one.</summary>
    private void Publish(ref RawChunk chunk)
    {
        var ready = chunk;
        ready.Sequence = ++_chunkCount * SourceChunk.SequenceSpan;
        if (_grouped) _ledger.Register(ready.Sequence, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_offsets));
        _offsets.Clear();
        chunk = new RawChunk(_batchSize);
        _copier.Target = chunk;
        if (!_chunks.Writer.TryWrite(ready))
            _chunks.Writer.WriteAsync(ready, _stopping.Token).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>A read without a group: every partition of the topic from the start (or the end).</summary>
    private void AssignWholeTopic()
    {
        using var admin = new DependentAdminClientBuilder(_consumer.Handle).Build();
        var topic = TopicMetadata(admin);
        if (topic is null || topic.Error.Code == ErrorCode.UnknownTopicOrPart)
            throw new IOException($"{_name}: topic \"{_topic}\" does not exist on the brokers");
        if (topic.Error.IsError) throw KafkaErrors.Failure(topic.Error, $"{_name}: reading the topic's partitions failed");
        var partitions = topic.Partitions.Select(p => p.PartitionId).ToList();
        OnAssigned(_consumer, partitions);
        _consumer.Assign(partitions.Select(p => new TopicPartitionOffset(_topic, p, _latest ? Offset.End : Offset.Beginning)));
    }

    /// <summary>The topic's metadata (null when it does not exist), asked for in short attempts so that
    /// brokers out of reach are reported as soon as librdkafka says so rather than after the timeout.</summary>
    private TopicMetadata? TopicMetadata(IAdminClient admin)
    {
        long started = _clock.GetTimestamp();
        while (true)
        {
            try
            {
                // Metadata of all topics: asking for one by name may create it where brokers auto-create topics.
                return admin.GetMetadata(TimeSpan.FromSeconds(1)).Topics.SingleOrDefault(t => t.Topic == _topic);
            }
            catch (KafkaException e) when (KafkaErrors.IsTransient(e.Error) && _clock.GetElapsedTime(started) < MetadataTimeout)
            {
                _consumer.Consume(0); // serves the error events that say whether any broker is up
                if (_unreachable is { } down) throw new ConnectorUnavailableException($"{_name}: no broker is reachable: {down.Reason}");
                _stopping.Token.ThrowIfCancellationRequested();
            }
            catch (KafkaException e)
            {
                throw KafkaErrors.Failure(e.Error, $"{_name}: reading the topic's partitions failed");
            }
        }
    }

    private void OnAssigned(IConsumer<Ignore, bool> consumer, List<int> partitions)
    {
        _ledger.Assign(partitions);
        if (_bounded)
        {
            foreach (int p in partitions)
            {
                WatermarkOffsets marks;
                try
                {
                    marks = consumer.QueryWatermarkOffsets(new TopicPartition(_topic, p), MetadataTimeout);
                }
                catch (KafkaException e)
                {
                    throw KafkaErrors.Failure(e.Error, $"{_name}: reading where partition {p} ends failed");
                }
                _ends[p] = new PartitionEnd(marks.High.Value) { Reached = marks.High.Value <= marks.Low.Value };
            }
        }
        _assigned = true;
    }

    /// <summary>Partitions leave this consumer: commit what was acknowledged (on a revoke, not when they
    /// were lost), and forget the rest, which their next owner reads again.</summary>
    private void OnRevoked(List<int> partitions, bool commit)
    {
        lock (_commitGate)
        {
            var ready = _ledger.Revoke(partitions);
            if (commit && ready.Count > 0)
            {
                try { _consumer.Commit(Offsets(ready)); }
                catch (KafkaException) { /* Not committed: the partitions' next owner reads these records again (at-least-once). */ }
            }
        }
        _offsets.RemoveAll(o => partitions.Contains(o.Partition));
        foreach (int p in partitions) _ends.Remove(p);
    }

    private void OnError(Error error)
    {
        if (error.IsFatal) _fatal = error;
        else if (error.Code == ErrorCode.Local_AllBrokersDown) _unreachable = error;
    }

    private void Close()
    {
        try
        {
            if (_grouped) _consumer.Close();
        }
        catch (KafkaException)
        {
            // Leaving the group failed (brokers gone): the group notices after session.timeout.ms.
        }
        _consumer.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        await _stopped.Task;
        while (_decoded.TryDequeue(out var unread)) unread.Release();
        _stopping.Dispose();
    }
}
