namespace Ocht.Transforms;

/// <summary>
/// The runs of a merge as a binary min-heap of readers, each on its current row, in output order:
/// key prefixes, then the full keys, then input position (which keeps the sort stable). After the
/// top reader moves on, one sift puts it back in place (a priority queue's dequeue and enqueue take two).
/// </summary>
internal sealed class MergeQueue(SortKeys keys, bool prefixed)
{
    private RunReader[] _heap = new RunReader[4];

    public int Count { get; private set; }

    /// <summary>The reader whose row comes next.</summary>
    public RunReader Top => _heap[0];

    /// <summary>Adds a reader positioned on its first row.</summary>
    public void Add(RunReader reader)
    {
        if (Count == _heap.Length) Array.Resize(ref _heap, Count * 2);
        int at = Count++;
        while (at > 0)
        {
            int parent = (at - 1) / 2;
            if (Compare(_heap[parent], reader) <= 0) break;
            _heap[at] = _heap[parent];
            at = parent;
        }
        _heap[at] = reader;
    }

    /// <summary>The top reader moved to its next row, or ended (<paramref name="more"/> false): restores the order.</summary>
    public void TopMoved(bool more)
    {
        var moving = _heap[0];
        if (!more)
        {
            moving = _heap[--Count];
            _heap[Count] = null!;
            if (Count == 0) return;
        }
        int at = 0;
        while (true)
        {
            int child = 2 * at + 1;
            if (child >= Count) break;
            if (child + 1 < Count && Compare(_heap[child + 1], _heap[child]) < 0) child++;
            if (Compare(moving, _heap[child]) <= 0) break;
            _heap[at] = _heap[child];
            at = child;
        }
        _heap[at] = moving;
    }

    private int Compare(RunReader a, RunReader b)
    {
        int c = prefixed ? SortEntry.ComparePrefixes(a.Entry, b.Entry) : 0;
        if (c == 0) c = keys.Compare(a.Keys, b.Keys);
        return c != 0 ? c : a.Position.CompareTo(b.Position);
    }
}
