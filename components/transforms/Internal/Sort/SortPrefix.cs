using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>
/// An order-preserving 64-bit summary of a row's first sort key, so most comparisons of a sort or
/// merge are one integer comparison: prefix(a) &lt; prefix(b) implies a sorts before b, and equal
/// prefixes fall back to the full comparison. The top byte is the kind's rank (null last), the rest
/// a truncated payload: the first 7 UTF-8 bytes of text (UTF-8 byte order is code point order), the
/// floor of a number, the ticks of a timestamp.
/// </summary>
internal static class SortPrefix
{
    private const int PayloadBits = 56;
    private const ulong NullRank = 0xFFUL << PayloadBits;

    /// <summary>The prefix of <paramref name="v"/>; <paramref name="exact"/> when equal prefixes mean
    /// equal keys. False for a float: floats compare with exact numbers through doubles, which a floor
    /// cannot summarise consistently.</summary>
    public static bool TryOf(in Value v, bool descending, out ulong prefix, out bool exact)
    {
        ulong p;
        switch (v.Kind)
        {
            case ValueKind.Null: p = NullRank; exact = true; break;
            case ValueKind.Bool: p = Ranked(ValueKind.Bool, v.AsBool ? 1UL : 0UL); exact = true; break;
            case ValueKind.Int: p = Ranked(ValueKind.Int, Number(v.AsInt, whole: true, out exact)); break;
            case ValueKind.Decimal:
                {
                    decimal d = v.AsDecimal, floor = decimal.Floor(d);
                    long l = floor >= long.MaxValue ? long.MaxValue : floor <= long.MinValue ? long.MinValue : (long)floor;
                    p = Ranked(ValueKind.Int, Number(l, whole: floor == d, out exact));
                    break;
                }
            case ValueKind.String: p = Ranked(ValueKind.String, TextPayload(v.AsString, out exact)); break;
            case ValueKind.Timestamp:
                // Ticks need 62 bits; whole seconds (multiples of 2^7) lose nothing to the shift.
                p = Ranked(ValueKind.Timestamp, (ulong)v.TimestampTicks >> 6);
                exact = (v.TimestampTicks & 63) == 0;
                break;
            case ValueKind.Float:
                prefix = 0;
                exact = false;
                return false;
            default: p = Ranked(v.Kind, 0); exact = false; break;
        }
        // Descending reverses the order, and with it puts nulls first, as the sort rules say.
        prefix = descending ? ~p : p;
        return true;
    }

    private const long NumberLimit = 1L << (PayloadBits - 1);

    /// <summary>A number's floor clamped to 56 bits and moved to unsigned order; exact for whole numbers inside.</summary>
    private static ulong Number(long floor, bool whole, out bool exact)
    {
        long clamped = Math.Clamp(floor, -NumberLimit, NumberLimit - 1);
        exact = whole && clamped == floor;
        return (ulong)(clamped + NumberLimit);
    }

    private static ulong Ranked(ValueKind rank, ulong payload) => ((ulong)rank << PayloadBits) | payload;

    /// <summary>The first 7 bytes of the text's UTF-8. Text stops at the first char from U+D800 on
    /// (surrogates and the chars above them, whose code point order UTF-16 does not show); the rest is
    /// then 0xFF, a byte no UTF-8 has, so such text orders after every text that goes on below U+D800.
    /// Exact when the whole text fits and has no NUL (which the zero padding could not tell apart).</summary>
    private static ulong TextPayload(string s, out bool exact)
    {
        ulong payload = 0;
        int bytes = 0;
        exact = false;
        foreach (char c in s)
        {
            if (c >= 0xD800)
            {
                for (; bytes < 7; bytes++) payload = (payload << 8) | 0xFF;
                return payload;
            }
            if (c == 0) return payload << (8 * (7 - bytes));
            if (c < 0x80) Append(ref payload, ref bytes, c);
            else if (c < 0x800)
            {
                Append(ref payload, ref bytes, 0xC0 | (c >> 6));
                Append(ref payload, ref bytes, 0x80 | (c & 0x3F));
            }
            else
            {
                Append(ref payload, ref bytes, 0xE0 | (c >> 12));
                Append(ref payload, ref bytes, 0x80 | ((c >> 6) & 0x3F));
                Append(ref payload, ref bytes, 0x80 | (c & 0x3F));
            }
            if (bytes == 7) return payload; // (exact stays false: more may follow or bytes were cut)
        }
        exact = true;
        return payload << (8 * (7 - bytes));
    }

    private static void Append(ref ulong payload, ref int bytes, int b)
    {
        if (bytes == 7) return;
        payload = (payload << 8) | (uint)b;
        bytes++;
    }
}
