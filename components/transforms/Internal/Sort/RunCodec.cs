using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>
/// The binary form of sorted rows in a spill run: each row carries its input position, schema id and
/// source line, then the sort keys that are not cells (<see cref="KeyCells"/>) and the cells
/// (<see cref="ValueEncoder"/>). Schemas are written once per run, before their first row.
/// </summary>
internal sealed class RunWriter : IDisposable
{
    private readonly SpillWriter _out;
    private readonly ValueEncoder _values;
    private readonly KeyCells _keyCells;
    private readonly Dictionary<Schema, int> _schemas = new(ReferenceEqualityComparer.Instance);
    private Schema? _lastSchema; // rows of one schema follow each other: skip the lookup
    private int _lastId;

    public RunWriter(Stream stream, SortKeys keys)
    {
        _out = new SpillWriter(stream);
        _values = new ValueEncoder(_out);
        _keyCells = new KeyCells(keys);
    }

    public void Write(Schema schema, long line, long position, ReadOnlySpan<Value> keys, ReadOnlySpan<Value> cells)
    {
        int id = ReferenceEquals(schema, _lastSchema) ? _lastId : Id(schema);
        _out.WriteByte(2);
        _out.WriteVarint((ulong)position);
        _out.WriteVarint((uint)id);
        _out.WriteVarint((ulong)line);
        KeyCells.WriteStored(_values, keys, _keyCells.Of(schema));
        _values.WriteValues(cells);
    }

    /// <summary>Numbers <paramref name="schemas"/> 0, 1, … in this run, before any row refers to them.</summary>
    public void Declare(IReadOnlyList<Schema> schemas)
    {
        if (_schemas.Count > 0) throw new InvalidOperationException("schemas are declared before the first row");
        foreach (var schema in schemas) Id(schema);
    }

    /// <summary>A row already encoded (<see cref="SortRun"/>): schema number as declared, line, keys, cells.</summary>
    public void Write(long position, ReadOnlySpan<byte> row)
    {
        _out.WriteByte(2);
        _out.WriteVarint((ulong)position);
        _out.WriteBytes(row);
    }

    /// <summary>The schema's number in this run; its names are written before its first row.</summary>
    private int Id(Schema schema)
    {
        if (!_schemas.TryGetValue(schema, out int id))
        {
            id = _schemas.Count;
            _schemas.Add(schema, id);
            _out.WriteByte(1);
            _out.WriteVarint((uint)schema.Width);
            foreach (var name in schema.Names) _values.WriteText(name);
        }
        _lastSchema = schema;
        _lastId = id;
        return id;
    }

    public void Dispose() => _out.Dispose();
}

/// <summary>Reads a run row by row; the row's values are valid until the next <see cref="MoveNext"/>.</summary>
internal sealed class RunReader : IDisposable
{
    private readonly SpillReader _in;
    private readonly ValueDecoder _values;
    private readonly List<Schema> _schemas = new();
    private readonly SchemaCache _schemaCache;
    private readonly SortKeys _sortKeys;
    private readonly KeyCells _keyCells;

    /// <summary>Readers of one merge share <paramref name="schemas"/>, so rows with the same fields from
    /// different runs have the same <see cref="Schema"/> instance.</summary>
    public RunReader(Stream stream, SortKeys keys, SchemaCache schemas)
    {
        _in = new SpillReader(stream);
        _schemaCache = schemas;
        _values = new ValueDecoder(_in);
        _sortKeys = keys;
        _keyCells = new KeyCells(keys);
        Keys = new Value[keys.Count];
    }

    public Schema Schema { get; private set; } = Schema.Empty;
    public long Line { get; private set; }
    public long Position { get; private set; }
    public Value[] Keys { get; }
    /// <summary>The prefixes of <see cref="Keys"/>, for the merge's comparisons.</summary>
    public ref readonly SortEntry Entry => ref _entry;
    private SortEntry _entry;
    public Value[] Cells { get; private set; } = [];

    public bool MoveNext()
    {
        while (true)
        {
            int tag = _in.ReadByteOrEnd();
            if (tag < 0) return false;
            if (tag == 1)
            {
                int width = _values.ReadCount();
                var names = new string[width];
                for (int i = 0; i < width; i++) names[i] = _values.ReadText(null);
                _schemas.Add(_schemaCache.Get(names));
                continue;
            }
            Position = (long)_in.ReadVarint();
            Schema = _schemas[_values.ReadCount()];
            Line = (long)_in.ReadVarint();
            var keyCells = _keyCells.Of(Schema);
            KeyCells.ReadStored(_values, Keys, keyCells);
            if (Cells.Length != Schema.Width) Cells = new Value[Schema.Width];
            _values.ReadValues(Cells, Keys.Length);
            KeyCells.FillFromCells(Keys, Cells, keyCells);
            SortEntry.TryCreate(_sortKeys, Keys, 0, out _entry);
            return true;
        }
    }

    public void Dispose() => _in.Dispose();
}
