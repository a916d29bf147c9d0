using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Ocht.Values;

/// <summary>
/// Decodes UTF-8 strictly (invalid bytes are an error, not a silent U+FFFD) and reuses the strings of
/// short repeated values (country codes, statuses) instead of allocating one per field. The cache
/// switches itself off for columns whose values rarely repeat. One instance per column (or stream),
/// used by one thread at a time.
/// </summary>
public sealed class Utf8Text
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private const int SlotBits = 9;
    private const int Slots = 1 << SlotBits;
    private const int MaxCachedLength = 32;
    private const int Probation = 2048;
    /// <summary>Text up to this long is kept as two words: found by comparing them, not the bytes.</summary>
    private const int WordLength = 16;

    private readonly Entry[] _entries = new Entry[Slots];
    // Only the first Probation lookups are counted; after that a hit writes nothing. A counter written on every hit
    // made the object's cache line bounce between cores whenever the GC had put another decoding thread's cache
    // next to it: about one W1 10M run in six took 1.6-1.8 s instead of 1.3 s, with Decode at four times its time.
    private int _probationLeft = Probation, _probationMisses;
    private bool _enabled = true;

    /// <summary>A cached text: short text as its length and two words that hold all its bytes, longer text as bytes.</summary>
    private struct Entry
    {
        public ulong Low, High;
        public int Length;
        public byte[]? Bytes;
        public string? Text;
    }

    /// <summary>The text, or null when the bytes are not valid UTF-8.</summary>
    public string? Decode(ReadOnlySpan<byte> utf8)
    {
        int length = utf8.Length;
        // The hot path: short text found in the cache is a few loads and compares. A slot's words and length
        // hold every byte of short text, so a match is the same text (a long entry never has a short length).
        if ((uint)(length - 1) < WordLength && _enabled)
        {
            Words(utf8, out ulong low, out ulong high);
            int slot = ShortSlot(low, high, length);
            ref var entry = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_entries), slot);
            if (entry.Low == low && entry.High == high && entry.Length == length)
            {
                if (_probationLeft > 0) _probationLeft--;
                return entry.Text;
            }
            return Miss(utf8, slot, low, high);
        }
        return DecodeOther(utf8);
    }

    /// <summary>Empty, longer text, or any text once the cache is off (kept out of <see cref="Decode"/> so its hot
    /// path saves no registers).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private string? DecodeOther(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return "";
        if (!_enabled || utf8.Length > MaxCachedLength) return DecodeStrict(utf8);
        int longSlot = HashOf(utf8) & (Slots - 1);
        ref var longEntry = ref _entries[longSlot];
        if (longEntry.Bytes is { } cached && utf8.SequenceEqual(cached))
        {
            if (_probationLeft > 0) _probationLeft--;
            return longEntry.Text;
        }
        return Miss(utf8, longSlot, 0, 0);
    }

    /// <summary>Decodes and caches the text. The cache switches itself off when more than half of the first
    /// <see cref="Probation"/> lookups miss: the column's values rarely repeat.</summary>
    private string? Miss(ReadOnlySpan<byte> utf8, int slot, ulong low, ulong high)
    {
        string? s = DecodeStrict(utf8);
        if (s is null) return null;
        _entries[slot] = new Entry { Low = low, High = high, Length = utf8.Length, Bytes = utf8.Length <= WordLength ? null : utf8.ToArray(), Text = s };
        if (_probationLeft > 0)
        {
            _probationLeft--;
            if (++_probationMisses > Probation / 2) _enabled = false;
        }
        return s;
    }

    /// <summary>Two words that, with the length, hold every byte of text 1 to 16 bytes long (reads may
    /// overlap, so they cover the text without reading past it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Words(ReadOnlySpan<byte> s, out ulong low, out ulong high)
    {
        ref byte first = ref MemoryMarshal.GetReference(s);
        int length = s.Length;
        if (length >= 8)
        {
            low = Unsafe.ReadUnaligned<ulong>(ref first);
            high = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref first, length - 8));
        }
        else if (length >= 4)
        {
            low = Unsafe.ReadUnaligned<uint>(ref first) | ((ulong)Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref first, length - 4)) << 32);
            high = 0;
        }
        else
        {
            low = first | ((ulong)Unsafe.Add(ref first, length >> 1) << 8) | ((ulong)Unsafe.Add(ref first, length - 1) << 16);
            high = 0;
        }
    }

    /// <summary>The slot of short text: one multiply, its top bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ShortSlot(ulong low, ulong high, int length) =>
        (int)(((low ^ BitOperations.RotateLeft(high, 29) ^ (ulong)length) * Mix) >> (64 - SlotBits));

    public static string? DecodeStrict(ReadOnlySpan<byte> utf8)
    {
        try { return Strict.GetString(utf8); }
        catch (DecoderFallbackException) { return null; }
    }

    /// <summary>Text for messages and dead letters, invalid bytes shown as U+FFFD.</summary>
    public static string Lossy(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    /// <summary>A quick hash of short text (at most <see cref="MaxCachedLength"/> bytes): 8 bytes at a time,
    /// one multiply each. A collision only costs a cache miss.</summary>
    private const ulong Mix = 0x9E3779B97F4A7C15UL;

    private static int HashOf(ReadOnlySpan<byte> s)
    {
        ulong h = (ulong)s.Length * Mix;
        if (s.Length < 8)
        {
            ulong word = 0;
            foreach (byte b in s) word = (word << 8) | b;
            return Fold((h ^ word) * Mix);
        }
        int i = 0;
        for (; i + 8 <= s.Length; i += 8) h = BitOperations.RotateLeft((h ^ BinaryPrimitives.ReadUInt64LittleEndian(s[i..])) * Mix, 31);
        if (i < s.Length) h = (h ^ BinaryPrimitives.ReadUInt64LittleEndian(s[^8..])) * Mix;
        return Fold(h);
    }

    private static int Fold(ulong h) => (int)(h >> 32) ^ (int)h;
}
