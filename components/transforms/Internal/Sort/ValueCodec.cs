using System.Runtime.InteropServices;
using System.Text.Unicode;
using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>
/// Values in the sort's binary form: a kind byte, then the payload. Text is UTF-8, or UTF-16 code
/// units when it is not valid Unicode (a lone surrogate from JSON), so encoding never changes a value.
/// A decimal whose mantissa fits 64 bits takes a flags byte and a varint (about 4 bytes, not 17).
/// </summary>
internal sealed class ValueEncoder(SpillWriter output)
{
    // Below this many chars a length takes one byte: codes, names, statuses, written without a transcoder call.
    private const int ShortText = 64;

    private byte[] _utf8 = new byte[256];

    public void WriteValues(ReadOnlySpan<Value> values)
    {
        foreach (var v in values) WriteValue(v);
    }

    public void WriteValue(in Value v)
    {
        output.WriteByte((byte)v.Kind);
        switch (v.Kind)
        {
            case ValueKind.Null: break;
            case ValueKind.Bool: output.WriteByte(v.AsBool ? (byte)1 : (byte)0); break;
            case ValueKind.Int: output.WriteVarint((ulong)v.AsInt); break;
            case ValueKind.Decimal: WriteDecimal(v); break;
            case ValueKind.Float: output.WriteDouble(v.AsFloat); break;
            case ValueKind.String: WriteText(v.AsString); break;
            case ValueKind.Timestamp: output.WriteInt64(v.TimestampTicks); break;
            case ValueKind.List:
                output.WriteVarint((uint)v.AsList.Length);
                foreach (var item in v.AsList) WriteValue(item);
                break;
            default:
                {
                    var map = v.AsMap;
                    output.WriteVarint((uint)map.Count);
                    for (int i = 0; i < map.Count; i++)
                    {
                        WriteText(map.Keys[i]);
                        WriteValue(map.Values[i]);
                    }
                    break;
                }
        }
    }

    /// <summary>Flags (scale, sign, whether the mantissa fits 64 bits), then the mantissa as a varint or three ints.</summary>
    private void WriteDecimal(in Value v)
    {
        // Most decimals are a 63-bit mantissa and a scale already; zero goes the long way, which keeps the sign of -0.00.
        if (v.TryGetScaled(out long mantissa, out int scale) && mantissa != 0)
        {
            output.WriteByte((byte)(scale | (mantissa < 0 ? ValueDecoder.Negative : 0) | ValueDecoder.Small));
            output.WriteVarint((ulong)Math.Abs(mantissa));
            return;
        }
        var d = v.AsDecimal;
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(d, bits);
        byte flags = (byte)((bits[3] >> 16) & 0x1F);
        if (bits[3] < 0) flags |= ValueDecoder.Negative;
        if (bits[2] == 0)
        {
            output.WriteByte((byte)(flags | ValueDecoder.Small));
            output.WriteVarint((uint)bits[0] | ((ulong)(uint)bits[1] << 32));
            return;
        }
        output.WriteByte(flags);
        output.WriteDecimal(d);
    }

    /// <summary>Short ASCII text straight into the output; false (nothing written) when a char is not ASCII.</summary>
    private bool TryWriteShortAscii(string text)
    {
        var into = output.GetSpan(text.Length + 1);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c >= 0x80) return false;
            into[i + 1] = (byte)c;
        }
        into[0] = (byte)(text.Length << 1);
        output.Advance(text.Length + 1);
        return true;
    }

    /// <summary>Length × 2 (+1 for UTF-16), then the bytes.</summary>
    public void WriteText(string text)
    {
        if (text.Length < ShortText && TryWriteShortAscii(text)) return;
        if (_utf8.Length < text.Length * 3) _utf8 = new byte[text.Length * 3];
        if (Utf8.FromUtf16(text, _utf8, out _, out int written, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done)
        {
            output.WriteVarint((uint)(written << 1));
            output.WriteBytes(_utf8.AsSpan(0, written));
            return;
        }
        output.WriteVarint((uint)((text.Length << 1) | 1));
        output.WriteBytes(MemoryMarshal.AsBytes(text.AsSpan()));
    }
}

/// <summary>Reads what <see cref="ValueEncoder"/> wrote. Short text repeated at one position (codes, statuses)
/// comes back as one string instead of one per row.</summary>
internal sealed class ValueDecoder(SpillReader input)
{
    public const byte Negative = 0x80, Small = 0x40;

    private readonly SchemaCache _mapKeys = new();
    private Utf8Text?[] _texts = new Utf8Text?[16];
    private byte[] _bytes = new byte[256];

    /// <summary>Reads values into <paramref name="into"/>; <paramref name="firstPosition"/> picks their text caches.</summary>
    public void ReadValues(Span<Value> into, int firstPosition)
    {
        for (int i = 0; i < into.Length; i++) ReadInto(ref into[i], TextsOf(firstPosition + i));
    }

    /// <summary>A value whose short text is cached with the other values at <paramref name="position"/>.</summary>
    public Value ReadCached(int position) => ReadValue(TextsOf(position));

    /// <summary>Reads a value straight into its cell: the common kinds are built there (one that holds no
    /// reference is stored without a write barrier) instead of returned and copied.</summary>
    private void ReadInto(ref Value cell, Utf8Text texts)
    {
        var kind = (ValueKind)input.ReadByte();
        switch (kind)
        {
            case ValueKind.Null: cell = default; return;
            case ValueKind.Int: cell = Value.FromInt((long)input.ReadVarint()); return;
            case ValueKind.Decimal: ReadDecimalInto(ref cell); return;
            case ValueKind.String: cell = Value.FromText(ReadText(texts)); return;
            case ValueKind.Timestamp: cell = Value.FromTimestampTicks(input.ReadInt64()); return;
            default: cell = ReadValueOfKind(kind, texts); return;
        }
    }

    public Value ReadValue(Utf8Text? texts = null) => ReadValueOfKind((ValueKind)input.ReadByte(), texts);

    private Value ReadValueOfKind(ValueKind kind, Utf8Text? texts)
    {
        switch (kind)
        {
            case ValueKind.Null: return Value.Null;
            case ValueKind.Bool: return Value.FromBool(input.ReadByte() != 0);
            case ValueKind.Int: return Value.FromInt((long)input.ReadVarint());
            case ValueKind.Decimal:
                {
                    Value decimalValue = default;
                    ReadDecimalInto(ref decimalValue);
                    return decimalValue;
                }
            case ValueKind.Float: return Value.FromFloat(input.ReadDouble());
            case ValueKind.String: return Value.FromString(ReadText(texts));
            case ValueKind.Timestamp: return Value.FromTimestampTicks(input.ReadInt64());
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

    private void ReadDecimalInto(ref Value cell)
    {
        byte flags = input.ReadByte();
        if ((flags & Small) == 0)
        {
            cell = Value.FromDecimal(input.ReadDecimal());
            return;
        }
        int scale = flags & 0x1F;
        if (scale > 28) throw new InvalidDataException("corrupt spill run: a decimal scale is out of range");
        ulong mantissa = input.ReadVarint();
        bool negative = (flags & Negative) != 0;
        // A 63-bit mantissa needs no System.Decimal; zero does, to keep the sign of -0.00.
        if (mantissa != 0 && mantissa <= long.MaxValue) cell = Value.FromScaledExact(negative ? -(long)mantissa : (long)mantissa, scale);
        else cell = Value.FromDecimal(new decimal((int)mantissa, (int)(mantissa >> 32), 0, negative, (byte)scale));
    }

    public string ReadText(Utf8Text? cache)
    {
        int header = ReadCount();
        int length = header >> 1;
        if ((header & 1) == 1)
        {
            var chars = new char[length];
            input.ReadExactly(MemoryMarshal.AsBytes(chars.AsSpan()));
            return new string(chars);
        }
        if (!input.TryTakeBuffered(length, out var utf8))
        {
            if (_bytes.Length < length) _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
            input.ReadExactly(_bytes.AsSpan(0, length));
            utf8 = _bytes.AsSpan(0, length);
        }
        return (cache is null ? Utf8Text.DecodeStrict(utf8) : cache.Decode(utf8))
            ?? throw new InvalidDataException("corrupt spill run: text is not UTF-8");
    }

    /// <summary>A width, schema id, length or count: never negative, and within an int.</summary>
    public int ReadCount() => input.ReadVarint() is var n and <= int.MaxValue ? (int)n : throw new InvalidDataException("corrupt spill run: a count is out of range");

    private Utf8Text TextsOf(int position)
    {
        if (position >= _texts.Length) Array.Resize(ref _texts, Math.Max(position + 1, _texts.Length * 2));
        return _texts[position] ??= new Utf8Text();
    }
}
