using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Ocht.Values;

/// <summary>
/// Text forms of values (pipeline-v1 §2): numbers in invariant culture and never with an exponent
/// for int and decimal; timestamps as ISO-8601 UTC with "Z"; lists and maps as JSON.
/// Parsing accepts what a user would type in a CSV cell or a string literal.
/// </summary>
public static class ValueText
{
    /// <summary>Longest UTF-8 text of a scalar (non-string, non-container) value.</summary>
    public const int MaxScalarUtf8Length = 64;

    public static string Format(in Value v) => v.Kind switch
    {
        ValueKind.Null => "",
        ValueKind.Bool => v.AsBool ? "true" : "false",
        ValueKind.Int => v.AsInt.ToString(CultureInfo.InvariantCulture),
        ValueKind.Decimal => v.AsDecimal.ToString(CultureInfo.InvariantCulture),
        ValueKind.Float => FormatFloat(v.AsFloat),
        ValueKind.String => v.AsString,
        ValueKind.Timestamp => FormatTimestamp(v.TimestampTicks),
        _ => ValueJson.ToJson(v),
    };

    /// <summary>Writes a scalar value's text as UTF-8; false for strings, lists and maps (callers write those themselves).</summary>
    public static bool TryFormatUtf8(in Value v, Span<byte> destination, out int written)
    {
        switch (v.Kind)
        {
            case ValueKind.Null: written = 0; return true;
            case ValueKind.Bool: return Copy(v.AsBool ? "true"u8 : "false"u8, destination, out written);
            case ValueKind.Int: return Utf8Formatter.TryFormat(v.AsInt, destination, out written);
            case ValueKind.Decimal:
                return v.TryGetScaled(out long mantissa, out int scale) && mantissa != 0
                    ? TryFormatScaledUtf8(mantissa, scale, destination, out written)
                    : v.AsDecimal.TryFormat(destination, out written, default, CultureInfo.InvariantCulture);
            case ValueKind.Float:
                {
                    double f = v.AsFloat;
                    if (!double.IsFinite(f)) return Copy(Encoding.ASCII.GetBytes(FormatFloat(f)), destination, out written);
                    return f.TryFormat(destination, out written, "R", CultureInfo.InvariantCulture);
                }
            case ValueKind.Timestamp: return TryFormatTimestampUtf8(v.TimestampTicks, destination, out written);
            default: written = 0; return false;
        }
    }

    /// <summary>mantissa × 10^-scale as System.Decimal prints it ("-12.50"), without building a decimal
    /// (<paramref name="mantissa"/> is not long.MinValue).</summary>
    private static bool TryFormatScaledUtf8(long mantissa, int scale, Span<byte> destination, out int written)
    {
        written = 0;
        ulong magnitude = (ulong)Math.Abs(mantissa), whole = magnitude, fraction = 0;
        if (scale >= Pow10.Length) (whole, fraction) = (0, magnitude);
        else if (scale > 0) (whole, fraction) = Math.DivRem(magnitude, Pow10[scale]);
        int pos = 0;
        if (mantissa < 0)
        {
            if (destination.IsEmpty) return false;
            destination[pos++] = (byte)'-';
        }
        if (!Utf8Formatter.TryFormat(whole, destination[pos..], out int n)) return false;
        pos += n;
        if (scale > 0)
        {
            // Exactly scale digits after the point, leading zeros included.
            if (pos == destination.Length) return false;
            destination[pos++] = (byte)'.';
            if (!Utf8Formatter.TryFormat(fraction, destination[pos..], out n, new StandardFormat('D', (byte)scale))) return false;
            pos += n;
        }
        written = pos;
        return true;
    }

    private static readonly ulong[] Pow10 = [.. Enumerable.Range(0, 20).Select(n => n == 0 ? 1UL : checked((ulong)Math.Pow(10, n)))];

    /// <summary>"00" to "99": two-digit parts of timestamps are written from one look-up.</summary>
    private static ReadOnlySpan<byte> DigitPairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    public static string FormatFloat(double f) =>
        double.IsNaN(f) ? "NaN" : double.IsPositiveInfinity(f) ? "Infinity" : double.IsNegativeInfinity(f) ? "-Infinity"
        : f.ToString("R", CultureInfo.InvariantCulture);

    public static string FormatTimestamp(long utcTicks)
    {
        Span<byte> buffer = stackalloc byte[40];
        TryFormatTimestampUtf8(utcTicks, buffer, out int n);
        return Encoding.ASCII.GetString(buffer[..n]);
    }

    /// <summary>yyyy-MM-ddTHH:mm:ss[.fffffff]Z with trailing zeros of the fraction trimmed.</summary>
    public static bool TryFormatTimestampUtf8(long utcTicks, Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < 29) return false;
        // The date in one computation (each of DateTime's Year, Month and Day computes it again), the time of
        // day by division.
        new DateTime(utcTicks, DateTimeKind.Utc).Deconstruct(out int year, out int month, out int day);
        long timeOfDay = utcTicks % TimeSpan.TicksPerDay;
        int seconds = (int)(timeOfDay / TimeSpan.TicksPerSecond);
        Write4(destination, 0, year);
        destination[4] = (byte)'-';
        Write2(destination, 5, month);
        destination[7] = (byte)'-';
        Write2(destination, 8, day);
        destination[10] = (byte)'T';
        Write2(destination, 11, seconds / 3600);
        destination[13] = (byte)':';
        Write2(destination, 14, seconds / 60 % 60);
        destination[16] = (byte)':';
        Write2(destination, 17, seconds % 60);
        int pos = 19;
        long fraction = timeOfDay - seconds * TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            destination[pos++] = (byte)'.';
            int digits = 7;
            while (fraction % 10 == 0) { fraction /= 10; digits--; }
            for (int i = digits - 1; i >= 0; i--)
            {
                destination[pos + i] = (byte)('0' + fraction % 10);
                fraction /= 10;
            }
            pos += digits;
        }
        destination[pos++] = (byte)'Z';
        written = pos;
        return true;
    }

    /// <summary>Parses ISO-8601: date, or date and time with optional fraction and zone (Z, ±HH:MM, ±HHMM, ±HH).
    /// Without a zone the time is taken as UTC when <paramref name="requireZone"/> is false.</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<char> text, out long utcTicks, bool requireZone = false)
    {
        Span<byte> utf8 = stackalloc byte[64];
        if (text.Length > utf8.Length) { utcTicks = 0; return false; }
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] > 127) { utcTicks = 0; return false; }
            utf8[i] = (byte)text[i];
        }
        return TryParseTimestampUtf8(utf8[..text.Length], out utcTicks, requireZone);
    }

    public static bool TryParseTimestampUtf8(ReadOnlySpan<byte> s, out long utcTicks, bool requireZone = false)
    {
        if (UtcSeconds.TryParse(s, out utcTicks)) return true;
        return TryParseTimestampAnyForm(s, out utcTicks, requireZone);
    }

    /// <summary>Whether <see cref="TryParseTimestampUtf8"/> would read <paramref name="s"/>, without working out
    /// the instant when it is in the usual form (a column that is checked but not read).</summary>
    public static bool IsTimestampUtf8(ReadOnlySpan<byte> s) =>
        UtcSeconds.IsValid(s) || TryParseTimestampAnyForm(s, out _, requireZone: false);

    private static bool TryParseTimestampAnyForm(ReadOnlySpan<byte> s, out long utcTicks, bool requireZone)
    {
        utcTicks = 0;
        if (s.Length < 10 || s[4] != '-' || s[7] != '-') return false;
        if (!Digits(s, 0, 4, out int year) || !Digits(s, 5, 2, out int month) || !Digits(s, 8, 2, out int day)) return false;
        if (month is < 1 or > 12 || day < 1 || year < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        long ticks = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc).Ticks;
        if (s.Length == 10)
        {
            if (requireZone) return false;
            utcTicks = ticks;
            return true;
        }
        if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return false;
        if (s.Length < 16 || s[13] != ':') return false;
        if (!Digits(s, 11, 2, out int hour) || !Digits(s, 14, 2, out int minute) || hour > 23 || minute > 59) return false;
        int pos = 16, second = 0;
        long fraction = 0;
        if (pos < s.Length && s[pos] == ':')
        {
            if (!Digits(s, pos + 1, 2, out second) || second > 59) return false;
            pos += 3;
            if (pos < s.Length && (s[pos] == '.' || s[pos] == ','))
            {
                int start = ++pos, scale = 0;
                while (pos < s.Length && (uint)(s[pos] - '0') <= 9)
                {
                    if (scale < 7) { fraction = fraction * 10 + (s[pos] - '0'); scale++; }
                    pos++;
                }
                if (pos == start) return false;
                for (; scale < 7; scale++) fraction *= 10;
            }
        }
        ticks += hour * TimeSpan.TicksPerHour + minute * TimeSpan.TicksPerMinute + second * TimeSpan.TicksPerSecond + fraction;
        if (pos == s.Length)
        {
            if (requireZone) return false;
            utcTicks = ticks;
            return true;
        }
        if (s[pos] == 'Z' || s[pos] == 'z')
        {
            if (pos + 1 != s.Length) return false;
            utcTicks = ticks;
            return true;
        }
        if (s[pos] != '+' && s[pos] != '-') return false;
        int sign = s[pos] == '-' ? -1 : 1;
        var zone = s[(pos + 1)..];
        int offH, offM = 0;
        if (zone.Length == 2 && Digits(zone, 0, 2, out offH)) { }
        else if (zone.Length == 4 && Digits(zone, 0, 2, out offH) && Digits(zone, 2, 2, out offM)) { }
        else if (zone.Length == 5 && zone[2] == ':' && Digits(zone, 0, 2, out offH) && Digits(zone, 3, 2, out offM)) { }
        else return false;
        if (offH > 23 || offM > 59) return false;
        ticks -= sign * (offH * TimeSpan.TicksPerHour + offM * TimeSpan.TicksPerMinute);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return false;
        utcTicks = ticks;
        return true;
    }

    /// <summary>
    /// Parses a number by the JSON-literal rules of §2: integral text is int (decimal when it does not
    /// fit 64 bits), text with a decimal point is decimal, exponent form is float. Leading sign allowed;
    /// no thousands separators, no surrounding space.
    /// </summary>
    public static bool TryParseNumber(ReadOnlySpan<char> text, out Value value)
    {
        Span<byte> utf8 = stackalloc byte[128];
        value = Value.Null;
        if (text.Length == 0 || text.Length > utf8.Length) return false;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] > 127) return false;
            utf8[i] = (byte)text[i];
        }
        return TryParseNumberUtf8(utf8[..text.Length], out value);
    }

    public static bool TryParseNumberUtf8(ReadOnlySpan<byte> s, out Value value)
    {
        value = Value.Null;
        if (s.Length == 0) return false;
        int i = s[0] is (byte)'-' or (byte)'+' ? 1 : 0;
        int digits = 0, dot = -1, exp = -1;
        for (int j = i; j < s.Length; j++)
        {
            byte c = s[j];
            if ((uint)(c - '0') <= 9) { if (exp < 0) digits++; continue; }
            if (c == '.' && dot < 0 && exp < 0) { dot = j; continue; }
            if ((c == 'e' || c == 'E') && exp < 0 && digits > 0) { exp = j; continue; }
            if ((c == '+' || c == '-') && exp == j - 1) continue;
            return false;
        }
        if (digits == 0) return false;
        if (exp >= 0)
        {
            if (exp == s.Length - 1 || s[^1] is (byte)'+' or (byte)'-') return false;
            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) || !double.IsFinite(f)) return false;
            value = Value.FromFloat(f);
            return true;
        }
        if (dot < 0)
        {
            if (TryParseInt(s, out long l)) { value = Value.FromInt(l); return true; }
            if (decimal.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal big)) { value = Value.FromDecimal(big); return true; }
            return false;
        }
        return TryParseDecimal(s, out value);
    }

    /// <summary>Strict 64-bit integer: optional sign and digits only.</summary>
    public static bool TryParseInt(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        if (s.Length == 0) return false;
        bool negative = s[0] == '-';
        int i = s[0] is (byte)'-' or (byte)'+' ? 1 : 0;
        if (i == s.Length || s.Length - i > 19) return s.Length - i > 19 && LongSlow(s, out value);
        ulong acc = 0;
        for (; i < s.Length; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9) return false;
            acc = acc * 10 + d;
        }
        if (negative)
        {
            if (acc > 9223372036854775808UL) return false;
            value = (long)(0 - acc);
            return true;
        }
        if (acc > long.MaxValue) return false;
        value = (long)acc;
        return true;
    }

    /// <summary>
    /// <see cref="TryParseInt"/> for 1 to 8 digits without a sign, without a loop: <paramref name="word"/> is the 8
    /// bytes that end with the text's last byte, loaded little-endian, so the text is its top <paramref name="length"/>
    /// bytes (the bytes before it are ignored). A digit loop mispredicts its exit when a column's numbers vary in
    /// length. False for anything else (a sign, a byte that is no digit, a length outside 1-8).
    /// </summary>
    public static bool TryParseDigits8(ulong word, int length, out long value)
    {
        value = 0;
        if ((uint)(length - 1) >= 8) return false;
        // The bytes before the text read as leading zeros.
        ulong before = (1UL << (8 * (8 - length))) - 1;
        word = (word & ~before) | (0x3030303030303030UL & before);
        // Every byte 0x30-0x39: its high nibble is 3, and adding 6 keeps it so (no carry can cross a byte).
        if ((((word & 0xF0F0F0F0F0F0F0F0UL) ^ 0x3030303030303030UL) | (((word + 0x0606060606060606UL) & 0xF0F0F0F0F0F0F0F0UL) ^ 0x3030303030303030UL)) != 0)
            return false;
        // Pairs, then quads, then all eight (the first byte is the most significant digit).
        ulong digits = word - 0x3030303030303030UL;
        digits = digits * 10 + (digits >> 8);
        digits = ((digits & 0x000000FF000000FFUL) * (100 + (1000000UL << 32)) + ((digits >> 16) & 0x000000FF000000FFUL) * (1 + (10000UL << 32))) >> 32;
        value = (long)(uint)digits;
        return true;
    }

    /// <summary>Decimal text without exponent: optional sign, digits, optional point and digits. Keeps the scale.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> s, out decimal value)
    {
        value = 0;
        switch (ScanDecimal(s, out ulong mantissa, out int scale))
        {
            case DecimalText.Invalid: return false;
            case DecimalText.Long: return DecimalSlow(s, out value);
        }
        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, s[0] == '-', (byte)scale);
        return true;
    }

    /// <summary><see cref="TryParseDecimal(ReadOnlySpan{byte}, out decimal)"/> straight to a value: the common
    /// short mantissa becomes a scaled decimal without going through System.Decimal.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> s, out Value value)
    {
        if (TryParseScaled(s, out long mantissa, out int scale))
        {
            value = Value.FromScaledExact(mantissa, scale);
            return true;
        }
        value = Value.Null;
        if (!TryParseDecimal(s, out decimal d)) return false;
        value = Value.FromDecimal(d);
        return true;
    }

    /// <summary>Decimal text whose mantissa fits 63 bits and is not zero (a zero keeps its sign only through
    /// System.Decimal): the mantissa and scale (0..28) for <see cref="Value.FromScaledExact"/>. False for any
    /// other text, valid or not.</summary>
    public static bool TryParseScaled(ReadOnlySpan<byte> s, out long mantissa, out int scale)
    {
        var text = ScanDecimal(s, out ulong digits, out scale);
        if (text == DecimalText.Short && digits != 0 && digits <= long.MaxValue)
        {
            mantissa = s[0] == '-' ? -(long)digits : (long)digits;
            return true;
        }
        mantissa = 0;
        return false;
    }

    private enum DecimalText { Invalid, Short, Long }

    /// <summary>Short: at most 19 significant digits and scale ≤ 28, in mantissa and scale; Long: valid but
    /// needs the general parser.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static DecimalText ScanDecimal(ReadOnlySpan<byte> s, out ulong mantissa, out int scale)
    {
        mantissa = 0;
        scale = 0;
        if (s.Length == 0) return DecimalText.Invalid;
        int i = s[0] is (byte)'-' or (byte)'+' ? 1 : 0;
        int first = i;
        // The digits before the point, then those after it, each in a loop of its own. Leading zeros add
        // nothing to the mantissa, so it is exact whenever the significant digits are 19 or fewer.
        ulong m = 0;
        for (; i < s.Length; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9) break;
            m = m * 10 + d;
        }
        int digits = i - first;
        if (i < s.Length)
        {
            if (s[i] != '.') return DecimalText.Invalid;
            int point = ++i;
            for (; i < s.Length; i++)
            {
                uint d = (uint)(s[i] - '0');
                if (d > 9) return DecimalText.Invalid;
                m = m * 10 + d;
            }
            scale = i - point;
            digits += scale;
        }
        if (digits == 0) return DecimalText.Invalid;
        mantissa = m;
        return scale > 28 || (digits > 19 && SignificantDigits(s[first..]) > 19) ? DecimalText.Long : DecimalText.Short;
    }

    /// <summary>Digits of valid decimal text from the first that is not zero.</summary>
    private static int SignificantDigits(ReadOnlySpan<byte> digitsAndPoint)
    {
        int leading = digitsAndPoint.IndexOfAnyExcept((byte)'0', (byte)'.');
        if (leading < 0) return 0;
        var rest = digitsAndPoint[leading..];
        return rest.Length - (rest.Contains((byte)'.') ? 1 : 0);
    }

    /// <summary>Boolean text for cast and typed CSV columns: true/false, t/f, yes/no, 1/0 (any case).</summary>
    public static bool TryParseBool(ReadOnlySpan<char> s, out bool value)
    {
        s = s.Trim();
        if (s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("t", StringComparison.OrdinalIgnoreCase)
            || s.Equals("yes", StringComparison.OrdinalIgnoreCase) || s.Equals("1", StringComparison.Ordinal))
        {
            value = true;
            return true;
        }
        if (s.Equals("false", StringComparison.OrdinalIgnoreCase) || s.Equals("f", StringComparison.OrdinalIgnoreCase)
            || s.Equals("no", StringComparison.OrdinalIgnoreCase) || s.Equals("0", StringComparison.Ordinal))
        {
            value = false;
            return true;
        }
        value = false;
        return false;
    }

    private static bool LongSlow(ReadOnlySpan<byte> s, out long value) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static bool DecimalSlow(ReadOnlySpan<byte> s, out decimal value) =>
        decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length) return false;
        for (int i = start; i < start + count; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9) return false;
            value = value * 10 + (int)d;
        }
        return true;
    }

    private static void Write2(Span<byte> d, int at, int v)
    {
        d[at] = DigitPairs[v * 2];
        d[at + 1] = DigitPairs[v * 2 + 1];
    }

    private static void Write4(Span<byte> d, int at, int v)
    {
        Write2(d, at, v / 100);
        Write2(d, at + 2, v % 100);
    }

    private static bool Copy(ReadOnlySpan<byte> source, Span<byte> destination, out int written)
    {
        written = 0;
        if (!source.TryCopyTo(destination)) return false;
        written = source.Length;
        return true;
    }
}
