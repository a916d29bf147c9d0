using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>
/// The rows of one sort run in memory: each row's keys (for comparisons) and its encoded keys and
/// cells in a <see cref="RowArena"/> (what a spill writes), with its source line and schema. Filled by
/// the sort on its own thread; once handed to a spill, read by that spill alone until it is cleared.
/// </summary>
internal sealed class SortRun(SortKeys keys)
{
    private const int InitialCapacity = 1024;

    // Per row of capacity: its SortEntry, location, length, line, schema and keys.
    private readonly long _bytesPerRow = 24 + 8 + 4 + 8 + 4 + 24L * keys.Count;
    private readonly RowArena _arena = new();
    private readonly List<Schema> _schemas = new();
    private long[] _locationOf = new long[InitialCapacity];
    private int[] _lengthOf = new int[InitialCapacity];
    private long[] _lineOf = new long[InitialCapacity];
    private int[] _schemaOf = new int[InitialCapacity];
    private Value[] _keys = new Value[InitialCapacity * Math.Max(1, keys.Count)];
    private SortEntry[] _entries = new SortEntry[InitialCapacity];
    private long _keyTextBytes; // what the keys reference (text, lists, maps)

    public int Count { get; private set; }
    public bool IsFull => Count == _entries.Length;
    /// <summary>False once a row's first key cannot be summarised by a prefix (a float).</summary>
    public bool Prefixed { get; private set; } = true;
    /// <summary>The input position of the run's first row (the stable sort's tie-break).</summary>
    public long FirstPosition { get; set; }

    /// <summary>What the run holds: the memory budget's measure.</summary>
    public long HeldBytes => HeldWith(_entries.Length);

    /// <summary>What the run would hold after <see cref="Grow"/>.</summary>
    public long HeldAfterGrowing => HeldWith(Grown);

    /// <summary>Room for the next row; its keys go into <see cref="NextKeys"/> before it is added.</summary>
    public void Grow()
    {
        int size = Grown;
        Array.Resize(ref _locationOf, size);
        Array.Resize(ref _lengthOf, size);
        Array.Resize(ref _lineOf, size);
        Array.Resize(ref _schemaOf, size);
        Array.Resize(ref _keys, size * Math.Max(1, keys.Count));
        Array.Resize(ref _entries, size);
    }

    /// <summary>Where the next row's keys are evaluated to (cleared again when the row is rejected).</summary>
    public Span<Value> NextKeys => _keys.AsSpan(Count * keys.Count, keys.Count);

    /// <summary>Adds the row whose keys are in <see cref="NextKeys"/> and whose keys and cells <paramref name="encoded"/> holds.</summary>
    public void Add(Schema schema, long line, ReadOnlySpan<byte> encoded)
    {
        var rowKeys = NextKeys;
        _locationOf[Count] = _arena.Append(encoded);
        _lengthOf[Count] = encoded.Length;
        _lineOf[Count] = line;
        _schemaOf[Count] = SchemaIndex(schema);
        Prefixed &= SortEntry.TryCreate(keys, rowKeys, Count, out _entries[Count]);
        foreach (var key in rowKeys) _keyTextBytes += MemoryEstimate.Of(key) - 24;
        Count++;
    }

    /// <summary>Row indexes in sorted order: prefixes, then the keys, then input order.</summary>
    public int[] SortedOrder()
    {
        var entries = _entries.AsSpan(0, Count);
        entries.Sort(new SortEntry.Order(keys, _keys, Prefixed));
        var order = new int[Count];
        for (int i = 0; i < order.Length; i++) order[i] = entries[i].Index;
        return order;
    }

    public Schema SchemaOf(int row) => _schemas[_schemaOf[row]];

    public long LineOf(int row) => _lineOf[row];

    /// <summary>The row's encoded keys and cells.</summary>
    public ReadOnlySpan<byte> Encoded(int row) => _arena.Page(_locationOf[row]).AsSpan(RowArena.Offset(_locationOf[row]), _lengthOf[row]);

    /// <summary>Points <paramref name="reader"/> at the row's encoded keys and cells.</summary>
    public void Load(SpillReader reader, int row) => reader.Load(_arena.Page(_locationOf[row]), RowArena.Offset(_locationOf[row]), _lengthOf[row]);

    /// <summary>Forgets the rows; the arrays and pages stay for the next run.</summary>
    public void Clear()
    {
        _arena.Clear();
        _schemas.Clear();
        Array.Clear(_keys, 0, Count * keys.Count);
        Count = 0;
        _keyTextBytes = 0;
        Prefixed = true;
    }

    private int Grown => _entries.Length + Math.Max(InitialCapacity, _entries.Length / 2);

    private long HeldWith(int capacity) => _arena.Bytes + capacity * _bytesPerRow + _keyTextBytes;

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
