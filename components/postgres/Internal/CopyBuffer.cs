using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Ocht.Values;

namespace Ocht.Postgres;

/// <summary>
/// PostgreSQL's binary COPY format (header, tuples of length-prefixed fields in network byte order,
/// trailer) written straight into one reusable byte buffer, which the sink hands to a raw COPY stream.
/// Encoding here instead of through Npgsql's per-value importer API took the sink's share of the
/// worker's CPU from about a quarter to a few per cent: no binding, no async state per field.
/// </summary>
internal sealed class CopyBuffer : IBufferWriter<byte>
{
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer = new byte[64 * 1024];
    private int _length;
    private Utf8JsonWriter? _json;

    public int Length => _length;
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    public void Clear() => _length = 0;

    public void WriteHeader() => Append(Header);

    public void WriteTrailer() => WriteInt16(-1);

    public void StartRow(int fields) => WriteInt16((short)fields);

    public void WriteNull() => WriteInt32(-1);

    public void WriteInt16Field(short v) => BinaryPrimitives.WriteInt16BigEndian(Field(2), v);

    public void WriteInt32Field(int v) => BinaryPrimitives.WriteInt32BigEndian(Field(4), v);

    public void WriteInt64Field(long v) => BinaryPrimitives.WriteInt64BigEndian(Field(8), v);

    public void WriteFloat32Field(float v) => BinaryPrimitives.WriteSingleBigEndian(Field(4), v);

    public void WriteFloat64Field(double v) => BinaryPrimitives.WriteDoubleBigEndian(Field(8), v);

    public void WriteBoolField(bool v) => Field(1)[0] = v ? (byte)1 : (byte)0;

    public void WriteUuidField(Guid v) => v.TryWriteBytes(Field(16), bigEndian: true, out _);

    /// <summary>text, varchar, char, citext and json: the UTF-8 bytes.</summary>
    public void WriteTextField(string s)
    {
        int max = Utf8.GetMaxByteCount(s.Length);
        var span = Reserve(4 + max);
        int n = Utf8.GetBytes(s, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, n);
        _length -= max - n;
    }

    /// <summary>A value as JSON text (json), or jsonb's version byte 1 and the text.</summary>
    public void WriteJsonField(in Value v, bool jsonb)
    {
        int start = _length;
        Reserve(jsonb ? 5 : 4);
        if (jsonb) _buffer[start + 4] = 1;
        if (_json is null) _json = new Utf8JsonWriter(this, ValueJson.WriterOptions);
        else _json.Reset(this);
        ValueJson.WriteValue(_json, v);
        _json.Flush();
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(start), _length - start - 4);
    }

    /// <summary>numeric: base-10000 digits around the decimal point (<see cref="PgNumeric"/>).</summary>
    public void WriteNumericField(decimal d)
    {
        var span = Reserve(4 + PgNumeric.MaxBytes);
        int n = PgNumeric.Write(d, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, n);
        _length -= PgNumeric.MaxBytes - n;
    }

    /// <summary>A field of a fixed size: its length, then the <paramref name="size"/> bytes returned to fill.</summary>
    private Span<byte> Field(int size)
    {
        var span = Reserve(4 + size);
        BinaryPrimitives.WriteInt32BigEndian(span, size);
        return span[4..];
    }

    private void WriteInt16(short v) => BinaryPrimitives.WriteInt16BigEndian(Reserve(2), v);

    private void WriteInt32(int v) => BinaryPrimitives.WriteInt32BigEndian(Reserve(4), v);

    private void Append(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>The next <paramref name="n"/> bytes, counted as written (callers give back what they do not use).</summary>
    private Span<byte> Reserve(int n)
    {
        if (_length + n > _buffer.Length) Grow(n);
        var span = _buffer.AsSpan(_length, n);
        _length += n;
        return span;
    }

    private void Grow(int n) => Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + n));

    void IBufferWriter<byte>.Advance(int count) => _length += count;

    Memory<byte> IBufferWriter<byte>.GetMemory(int sizeHint)
    {
        if (_length + Math.Max(sizeHint, 256) > _buffer.Length) Grow(Math.Max(sizeHint, 256));
        return _buffer.AsMemory(_length);
    }

    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint) => ((IBufferWriter<byte>)this).GetMemory(sizeHint).Span;
}
