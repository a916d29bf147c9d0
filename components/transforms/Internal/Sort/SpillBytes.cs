using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Ocht.Transforms;

/// <summary>
/// The primitives of a spill run (BinaryWriter's encodings: 7-bit varints, little-endian numbers, decimal
/// as four ints) written into one byte array that goes to the stream when full. BinaryWriter over a
/// BufferedStream made two virtual calls per byte: about 10% of a 10M-row external sort.
/// Without a stream the array grows instead and <see cref="Written"/> holds everything since the last
/// <see cref="Clear"/>: the sort encodes each row that way before it keeps the bytes.
/// </summary>
internal sealed class SpillWriter(Stream? stream) : IDisposable
{
    private byte[] _buffer = new byte[1 << 16];
    private int _length;

    /// <summary>A writer that keeps its bytes in memory.</summary>
    public SpillWriter() : this(null) { }

    /// <summary>The bytes written since the last <see cref="Clear"/> (a writer without a stream).</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Clear() => _length = 0;

    public void WriteByte(byte b)
    {
        if (_length == _buffer.Length) MakeRoom(1);
        _buffer[_length++] = b;
    }

    public void WriteVarint(ulong v)
    {
        if (_buffer.Length - _length < 10) MakeRoom(10);
        while (v >= 0x80)
        {
            _buffer[_length++] = (byte)(v | 0x80);
            v >>= 7;
        }
        _buffer[_length++] = (byte)v;
    }

    public void WriteInt64(long v) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), v);

    public void WriteDouble(double v) => BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), v);

    public void WriteDecimal(decimal d) => decimal.GetBits(d, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(Reserve(16)));

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _length)
        {
            MakeRoom(bytes.Length);
            if (bytes.Length > _buffer.Length)
            {
                stream!.Write(bytes);
                return;
            }
        }
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Room for at least <paramref name="n"/> bytes at the end, to fill and then <see cref="Advance"/> over.</summary>
    public Span<byte> GetSpan(int n)
    {
        if (_buffer.Length - _length < n) MakeRoom(n);
        return _buffer.AsSpan(_length);
    }

    public void Advance(int n) => _length += n;

    private Span<byte> Reserve(int n)
    {
        if (_buffer.Length - _length < n) MakeRoom(n);
        var span = _buffer.AsSpan(_length, n);
        _length += n;
        return span;
    }

    /// <summary>Room for <paramref name="n"/> more bytes: the stream takes the buffer, or the buffer grows.</summary>
    private void MakeRoom(int n)
    {
        if (stream is not null)
        {
            Flush();
            return;
        }
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + n));
    }

    private void Flush()
    {
        stream!.Write(_buffer, 0, _length);
        _length = 0;
    }

    public void Dispose()
    {
        if (stream is null) return;
        Flush();
        stream.Dispose();
    }
}

/// <summary>Reads what <see cref="SpillWriter"/> wrote, refilling one byte array from the stream. Without a
/// stream it reads the bytes given to <see cref="Load"/> (one row the sort keeps in memory).</summary>
internal sealed class SpillReader(Stream? stream) : IDisposable
{
    private byte[] _buffer = stream is null ? [] : new byte[1 << 16];
    private int _position, _length;

    /// <summary>A reader of bytes in memory.</summary>
    public SpillReader() : this(null) { }

    /// <summary>Reads <paramref name="length"/> bytes of <paramref name="bytes"/> from <paramref name="offset"/> next (a reader without a stream).</summary>
    public void Load(byte[] bytes, int offset, int length)
    {
        _buffer = bytes;
        _position = offset;
        _length = offset + length;
    }

    /// <summary>The next byte, or -1 at the end of the run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadByteOrEnd()
    {
        if (_position < _length) return _buffer[_position++];
        return Fill() ? _buffer[_position++] : -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        if (_position < _length) return _buffer[_position++];
        return Fill() ? _buffer[_position++] : throw Truncated();
    }

    public ulong ReadVarint()
    {
        if (_length - _position >= 10)
        {
            // The whole number is in the buffer: no refill checks per byte.
            var bytes = _buffer.AsSpan(_position, 10);
            ulong fast = 0;
            for (int i = 0; i < bytes.Length; i++)
            {
                byte b = bytes[i];
                fast |= (ulong)(b & 0x7F) << (7 * i);
                if (b < 0x80)
                {
                    _position += i + 1;
                    return fast;
                }
            }
            throw new InvalidDataException("corrupt spill run: a number is too long");
        }
        ulong v = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            byte b = ReadByte();
            v |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return v;
        }
        throw new InvalidDataException("corrupt spill run: a number is too long");
    }

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public decimal ReadDecimal() => new(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(Take(16)));

    public void ReadExactly(Span<byte> into)
    {
        int available = _length - _position;
        if (into.Length <= available)
        {
            _buffer.AsSpan(_position, into.Length).CopyTo(into);
            _position += into.Length;
            return;
        }
        if (stream is null) throw Truncated();
        _buffer.AsSpan(_position, available).CopyTo(into);
        _position = _length;
        stream.ReadExactly(into[available..]);
    }

    /// <summary>The next <paramref name="n"/> bytes when they are already in the buffer (no copy); false leaves the position as it was.</summary>
    public bool TryTakeBuffered(int n, out ReadOnlySpan<byte> bytes)
    {
        if (_length - _position < n)
        {
            bytes = default;
            return false;
        }
        bytes = _buffer.AsSpan(_position, n);
        _position += n;
        return true;
    }

    /// <summary>The next <paramref name="n"/> bytes (n ≤ 16), contiguous in the buffer.</summary>
    private ReadOnlySpan<byte> Take(int n)
    {
        if (_length - _position < n)
        {
            if (stream is null) throw Truncated();
            // Move the tail to the front, then top up.
            int tail = _length - _position;
            _buffer.AsSpan(_position, tail).CopyTo(_buffer);
            _position = 0;
            _length = tail;
            while (_length < n)
            {
                int read = stream.Read(_buffer, _length, _buffer.Length - _length);
                if (read == 0) throw Truncated();
                _length += read;
            }
        }
        var span = _buffer.AsSpan(_position, n);
        _position += n;
        return span;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool Fill()
    {
        if (stream is null) return false;
        _position = 0;
        _length = stream.Read(_buffer, 0, _buffer.Length);
        return _length > 0;
    }

    private static InvalidDataException Truncated() => new("corrupt spill run: it ends in the middle of a row");

    public void Dispose() => stream?.Dispose();
}
