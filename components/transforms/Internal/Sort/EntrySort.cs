using System.Numerics;

namespace Ocht.Transforms;

/// <summary>
/// Introsort of a run's entries with <see cref="SortEntry.Order"/> inlined. Span.Sort with a comparer goes
/// through a delegate per comparison and copies both 32-byte entries into it; sorting a run is about a
/// tenth of an external sort's input phase. The order is total (input position breaks ties), so an
/// unstable sort still gives the stable result.
/// </summary>
internal static class EntrySort
{
    private const int InsertionLimit = 16;

    public static void Sort(Span<SortEntry> entries, in SortEntry.Order order) =>
        Sort(entries, order, 2 * (BitOperations.Log2((uint)Math.Max(1, entries.Length)) + 1));

    /// <summary>With the depth past which partitioning gives way to a heap sort (tests reach that path with a small one).</summary>
    internal static void Sort(Span<SortEntry> entries, in SortEntry.Order order, int depthLimit)
    {
        while (entries.Length > InsertionLimit)
        {
            if (depthLimit-- == 0)
            {
                HeapSort(entries, order);
                return;
            }
            int p = Partition(entries, order);
            // Recurse into the smaller side and loop on the larger, so the stack stays logarithmic.
            if (p < entries.Length - p)
            {
                Sort(entries[..p], order, depthLimit);
                entries = entries[(p + 1)..];
            }
            else
            {
                Sort(entries[(p + 1)..], order, depthLimit);
                entries = entries[..p];
            }
        }
        InsertionSort(entries, order);
    }

    /// <summary>Median of three as the pivot; the first and last entries then bound both scans.</summary>
    private static int Partition(Span<SortEntry> s, in SortEntry.Order order)
    {
        int hi = s.Length - 1, mid = hi >> 1;
        OrderPair(s, order, 0, mid);
        OrderPair(s, order, 0, hi);
        OrderPair(s, order, mid, hi);
        (s[mid], s[hi - 1]) = (s[hi - 1], s[mid]);
        var pivot = s[hi - 1];
        int left = 0, right = hi - 1;
        while (left < right)
        {
            while (order.Compare(s[++left], pivot) < 0) { }
            while (order.Compare(pivot, s[--right]) < 0) { }
            if (left >= right) break;
            (s[left], s[right]) = (s[right], s[left]);
        }
        if (left != hi - 1) (s[left], s[hi - 1]) = (s[hi - 1], s[left]);
        return left;
    }

    private static void OrderPair(Span<SortEntry> s, in SortEntry.Order order, int i, int j)
    {
        if (order.Compare(s[i], s[j]) > 0) (s[i], s[j]) = (s[j], s[i]);
    }

    private static void InsertionSort(Span<SortEntry> s, in SortEntry.Order order)
    {
        for (int i = 1; i < s.Length; i++)
        {
            var entry = s[i];
            int j = i - 1;
            while (j >= 0 && order.Compare(entry, s[j]) < 0)
            {
                s[j + 1] = s[j];
                j--;
            }
            s[j + 1] = entry;
        }
    }

    private static void HeapSort(Span<SortEntry> s, in SortEntry.Order order)
    {
        for (int i = s.Length / 2 - 1; i >= 0; i--) SiftDown(s, order, i, s.Length);
        for (int end = s.Length - 1; end > 0; end--)
        {
            (s[0], s[end]) = (s[end], s[0]);
            SiftDown(s, order, 0, end);
        }
    }

    private static void SiftDown(Span<SortEntry> s, in SortEntry.Order order, int at, int count)
    {
        var entry = s[at];
        while (true)
        {
            int child = 2 * at + 1;
            if (child >= count) break;
            if (child + 1 < count && order.Compare(s[child], s[child + 1]) < 0) child++;
            if (order.Compare(entry, s[child]) >= 0) break;
            s[at] = s[child];
            at = child;
        }
        s[at] = entry;
    }
}
