namespace Ocht.Transforms;

/// <summary>
/// The encoded rows of one sort run, appended to large byte pages. Rows are kept as bytes rather than
/// as the batches they came in: a 10-column row takes about 110 bytes instead of about 400 (cells,
/// strings), so more rows fit in memory_mb, and spilling a run copies each row's bytes in sorted order
/// instead of re-encoding values scattered over the heap. Pages are kept for the next run.
/// </summary>
internal sealed class RowArena(int pageSize = RowArena.MaxPageSize)
{
    public const int MaxPageSize = 4 << 20;

    private readonly List<byte[]> _pages = new();
    private int _page = -1, _offset = int.MaxValue; // no page yet: the first row starts one

    /// <summary>Bytes of the pages in use (for the memory budget).</summary>
    public long Bytes { get; private set; }

    /// <summary>Copies a row in; returns where it is (see <see cref="Page"/>, <see cref="Offset"/>).</summary>
    public long Append(ReadOnlySpan<byte> row)
    {
        if (_page < 0 || row.Length > _pages[_page].Length - _offset) NextPage(row.Length);
        row.CopyTo(_pages[_page].AsSpan(_offset));
        long location = ((long)_page << 32) | (uint)_offset;
        _offset += row.Length;
        return location;
    }

    public byte[] Page(long location) => _pages[(int)(location >> 32)];

    public static int Offset(long location) => (int)location;

    /// <summary>Forgets every row; the pages stay for the next run.</summary>
    public void Clear()
    {
        // A row larger than a page had a page of its own: drop those rather than keep them.
        _pages.RemoveAll(p => p.Length != pageSize);
        _page = -1;
        _offset = int.MaxValue;
        Bytes = 0;
    }

    private void NextPage(int needed)
    {
        _page++;
        _offset = 0;
        if (needed > pageSize) _pages.Insert(_page, new byte[needed]);
        else if (_page == _pages.Count) _pages.Add(new byte[pageSize]);
        Bytes += _pages[_page].Length;
    }
}
