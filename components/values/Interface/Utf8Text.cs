using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
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
    private const int Slots = 512;
    private const int MaxCachedLength = 32;
    private const int Probation = 2048;
    /// <summary>Text up to this long is kept as two words: found by comparing them, not the bytes.</summary>
    private const int WordLength = 16;

    private readonly Entry[] _entries = new Entry[Slots];
    private int _lookups, _hits;
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
        if (utf8.IsEmpty) return "";
        if (!_enabled || utf8.Length > MaxCachedLength) return DecodeStrict(utf8);
        ulong low = 0, high = 0;
        int slot;
        if (utf8.Length <= WordLength)
        {
            Words(utf8, out low, out high);
            slot = Fold((low * Mix ^ high ^ (ulong)utf8.Length) * Mix) & (Slots - 1);
            ref var entry = ref _entries[slot];
            if (entry.Length == utf8.Length && entry.Low == low && entry.High == high && entry.Bytes is null && entry.Text is { } text)
                return Hit(text);
        }
        else
        {
            slot = HashOf(utf8) & (Slots - 1);
            ref var entry = ref _entries[slot];
            if (entry.Bytes is { } cached && utf8.SequenceEqual(cached))
                return Hit(entry.Text!);
        }
        string? s = DecodeStrict(utf8);
        if (s is null) return null;
        _entries[slot] = new Entry { Low = low, High = high, Length = utf8.Length, Bytes = utf8.Length <= WordLength ? null : utf8.ToArray(), Text = s };
        if (++_lookups == Probation && _hits < Probation / 2) _enabled = false;
        return s;
    }

    private string Hit(string text)
    {
        _hits++;
        _lookups++;
        return text;
    }

    /// <summary>Two words that, with the length, hold every byte of text up to 16 bytes long (reads may
    /// overlap, so they cover the text without reading past it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Words(ReadOnlySpan<byte> s, out ulong low, out ulong high)
    {
        if (s.Length >= 8)
        {
            low = BinaryPrimitives.ReadUInt64LittleEndian(s);
            high = BinaryPrimitives.ReadUInt64LittleEndian(s[^8..]);
        }
        else if (s.Length >= 4)
        {
            low = BinaryPrimitives.ReadUInt32LittleEndian(s) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(s[^4..]) << 32);
            high = 0;
        }
        else
        {
            low = s[0] | ((ulong)s[s.Length >> 1] << 8) | ((ulong)s[^1] << 16);
            high = 0;
        }
    }

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
