using System.Runtime.CompilerServices;
using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>
/// A row to sort: its index (input order, the tie-break that keeps the sort stable), prefixes of
/// its first two keys (<see cref="SortPrefix"/>), so most comparisons never look at the values, and
/// where its bytes are (<see cref="RowArena"/>), so a spill reads entries in order instead of looking
/// each row up.
/// </summary>
internal struct SortEntry
{
    private const byte FirstExact = 1, SecondKnown = 2;

    public ulong First;
    public ulong Second;
    /// <summary>Where the encoded row is in the run's arena; while the row is held in its batch
    /// (<see cref="Length"/> -1), that batch's number and the row in it.</summary>
    public long Location;
    public int Index;
    public int Length;
    private byte _flags;

    /// <summary>The entry for keys at <paramref name="index"/>; false when its prefixes must not be used
    /// (a float first key), for this and every row it is compared with.</summary>
    public static bool TryCreate(SortKeys keys, ReadOnlySpan<Value> values, int index, out SortEntry entry)
    {
        entry = new SortEntry { Index = index };
        if (!SortPrefix.TryOf(values[0], keys.Descending[0], out entry.First, out bool exact)) return false;
        // The second key decides only between rows whose first keys are equal, which an exact prefix shows.
        if (exact && values.Length > 1 && SortPrefix.TryOf(values[1], keys.Descending[1], out entry.Second, out _))
            entry._flags = FirstExact | SecondKnown;
        return true;
    }

    /// <summary>What the prefixes tell: the order, or 0 when only the full keys can.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ComparePrefixes(in SortEntry a, in SortEntry b)
    {
        if (a.First != b.First) return a.First < b.First ? -1 : 1;
        if ((a._flags & b._flags & SecondKnown) != 0 && a.Second != b.Second) return a.Second < b.Second ? -1 : 1;
        return 0;
    }

    /// <summary>Prefixes first, then the full keys, then input order.</summary>
    public readonly struct Order(SortKeys keys, Value[] allKeys, bool prefixed)
    {
        // The prefixes decide most comparisons: that part is inlined into the sort's loops, the rest is a call.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Compare(in SortEntry a, in SortEntry b)
        {
            int c = prefixed ? ComparePrefixes(a, b) : 0;
            return c != 0 ? c : CompareKeys(a, b);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private int CompareKeys(in SortEntry a, in SortEntry b)
        {
            int k = keys.Count;
            int c = keys.Compare(allKeys.AsSpan(a.Index * k, k), allKeys.AsSpan(b.Index * k, k));
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        }
    }
}
