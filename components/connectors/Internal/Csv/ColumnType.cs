using System.Globalization;
using Ocht.Values;

namespace Ocht.Connectors;

/// <summary>The type of a CSV column: given in "types", inferred from a sample, or text.</summary>
internal enum ColumnType { String, Int, Decimal, Float, Bool, Timestamp }

internal static class ColumnTypes
{
    public static ColumnType Parse(string name) => name switch
    {
        "int" => ColumnType.Int,
        "decimal" => ColumnType.Decimal,
        "float" => ColumnType.Float,
        "bool" => ColumnType.Bool,
        "timestamp" => ColumnType.Timestamp,
        _ => ColumnType.String,
    };

    public static string Name(ColumnType t) => t switch
    {
        ColumnType.Int => "int",
        ColumnType.Decimal => "decimal",
        ColumnType.Float => "float",
        ColumnType.Bool => "bool",
        ColumnType.Timestamp => "timestamp",
        _ => "string",
    };

    // Declared and inferred columns accept the same text; inference is just stricter about what makes it pick a
    // type (see Infer). The reader calls these per field.

    public static bool TryParseDecimal(ReadOnlySpan<byte> cell, out Value value) =>
        ValueText.TryParseDecimal(cell, out value) || TryParseDecimalWithExponent(cell, out value);

    private static bool TryParseDecimalWithExponent(ReadOnlySpan<byte> cell, out Value value)
    {
        bool ok = decimal.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal d);
        value = ok ? Value.FromDecimal(d) : Value.Null;
        return ok;
    }

    public static bool TryParseFloat(ReadOnlySpan<byte> cell, out Value value)
    {
        bool ok = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && double.IsFinite(f);
        value = ok ? Value.FromFloat(f) : Value.Null;
        return ok;
    }

    public static bool TryParseBool(ReadOnlySpan<byte> cell, out Value value)
    {
        value = Value.Null;
        Span<char> chars = stackalloc char[8];
        if (cell.Length > chars.Length) return false;
        for (int i = 0; i < cell.Length; i++) chars[i] = (char)cell[i];
        if (!ValueText.TryParseBool(chars[..cell.Length], out bool b)) return false;
        value = Value.FromBool(b);
        return true;
    }

    /// <summary>
    /// The narrowest type every sample value fits, as a user would read the column: integers without
    /// leading zeros are int ("007" stays text), numbers with a point are decimal, exponent form is
    /// float, lower-case true/false is bool, date-times with a zone are timestamps; anything else is text.
    /// </summary>
    public static ColumnType Infer(IEnumerable<byte[]> values)
    {
        ColumnType? result = null;
        foreach (var v in values)
        {
            var t = Classify(v);
            result = result is null ? t : Join(result.Value, t);
            if (result == ColumnType.String) break;
        }
        return result ?? ColumnType.String;
    }

    private static ColumnType Classify(ReadOnlySpan<byte> s)
    {
        if (s.SequenceEqual("true"u8) || s.SequenceEqual("false"u8)) return ColumnType.Bool;
        if (LooksNumeric(s, out var numeric)) return numeric;
        if (s.Length >= 16 && s.Length <= 40 && s.IndexOf((byte)'T') == 10 && ValueText.TryParseTimestampUtf8(s, out _, requireZone: true))
            return ColumnType.Timestamp;
        return ColumnType.String;
    }

    /// <summary>Canonical number text: -?digits(.digits)?([eE][+-]?digits)?, no leading zeros in the integer part.</summary>
    private static bool LooksNumeric(ReadOnlySpan<byte> s, out ColumnType type)
    {
        type = ColumnType.String;
        int i = s.Length > 0 && s[0] == '-' ? 1 : 0;
        int intStart = i;
        while (i < s.Length && (uint)(s[i] - '0') <= 9) i++;
        int intDigits = i - intStart;
        if (intDigits == 0 || (intDigits > 1 && s[intStart] == '0')) return false;
        bool point = false, exponent = false;
        if (i < s.Length && s[i] == '.')
        {
            int fracStart = ++i;
            while (i < s.Length && (uint)(s[i] - '0') <= 9) i++;
            if (i == fracStart) return false;
            point = true;
        }
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            i++;
            if (i < s.Length && (s[i] == '+' || s[i] == '-')) i++;
            int expStart = i;
            while (i < s.Length && (uint)(s[i] - '0') <= 9) i++;
            if (i == expStart) return false;
            exponent = true;
        }
        if (i != s.Length) return false;
        if (exponent) type = ColumnType.Float;
        else if (point) type = ColumnType.Decimal;
        else type = ValueText.TryParseInt(s, out _) ? ColumnType.Int : ColumnType.Decimal;
        return true;
    }

    private static ColumnType Join(ColumnType a, ColumnType b)
    {
        if (a == b) return a;
        bool numericA = a is ColumnType.Int or ColumnType.Decimal or ColumnType.Float;
        bool numericB = b is ColumnType.Int or ColumnType.Decimal or ColumnType.Float;
        if (!numericA || !numericB) return ColumnType.String;
        return a == ColumnType.Float || b == ColumnType.Float ? ColumnType.Float : ColumnType.Decimal;
    }

    public static string Describe(ColumnType t) => t == ColumnType.Int ? "an int" : "a " + Name(t);

}

/// <summary>How a chunk's reader treats one column's fields.</summary>
internal enum ColumnAction : byte
{
    /// <summary>Text the pipeline never reads, in a chunk known to be valid UTF-8: not looked at.</summary>
    Skip,
    /// <summary>Text the pipeline never reads: checked to be UTF-8.</summary>
    CheckText,
    Text,
    Int,
    CheckInt,
    Timestamp,
    CheckTimestamp,
    Decimal,
    CheckDecimal,
    /// <summary>A float, kept only when read.</summary>
    Float,
    /// <summary>A bool, kept only when read.</summary>
    Bool,
}

/// <summary>A column's action and its cell in the batch (-1: the pipeline never reads it).</summary>
internal readonly record struct ColumnPlan(ColumnAction Action, int Slot)
{
    public static ColumnPlan[] For(ColumnType[] types, int[] outputOf, bool chunkIsUtf8)
    {
        var plans = new ColumnPlan[types.Length];
        for (int c = 0; c < plans.Length; c++)
        {
            bool read = outputOf[c] >= 0;
            var action = types[c] switch
            {
                ColumnType.String => read ? ColumnAction.Text : chunkIsUtf8 ? ColumnAction.Skip : ColumnAction.CheckText,
                ColumnType.Int => read ? ColumnAction.Int : ColumnAction.CheckInt,
                ColumnType.Timestamp => read ? ColumnAction.Timestamp : ColumnAction.CheckTimestamp,
                ColumnType.Decimal => read ? ColumnAction.Decimal : ColumnAction.CheckDecimal,
                ColumnType.Float => ColumnAction.Float,
                _ => ColumnAction.Bool,
            };
            plans[c] = new ColumnPlan(action, outputOf[c]);
        }
        return plans;
    }
}
