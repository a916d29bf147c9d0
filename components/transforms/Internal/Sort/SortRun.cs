using System.Runtime.Intrinsics.X86;
using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>
/// The rows of one sort run in memory: each row's keys (for comparisons) and its bytes in a
/// <see cref="RowArena"/>: schema number and source line, then the keys that are not cells (<see cref="KeyCells"/>)
/// and the cells (<see cref="ValueEncoder"/>), which is also how a spill writes it. A run may instead hold
/// its rows in the batches they came in (<see cref="Hold"/>) until <see cref="Encode"/>: a sort that fits in
/// memory never pays for encoding. Filled by the sort on its own thread; once handed to a spill, read by
/// that spill alone until it is cleared.
/// </summary>
internal sealed class SortRun
{
    private const int InitialCapacity = 1024;

    private readonly SortKeys _sortKeys;
    // Per row of capacity: its SortEntry and keys.
    private readonly long _bytesPerRow;
    private readonly RowArena _arena;
    private readonly SpillWriter _row = new();
    private readonly ValueEncoder _values;
    private readonly List<Schema> _schemas = new();
    private readonly List<Batch> _batches = new();
    private readonly KeyCells _keyCells;
    private Value[] _keys;
    private SortEntry[] _entries;
    private long _keyTextBytes; // what the keys reference (text, lists, maps)
    private long _batchBytes;   // what the held batches' rows take

    /// <summary>A run whose rows go to pages of <paramref name="pageSize"/> bytes (a small share of its budget),
    /// with room for <paramref name="capacity"/> rows to start with.</summary>
    public SortRun(SortKeys keys, int pageSize, int capacity = InitialCapacity)
    {
        _sortKeys = keys;
        _arena = new RowArena(pageSize);
        _bytesPerRow = 40 + 24L * keys.Count;
        capacity = Math.Max(InitialCapacity, capacity);
        _entries = new SortEntry[capacity];
        _keys = new Value[capacity * Math.Max(1, keys.Count)];
        _values = new ValueEncoder(_row);
        _keyCells = new KeyCells(keys);
    }

    public int Count { get; private set; }
    /// <summary>Rows the run has room for without growing.</summary>
    public int Capacity => _entries.Length;
    public bool IsFull => Count == _entries.Length;
    /// <summary>False once a row's first key cannot be summarised by a prefix (a float).</summary>
    public bool Prefixed { get; private set; } = true;
    /// <summary>The input position of the run's first row (the stable sort's tie-break).</summary>
    public long FirstPosition { get; set; }
    /// <summary>The schemas of the run's rows, by the number each row starts with.</summary>
    public IReadOnlyList<Schema> Schemas => _schemas;

    /// <summary>What the run holds: the memory budget's measure.</summary>
    public long HeldBytes => HeldWith(_entries.Length);

    /// <summary>What the run would hold after <see cref="Grow"/>.</summary>
    public long HeldAfterGrowing => HeldWith(Grown);

    /// <summary>Grows the arrays at once to about as many rows as <paramref name="budget"/> holds at the size the rows
    /// have so far (nine tenths of it, so the estimate does not overshoot), instead of step by step.</summary>
    public void ReserveFor(long budget)
    {
        if (Count == 0) return;
        long perRow = (_arena.Bytes + _keyTextBytes + _batchBytes) / Count + _bytesPerRow;
        long rows = Math.Min(budget / 10 * 9 / perRow, Array.MaxLength / Math.Max(1, _sortKeys.Count));
        if (rows <= _entries.Length) return;
        Array.Resize(ref _keys, (int)rows * Math.Max(1, _sortKeys.Count));
        Array.Resize(ref _entries, (int)rows);
    }

    /// <summary>Room for more rows.</summary>
    public void Grow()
    {
        int size = Grown;
        Array.Resize(ref _keys, size * Math.Max(1, _sortKeys.Count));
        Array.Resize(ref _entries, size);
    }

    /// <summary>Where the next row's keys are evaluated to (cleared again when the row is rejected).</summary>
    public Span<Value> NextKeys => _keys.AsSpan(Count * _sortKeys.Count, _sortKeys.Count);

    /// <summary>Keeps <paramref name="batch"/>: the rows <see cref="AddHeld"/> adds next are read from it until <see cref="Encode"/>.</summary>
    public void Hold(Batch batch) => _batches.Add(batch);

    /// <summary>Adds row <paramref name="row"/> of the batch last held, whose keys are in <see cref="NextKeys"/>.</summary>
    public void AddHeld(Batch batch, int row)
    {
        var entry = NewEntry();
        entry.Location = ((long)(_batches.Count - 1) << 32) | (uint)row;
        entry.Length = -1;
        _entries[Count++] = entry;
        _batchBytes += MemoryEstimate.OfRow(batch.Row(row));
    }

    /// <summary>Adds the row whose keys are in <see cref="NextKeys"/>, encoded.</summary>
    public void Add(Schema schema, long line, ReadOnlySpan<Value> cells)
    {
        var entry = NewEntry();
        EncodeInto(ref entry, schema, line, cells);
        _entries[Count++] = entry;
    }

    /// <summary>Encodes the rows held in batches (in input order, before any sort) and lets the batches go.</summary>
    public void Encode()
    {
        if (_batches.Count == 0) return;
        for (int i = 0; i < Count; i++)
        {
            ref var entry = ref _entries[i];
            if (entry.Length >= 0) continue;
            var batch = _batches[(int)(entry.Location >> 32)];
            int row = (int)entry.Location;
            EncodeInto(ref entry, batch.Schema, batch.LineOf(row), batch.Row(row));
        }
        ReleaseBatches();
    }

    /// <summary>The held batch and row of an entry that is not encoded (<see cref="SortEntry.Length"/> &lt; 0).</summary>
    public (Batch Batch, int Row) HeldRow(in SortEntry entry) => (_batches[(int)(entry.Location >> 32)], (int)entry.Location);

    private SortEntry NewEntry()
    {
        var rowKeys = NextKeys;
        Prefixed &= SortEntry.TryCreate(_sortKeys, rowKeys, Count, out var entry);
        foreach (var key in rowKeys) _keyTextBytes += MemoryEstimate.Of(key) - 24;
        return entry;
    }

    private void EncodeInto(ref SortEntry entry, Schema schema, long line, ReadOnlySpan<Value> cells)
    {
        _row.Clear();
        _row.WriteVarint((uint)SchemaIndex(schema));
        _row.WriteVarint((ulong)line);
        KeyCells.WriteStored(_values, _keys.AsSpan(entry.Index * _sortKeys.Count, _sortKeys.Count), _keyCells.Of(schema));
        _values.WriteValues(cells);
        entry.Location = _arena.Append(_row.Written);
        entry.Length = _row.Written.Length;
    }

    private void ReleaseBatches()
    {
        foreach (var batch in _batches) batch.Release();
        _batches.Clear();
        _batchBytes = 0;
    }

    /// <summary>Sorts the rows: prefixes, then the keys, then input order.</summary>
    public ReadOnlySpan<SortEntry> Sort()
    {
        var entries = _entries.AsSpan(0, Count);
        EntrySort.Sort(entries, new SortEntry.Order(_sortKeys, _keys, Prefixed));
        return entries;
    }

    /// <summary>The row's bytes: schema number, line, stored keys, cells.</summary>
    public ReadOnlySpan<byte> Bytes(in SortEntry row) => _arena.Page(row.Location).AsSpan(RowArena.Offset(row.Location), row.Length);

    /// <summary>Asks the CPU to start loading the row's bytes. Rows are visited in sorted order, scattered over
    /// the arena, and without this a spill spends most of its time waiting for each row in turn.</summary>
    public unsafe void Prefetch(in SortEntry row)
    {
        if (!Sse.IsSupported) return;
        fixed (byte* bytes = &_arena.Page(row.Location)[RowArena.Offset(row.Location)]) Sse.Prefetch0(bytes);
    }

    /// <summary>Points <paramref name="reader"/> at the row's bytes.</summary>
    public void Load(SpillReader reader, in SortEntry row) => reader.Load(_arena.Page(row.Location), RowArena.Offset(row.Location), row.Length);

    /// <summary>Forgets the rows; the arrays and pages stay for the next run.</summary>
    public void Clear()
    {
        _arena.Clear();
        _schemas.Clear();
        ReleaseBatches();
        Array.Clear(_keys, 0, Count * _sortKeys.Count);
        Count = 0;
        _keyTextBytes = 0;
        Prefixed = true;
    }

    private int Grown => _entries.Length + Math.Max(InitialCapacity, _entries.Length / 2);

    private long HeldWith(int capacity) => _arena.Bytes + capacity * _bytesPerRow + _keyTextBytes + _batchBytes;

    /// <summary>The schema's number in this run (rows of one schema follow each other).</summary>
    private int SchemaIndex(Schema schema)
    {
        int last = _schemas.Count - 1;
        if (last >= 0 && ReferenceEquals(_schemas[last], schema)) return last;
        int index = _schemas.IndexOf(schema);
        if (index >= 0) return index;
        _schemas.Add(schema);
        return last + 1;
    }
}
