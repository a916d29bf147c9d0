using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>The rows of a batch as one block: what evaluators work through in bulk. Rows start
/// <paramref name="stride"/> cells apart (see <see cref="Batch.Stride"/>).</summary>
internal readonly ref struct RowBlock(Schema schema, ReadOnlySpan<Value> cells, int count, int stride)
{
    public Schema Schema { get; } = schema;
    public ReadOnlySpan<Value> Cells { get; } = cells;
    public int Count { get; } = count;
    public int Stride { get; } = stride;

    public Row Row(int i) => new(Schema, Cells.Slice(i * Stride, Schema.Width));

    /// <summary>Throws unless every row's cells lie within <see cref="Cells"/>: loops that read rows without a
    /// bounds check each check this once.</summary>
    public void CheckCells()
    {
        if (Count > 0 && (long)(Count - 1) * Stride + Schema.Width > Cells.Length)
            throw new ArgumentOutOfRangeException(nameof(Cells), "the block's cells are shorter than its rows");
    }
}

/// <summary>
/// One value per row of a block, read in place: a field is a stride over the batch's cells (no
/// copy), a constant is one cell with stride 0 (no fill), a computed result is scratch with stride 1.
/// </summary>
internal readonly ref struct Column
{
    private static readonly Value[] NullCell = [Value.Null];

    private readonly ref readonly Value _first;
    private readonly int _stride;

    public Column(ref readonly Value first, int stride)
    {
        _first = ref first;
        _stride = stride;
    }

    public static Column Of(Span<Value> values) => new(ref MemoryMarshal.GetReference(values), 1);
    public static Column Nulls => new(ref NullCell[0], 0);

    /// <summary>Unchecked: the block's evaluator guarantees i is below the block's row count.</summary>
    public ref readonly Value this[int i]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Unsafe.Add(ref Unsafe.AsRef(in _first), (nint)i * _stride);
    }

    public bool IsConstant => _stride == 0;
}

/// <summary>
/// Result columns of one block evaluation, reused: a block costs no allocation once as many blocks have
/// been evaluated at once as now. Kept in a shared pool rather than per thread, so their memory follows
/// the blocks evaluated at the same time (about one per core), not the threads the pool has started.
/// Columns that may hold text, lists or maps are cleared before reuse, so none outlives the block it came
/// from; columns of booleans and numbers are simply overwritten.
/// </summary>
internal sealed class BlockScratch
{
    private static readonly Stack<BlockScratch> Idle = new();

    private readonly List<Value[]> _columns = [];
    private readonly List<bool[]> _flags = [];
    private int _flagsRented;
    private readonly List<bool> _holdsReferences = [];
    private int _rented, _rows;

    /// <summary>A scratch no other evaluation is using, for a block of <paramref name="rows"/> rows.</summary>
    public static BlockScratch Enter(int rows)
    {
        BlockScratch? scratch;
        lock (Idle) Idle.TryPop(out scratch);
        scratch ??= new BlockScratch();
        scratch._rows = rows;
        return scratch;
    }

    /// <summary>A column for one value per row of the block.</summary>
    public Span<Value> Rent() => RentArray().AsSpan(0, _rows);

    /// <summary>A column only ever given nulls, booleans and numbers (nothing to let go of afterwards).</summary>
    public Span<Value> RentForScalars() => RentArray(holdsReferences: false).AsSpan(0, _rows);

    /// <summary>A column as an array (at least as long as the block), for keeping several side by side.</summary>
    public Value[] RentArray(bool holdsReferences = true)
    {
        if (_rented == _columns.Count)
        {
            _columns.Add(new Value[Math.Max(_rows, 1024)]);
            _holdsReferences.Add(false);
        }
        var column = _columns[_rented];
        if (column.Length < _rows) _columns[_rented] = column = new Value[_rows];
        _holdsReferences[_rented] |= holdsReferences;
        _rented++;
        return column;
    }

    /// <summary>One flag per row of the block (for conditions).</summary>
    public Span<bool> RentFlags()
    {
        if (_flagsRented == _flags.Count) _flags.Add(new bool[Math.Max(_rows, 1024)]);
        var flags = _flags[_flagsRented];
        if (flags.Length < _rows) _flags[_flagsRented] = flags = new bool[_rows];
        _flagsRented++;
        return flags.AsSpan(0, _rows);
    }

    /// <summary>Takes back every column for the next block, of <paramref name="rows"/> rows.</summary>
    public void Next(int rows)
    {
        _flagsRented = 0;
        for (int i = 0; i < _rented; i++)
        {
            if (!_holdsReferences[i]) continue;
            _columns[i].AsSpan(0, _rows).Clear();
            _holdsReferences[i] = false;
        }
        _rented = 0;
        _rows = rows;
    }

    public void Exit()
    {
        Next(0);
        lock (Idle) Idle.Push(this);
    }
}
