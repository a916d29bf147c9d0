using System.Runtime.InteropServices;
using System.Text.Unicode;
using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>
/// The binary form of sorted rows in a spill run: each row carries its schema id, source line,
/// input position, sort keys and cells. Schemas are written once per run, before their first row.
/// Text is UTF-8, or UTF-16 code units when it is not valid Unicode (a lone surrogate from JSON),
/// so a spill never changes a value.
/// </summary>
internal sealed class RunWriter : IDisposable
{
    private readonly SpillWriter _out;
    private readonly Dictionary<Schema, int> _schemas = new(ReferenceEqualityComparer.Instance);
    private Schema? _lastSchema; // rows of one schema follow each other: skip the lookup
    private int _lastId;

    public RunWriter(Stream stream) => _out = new SpillWriter(stream);

    public void Write(Schema schema, long line, long position, ReadOnlySpan<Value> keys, ReadOnlySpan<Value> cells)
    {
        int id = ReferenceEquals(schema, _lastSchema) ? _lastId : Id(schema);
        _out.WriteByte(2);
        _out.WriteVarint((uint)id);
        _out.WriteVarint((ulong)line);
        _out.WriteVarint((ulong)position);
        foreach (var k in keys) WriteValue(k);
        foreach (var c in cells) WriteValue(c);
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
            foreach (var name in schema.Names) WriteText(name);
        }
        _lastSchema = schema;
        _lastId = id;
        return id;
    }

    private void WriteValue(in Value v)
    {
        _out.WriteByte((byte)v.Kind);
        switch (v.Kind)
        {
            case ValueKind.Null: break;
            case ValueKind.Bool: _out.WriteByte(v.AsBool ? (byte)1 : (byte)0); break;
            case ValueKind.Int: _out.WriteVarint((ulong)v.AsInt); break;
            case ValueKind.Decimal: _out.WriteDecimal(v.AsDecimal); break;
            case ValueKind.Float: _out.WriteDouble(v.AsFloat); break;
            case ValueKind.String: WriteText(v.AsString); break;
            case ValueKind.Timestamp: _out.WriteInt64(v.TimestampTicks); break;
            case ValueKind.List:
                _out.WriteVarint((uint)v.AsList.Length);
                foreach (var item in v.AsList) WriteValue(item);
                break;
            default:
                {
                    var map = v.AsMap;
                    _out.WriteVarint((uint)map.Count);
                    for (int i = 0; i < map.Count; i++)
                    {
                        WriteText(map.Keys[i]);
                        WriteValue(map.Values[i]);
                    }
                    break;
                }
        }
    }

    private byte[] _utf8 = new byte[256];

    /// <summary>Length × 2 (+1 for UTF-16), then the bytes.</summary>
    private void WriteText(string text)
    {
        if (_utf8.Length < text.Length * 3) _utf8 = new byte[text.Length * 3];
        if (Utf8.FromUtf16(text, _utf8, out _, out int written, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done)
        {
            _out.WriteVarint((uint)(written << 1));
            _out.WriteBytes(_utf8.AsSpan(0, written));
            return;
        }
        _out.WriteVarint((uint)((text.Length << 1) | 1));
        _out.WriteBytes(MemoryMarshal.AsBytes(text.AsSpan()));
    }

    public void Dispose() => _out.Dispose();
}

/// <summary>Reads a run row by row; <see cref="Current"/> is valid until the next <see cref="MoveNext"/>.</summary>
internal sealed class RunReader : IDisposable
{
    private readonly SpillReader _in;
    private readonly List<Schema> _schemas = new();
    private readonly SchemaCache _mapKeys = new();
    private readonly SortKeys _sortKeys;

    public RunReader(Stream stream, SortKeys keys)
    {
        _in = new SpillReader(stream);
        _sortKeys = keys;
        Keys = new Value[keys.Count];
    }

    public Schema Schema { get; private set; } = Schema.Empty;
    public long Line { get; private set; }
    public long Position { get; private set; }
    public Value[] Keys { get; }
    /// <summary>The prefixes of <see cref="Keys"/>, for the merge's comparisons.</summary>
    public SortEntry Entry => _entry;
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
                int width = ReadCount();
                var names = new string[width];
                for (int i = 0; i < width; i++) names[i] = ReadText(null);
                _schemas.Add(Schema.Of(names));
                continue;
            }
            Schema = _schemas[ReadCount()];
            Line = (long)_in.ReadVarint();
            Position = (long)_in.ReadVarint();
            for (int k = 0; k < Keys.Length; k++) Keys[k] = ReadValue(TextsOf(k));
            SortEntry.TryCreate(_sortKeys, Keys, 0, out _entry);
            if (Cells.Length != Schema.Width) Cells = new Value[Schema.Width];
            for (int c = 0; c < Cells.Length; c++) Cells[c] = ReadValue(TextsOf(Keys.Length + c));
            return true;
        }
    }

    /// <summary>One string cache per key and column position: repeated short text (codes, statuses)
    /// comes back as one string instead of one per row.</summary>
    private Utf8Text TextsOf(int position)
    {
        if (position >= _texts.Length) Array.Resize(ref _texts, Math.Max(position + 1, _texts.Length * 2));
        return _texts[position] ??= new Utf8Text();
    }

    private Utf8Text?[] _texts = new Utf8Text?[16];
    private byte[] _bytes = new byte[256];

    private string ReadText(Utf8Text? cache)
    {
        int header = ReadCount();
        int length = header >> 1;
        if ((header & 1) == 1)
        {
            var chars = new char[length];
            _in.ReadExactly(MemoryMarshal.AsBytes(chars.AsSpan()));
            return new string(chars);
        }
        if (_bytes.Length < length) _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
        var utf8 = _bytes.AsSpan(0, length);
        _in.ReadExactly(utf8);
        return (cache is null ? Utf8Text.DecodeStrict(utf8) : cache.Decode(utf8))
            ?? throw new InvalidDataException("corrupt spill run: text is not UTF-8");
    }

    private Value ReadValue(Utf8Text? texts = null)
    {
        var kind = (ValueKind)_in.ReadByte();
        switch (kind)
        {
            case ValueKind.Null: return Value.Null;
            case ValueKind.Bool: return Value.FromBool(_in.ReadByte() != 0);
            case ValueKind.Int: return Value.FromInt((long)_in.ReadVarint());
            case ValueKind.Decimal: return Value.FromDecimal(_in.ReadDecimal());
            case ValueKind.Float: return Value.FromFloat(_in.ReadDouble());
            case ValueKind.String: return Value.FromString(ReadText(texts));
            case ValueKind.Timestamp: return Value.FromTimestampTicks(_in.ReadInt64());
            case ValueKind.List:
                {
                    var items = new Value[ReadCount()];
                    for (int i = 0; i < items.Length; i++) items[i] = ReadValue();
                    return Value.FromList(items);
                }
            case ValueKind.Map:
                {
                    int count = ReadCount();
                    var names = new string[count];
                    var values = new Value[count];
                    for (int i = 0; i < count; i++)
                    {
                        names[i] = ReadText(null);
                        values[i] = ReadValue();
                    }
                    return Value.FromMap(new MapValue(_mapKeys.Get(names), values));
                }
            default: throw new InvalidDataException($"corrupt spill run: value tag {(byte)kind}");
        }
    }

    /// <summary>A width, schema id, length or count: never negative, and within an int.</summary>
    private int ReadCount() => _in.ReadVarint() is var n and <= int.MaxValue ? (int)n : throw new InvalidDataException("corrupt spill run: a count is out of range");

    public void Dispose() => _in.Dispose();
}
