using System.Runtime.CompilerServices;
using System.Buffers;

namespace Ocht.Values;

/// <summary>
/// A run of records that share one <see cref="Schema"/>, stored row-major in one cell array so a
/// batch costs a handful of allocations, not a few per record. Rows are <see cref="Stride"/> cells
/// apart: their fields, then room (always null) for fields a later step adds without moving rows. A batch has one owner at a time
/// (the stage working on it), which may change it in place. Cell arrays are rented from a pool
/// (a 4096-row batch is about 1 MB, which would otherwise be a large-object allocation per batch)
/// and go back with <see cref="Release"/> when the last owner is done.
/// </summary>
public sealed class Batch
{
    // Enough arrays per size for every batch in flight between the stages of a parallel run; the
    // shared pool keeps only a few per core, and a miss is a fresh large-object allocation.
    private static readonly ArrayPool<Value> CellPool = ArrayPool<Value>.Create(maxArrayLength: 1 << 24, maxArraysPerBucket: 64);

    private Value[] _cells;
    private long[] _lines;

    /// <param name="spareFields">Room in each row for fields a later step may add (<see cref="Widen"/>) without
    /// moving the rows.</param>
    public Batch(Schema schema, int capacity, int spareFields = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentOutOfRangeException.ThrowIfNegative(spareFields);
        Schema = schema;
        Stride = schema.Width + spareFields;
        _cells = RentCells(Math.Max(1, capacity) * Stride);
        _lines = new long[Math.Max(1, capacity)];
    }

    /// <summary>A cleared cell array for <paramref name="length"/> cells, from the pool (may be longer).</summary>
    /// <remarks>Pooled arrays are always clear: a batch clears every cell past its rows (compact, truncate,
    /// remove) and the cells it used when it returns them, so neither renting nor adding a row clears.</remarks>
    public static Value[] RentCells(int length) => CellPool.Rent(Math.Max(1, length));

    private void ReturnCells(Value[] cells, int used)
    {
        cells.AsSpan(0, Math.Min(used, cells.Length)).Clear();
        CellPool.Return(cells);
    }

    /// <summary>The batch is finished (every sink has written it): its cells go back to the pool.
    /// Nothing may use the batch afterwards.</summary>
    public void Release()
    {
        if (_cells.Length == 0) return;
        ReturnCells(_cells, Count * Stride);
        _cells = [];
        Count = 0;
    }

    public Schema Schema { get; private set; }
    public int Width => Schema.Width;
    /// <summary>Cells from one row's start to the next's: <see cref="Width"/>, or more when rows have room left.</summary>
    public int Stride { get; private set; }
    public int Count { get; private set; }
    public int Capacity => _lines.Length;
    public bool IsFull => Count == _lines.Length;

    /// <summary>Source progress this batch carries: once it is durably written, the source may treat
    /// everything up to this sequence number as done.</summary>
    public long Sequence { get; set; }

    /// <summary>Records the source could not turn into records (parse errors), in source order.</summary>
    public List<Rejection>? Rejections { get; private set; }

    /// <summary>The 1-based physical source line of each row (0 when unknown).</summary>
    public ReadOnlySpan<long> Lines => _lines.AsSpan(0, Count);

    public long LineOf(int row) => _lines[row];

    /// <summary>Every row's cells, row after row (<see cref="Stride"/> apart): for evaluating a whole batch at once.</summary>
    public ReadOnlySpan<Value> Cells => _cells.AsSpan(0, Count * Stride);

    public ReadOnlySpan<Value> Row(int row) => _cells.AsSpan(row * Stride, Schema.Width);

    /// <summary>The row's cells for in-place updates by the batch's owner.</summary>
    public Span<Value> RowForUpdate(int row) => _cells.AsSpan(row * Stride, Schema.Width);

    /// <summary>Every row's cells for writing (<see cref="Stride"/> apart), as <see cref="Cells"/>: a step that fills
    /// one field of every row writes it in place.</summary>
    public Span<Value> CellsForUpdate => _cells.AsSpan(0, Count * Stride);

    public Value this[int row, int field] => _cells[row * Stride + field];

    /// <summary>Appends a row and returns its cells to fill (all null).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public Span<Value> AddRow(long line)
    {
        if (Count == _lines.Length) Grow();
        _lines[Count] = line;
        var row = _cells.AsSpan(Count * Stride, Schema.Width);
        Count++;
        return row;
    }

    public void AddRow(ReadOnlySpan<Value> values, long line)
    {
        if (values.Length != Schema.Width)
            throw new ArgumentException($"row has {values.Length} values, schema has {Schema.Width} fields");
        values.CopyTo(AddRow(line));
    }

    /// <summary>Removes the last row (a reader that started a row and then found it malformed).</summary>
    public void RemoveLastRow()
    {
        if (Count == 0) throw new InvalidOperationException("batch is empty");
        Count--;
        _cells.AsSpan(Count * Stride, Stride).Clear();
    }

    public void AddRejection(Rejection rejection) => (Rejections ??= []).Add(rejection);

    /// <summary>Keeps only rows whose flag is set, preserving order (filter, rejections).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compact(ReadOnlySpan<bool> keep)
    {
        keep = keep[..Count];
        int width = Stride, write = 0, read = 0;
        while (true)
        {
            // Rows kept side by side move as one block: one bulk copy each, not one per row.
            int skip = keep[read..].IndexOf(true);
            if (skip < 0) break;
            read += skip;
            int run = keep[read..].IndexOf(false);
            if (run < 0) run = Count - read;
            if (write != read)
            {
                _cells.AsSpan(read * width, run * width).CopyTo(_cells.AsSpan(write * width, run * width));
                _lines.AsSpan(read, run).CopyTo(_lines.AsSpan(write, run));
            }
            write += run;
            read += run;
        }
        _cells.AsSpan(write * width, (Count - write) * width).Clear();
        Count = write;
    }

    /// <summary>Drops rows from <paramref name="count"/> on (limit).</summary>
    public void Truncate(int count)
    {
        if (count >= Count) return;
        _cells.AsSpan(count * Stride, (Count - count) * Stride).Clear();
        Count = count;
    }

    /// <summary>Replaces the schema and cells wholesale (projections that rebuild rows, <see cref="Width"/> cells
    /// apart); the old cells go back to the pool. <paramref name="cells"/> should come from <see cref="RentCells"/>.</summary>
    public void Reshape(Schema schema, Value[] cells)
    {
        if (cells.Length < Count * schema.Width)
            throw new ArgumentException("cell array too small for the batch");
        var old = _cells;
        int used = Count * Stride;
        Schema = schema;
        Stride = schema.Width;
        _cells = cells;
        ReturnCells(old, used);
    }

    /// <summary>Appends fields, null in every row: <paramref name="wider"/> starts with this batch's fields (derive
    /// and lookup add theirs at the end). When the rows have room for them, nothing moves. Otherwise the rows move
    /// apart within their cell array when it has room for every row the batch may hold at the new width (pooled
    /// arrays come in powers of two, so one more field usually fits), or to a new array.</summary>
    public void Widen(Schema wider)
    {
        int from = Schema.Width, to = wider.Width;
        if (to < from) throw new ArgumentException($"widen must not narrow the batch ({from} fields to {to})");
        if (to <= Stride)
        {
            Schema = wider;
            return;
        }
        int stride = Stride;
        if (_cells.Length < Capacity * to)
        {
            var cells = RentCells(Capacity * to);
            for (int row = 0; row < Count; row++) _cells.AsSpan(row * stride, from).CopyTo(cells.AsSpan(row * to, from));
            Reshape(wider, cells);
            return;
        }
        // From the last row down, each row's new place starts at or after its old one and past every row not moved yet.
        for (int row = Count - 1; row >= 0; row--)
        {
            _cells.AsSpan(row * stride, from).CopyTo(_cells.AsSpan(row * to, from));
            _cells.AsSpan(row * to + from, to - from).Clear();
        }
        Schema = wider;
        Stride = to;
    }

    /// <summary>Renames fields without touching cells (same width, same positions).</summary>
    public void Relabel(Schema schema)
    {
        if (schema.Width != Schema.Width) throw new ArgumentException("relabel must keep the width");
        Schema = schema;
    }

    public Record GetRecord(int row) => new(Schema, Row(row).ToArray());

    public IEnumerable<Record> Records()
    {
        for (int i = 0; i < Count; i++)
            yield return GetRecord(i);
    }

    /// <summary>Groups records into batches of at most <paramref name="batchSize"/>, cutting where the schema changes
    /// (rows with <paramref name="spareFields"/> of room each, as in <see cref="Batch(Schema, int, int)"/>).</summary>
    public static IEnumerable<Batch> FromRecords(IEnumerable<Record> records, int batchSize = 4096, long firstLine = 0, int spareFields = 0)
    {
        Batch? current = null;
        long line = firstLine;
        foreach (var record in records)
        {
            if (current is not null && (current.IsFull || !current.Schema.SameFields(record.Schema)))
            {
                yield return current;
                current = null;
            }
            current ??= new Batch(record.Schema, batchSize, spareFields);
            current.AddRow(record.Values, firstLine == 0 ? 0 : line);
            line++;
        }
        if (current is not null)
            yield return current;
    }

    private void Grow()
    {
        int capacity = _lines.Length * 2;
        Array.Resize(ref _lines, capacity);
        var cells = RentCells(capacity * Stride);
        _cells.AsSpan(0, Count * Stride).CopyTo(cells);
        ReturnCells(_cells, Count * Stride);
        _cells = cells;
    }
}
