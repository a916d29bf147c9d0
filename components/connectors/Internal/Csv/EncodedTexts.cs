using System.Buffers;
using System.Text.Unicode;

namespace Ocht.Connectors;

/// <summary>
/// The UTF-8 bytes of short text that repeats in one column (countries, statuses), encoded once: a
/// source's cache hands back the same strings row after row, so most fields are found by reference and
/// written as bytes, with no transcoding. Columns whose text rarely repeats (notes) turn the cache off.
/// One per column, used by one thread.
/// </summary>
internal sealed class EncodedTexts
{
    private const int Slots = 256, MaxLength = 32, Probation = 1024;

    private readonly string?[] _texts = new string?[Slots];
    private readonly byte[]?[] _bytes = new byte[Slots][];
    private int _lookups, _hits;
    private bool _enabled = true;

    /// <summary>The text's UTF-8 bytes when it is short enough to keep; false otherwise, and for text that is
    /// not valid UTF-16 (the caller writes the text itself, as it always did).</summary>
    public bool TryGet(string text, out ReadOnlySpan<byte> utf8)
    {
        utf8 = default;
        if (!_enabled || text.Length > MaxLength || text.Length == 0) return false;
        int slot = (text.Length ^ (text[0] << 3) ^ (text[text.Length >> 1] << 7) ^ (text[^1] << 11)) & (Slots - 1);
        if (_texts[slot] is { } known && (ReferenceEquals(known, text) || string.Equals(known, text)))
        {
            _hits++;
            _lookups++;
            utf8 = _bytes[slot];
            return true;
        }
        if (++_lookups == Probation && _hits < Probation / 2)
        {
            _enabled = false;
            return false;
        }
        Span<byte> buffer = stackalloc byte[MaxLength * 3];
        if (Utf8.FromUtf16(text, buffer, out _, out int written, replaceInvalidSequences: false) != OperationStatus.Done) return false;
        var bytes = buffer[..written].ToArray();
        _texts[slot] = text;
        _bytes[slot] = bytes;
        utf8 = bytes;
        return true;
    }
}
