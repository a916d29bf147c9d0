using System.Buffers.Binary;
using System.Numerics;
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

    private readonly byte[]?[] _bytes = new byte[Slots][];
    private readonly string?[] _strings = new string[Slots];
    private int _lookups, _hits;
    private bool _enabled = true;

    /// <summary>The text, or null when the bytes are not valid UTF-8.</summary>
    public string? Decode(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return "";
        if (!_enabled || utf8.Length > MaxCachedLength) return DecodeStrict(utf8);
        int slot = HashOf(utf8) & (Slots - 1);
        if (_bytes[slot] is { } cached && utf8.SequenceEqual(cached))
        {
            _hits++;
            _lookups++;
            return _strings[slot];
        }
        string? s = DecodeStrict(utf8);
        if (s is null) return null;
        _bytes[slot] = utf8.ToArray();
        _strings[slot] = s;
        if (++_lookups == Probation && _hits < Probation / 2) _enabled = false;
        return s;
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
    private static int HashOf(ReadOnlySpan<byte> s)
    {
        const ulong Mix = 0x9E3779B97F4A7C15UL;
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
