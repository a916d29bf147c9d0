namespace Ocht.Kafka;

/// <summary>A partition's next offset to read: the last record's offset + 1 (what Kafka commits).</summary>
internal readonly record struct PartitionOffset(int Partition, long Next);

/// <summary>
/// Which offsets may be committed. The consumer thread registers each batch's highest offsets per
/// partition under the batch's sequence; acknowledgements (from the executor's write stage) release
/// everything up to a sequence. A partition revoked in a rebalance forgets its unacknowledged offsets:
/// its records go to the partition's new owner, and committing them from here could skip records
/// that were never written. Thread-safe.
/// </summary>
internal sealed class OffsetLedger
{
    private readonly object _gate = new();
    private readonly Queue<Entry> _pending = new();
    /// <summary>Assigned partitions and the generation of their current assignment.</summary>
    private readonly Dictionary<int, int> _assigned = new();
    /// <summary>Acknowledged offsets not yet committed.</summary>
    private readonly Dictionary<int, long> _acked = new();
    private int _generation;

    private sealed class Entry(long sequence, PartitionOffset[] offsets, int[] generations)
    {
        public long Sequence { get; set; } = sequence;
        public PartitionOffset[] Offsets { get; } = offsets;
        public int[] Generations { get; } = generations;
    }

    public void Assign(IEnumerable<int> partitions)
    {
        lock (_gate)
            foreach (int p in partitions) _assigned[p] = ++_generation;
    }

    /// <summary>Forgets the partitions; returns their acknowledged but uncommitted offsets (to commit
    /// before letting them go).</summary>
    public List<PartitionOffset> Revoke(IEnumerable<int> partitions)
    {
        var ready = new List<PartitionOffset>();
        lock (_gate)
        {
            foreach (int p in partitions)
            {
                _assigned.Remove(p);
                if (_acked.Remove(p, out long next)) ready.Add(new PartitionOffset(p, next));
            }
        }
        return ready;
    }

    /// <summary>A batch handed out under <paramref name="sequence"/> (sequences increase) holds these offsets.</summary>
    public void Register(long sequence, ReadOnlySpan<PartitionOffset> offsets)
    {
        lock (_gate)
        {
            var copy = offsets.ToArray();
            var generations = new int[copy.Length];
            for (int i = 0; i < copy.Length; i++)
                generations[i] = _assigned.TryGetValue(copy[i].Partition, out int g) ? g : -1;
            _pending.Enqueue(new Entry(sequence, copy, generations));
        }
    }

    /// <summary>The offsets registered under <paramref name="registered"/> belong to batches up to
    /// <paramref name="last"/> (a chunk decoded into several batches; <paramref name="last"/> is below the next
    /// registration). Called before any of those batches is handed on, so none can be acknowledged yet.</summary>
    public void Extend(long registered, long last)
    {
        lock (_gate)
        {
            foreach (var entry in _pending)
            {
                if (entry.Sequence != registered) continue;
                entry.Sequence = last;
                return;
            }
        }
    }

    /// <summary>Batches up to <paramref name="sequence"/> are durably written: their offsets become
    /// committable (for partitions still held by the same assignment).</summary>
    public void Acknowledge(long sequence)
    {
        lock (_gate)
        {
            while (_pending.TryPeek(out var batch) && batch.Sequence <= sequence)
            {
                _pending.Dequeue();
                for (int i = 0; i < batch.Offsets.Length; i++)
                {
                    var (partition, next) = batch.Offsets[i];
                    if (!_assigned.TryGetValue(partition, out int g) || g != batch.Generations[i]) continue;
                    if (!_acked.TryGetValue(partition, out long had) || next > had) _acked[partition] = next;
                }
            }
        }
    }

    /// <summary>The committable offsets, taken out (give them back with <see cref="Restore"/> if the commit fails).</summary>
    public List<PartitionOffset> TakeReady()
    {
        lock (_gate)
        {
            var ready = new List<PartitionOffset>(_acked.Count);
            foreach (var (p, next) in _acked) ready.Add(new PartitionOffset(p, next));
            _acked.Clear();
            return ready;
        }
    }

    /// <summary>A commit did not go through: keep the offsets for the next one, unless the partition was revoked meanwhile.</summary>
    public void Restore(List<PartitionOffset> offsets)
    {
        lock (_gate)
        {
            foreach (var (p, next) in offsets)
            {
                if (!_assigned.ContainsKey(p)) continue;
                if (!_acked.TryGetValue(p, out long had) || next > had) _acked[p] = next;
            }
        }
    }
}
