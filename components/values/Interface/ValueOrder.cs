namespace Ocht.Values;

/// <summary>
/// The one total order and key equality over values, shared by sort, min/max, group keys and
/// dedupe. Numbers compare by value across int/decimal/float; text compares by Unicode code point
/// (the same order as UTF-8 bytes, "C collation"); other kinds of different type order by
/// <see cref="ValueKind"/> rank.
/// </summary>
public static class ValueOrder
{
    public static int Compare(in Value a, in Value b)
    {
        var ka = a.Kind;
        var kb = b.Kind;
        if (ka == kb)
        {
            return ka switch
            {
                ValueKind.Null => 0,
                ValueKind.Bool => a.AsBool.CompareTo(b.AsBool),
                ValueKind.Int => a.AsInt.CompareTo(b.AsInt),
                ValueKind.Decimal => CompareDecimals(a, b),
                ValueKind.Float => a.AsFloat.CompareTo(b.AsFloat),
                ValueKind.String => CompareText(a.AsString, b.AsString),
                ValueKind.Timestamp => a.TimestampTicks.CompareTo(b.TimestampTicks),
                ValueKind.List => CompareLists(a.AsList, b.AsList),
                _ => CompareMaps(a.AsMap, b.AsMap),
            };
        }
        if (a.IsNumber && b.IsNumber)
            return CompareNumbers(a, b);
        return Rank(ka).CompareTo(Rank(kb));
    }

    /// <summary>Orders text by code point: ordinal UTF-16 order with surrogates moved above U+FFFF's BMP neighbours.</summary>
    public static int CompareText(string a, string b)
    {
        if (ReferenceEquals(a, b)) return 0;
        int common = a.AsSpan().CommonPrefixLength(b);
        if (common == a.Length || common == b.Length)
            return a.Length.CompareTo(b.Length);
        return CodePointRank(a[common]) - CodePointRank(b[common]);
    }

    public static bool KeyEquals(in Value a, in Value b)
    {
        if (a.Kind != b.Kind)
            return a.IsNumber && b.IsNumber && CompareNumbers(a, b) == 0;
        return a.Kind switch
        {
            ValueKind.Null => true,
            ValueKind.Bool or ValueKind.Int or ValueKind.Timestamp => a.AsInt == b.AsInt,
            ValueKind.String => string.Equals(a.AsString, b.AsString, StringComparison.Ordinal),
            _ => Compare(a, b) == 0,
        };
    }

    /// <summary>Same kind and same content, decimals including their scale (12.3 differs from 12.30).</summary>
    public static bool StrictEquals(in Value a, in Value b)
    {
        if (a.Kind != b.Kind) return false;
        return a.Kind switch
        {
            ValueKind.Decimal => a.AsDecimal == b.AsDecimal && a.AsDecimal.Scale == b.AsDecimal.Scale,
            ValueKind.List => ListsStrictEqual(a.AsList, b.AsList),
            ValueKind.Map => MapsStrictEqual(a.AsMap, b.AsMap),
            _ => KeyEquals(a, b),
        };
    }

    /// <summary>A hash consistent with <see cref="KeyEquals"/> (equal numbers of any kind hash alike).</summary>
    public static int KeyHash(in Value v)
    {
        switch (v.Kind)
        {
            case ValueKind.Null: return 0;
            case ValueKind.Bool: return v.AsBool ? 1 : 2;
            case ValueKind.Int: return HashLong(v.AsInt);
            case ValueKind.Decimal:
                {
                    decimal d = v.AsDecimal;
                    if (d == decimal.Truncate(d) && d >= long.MinValue && d <= long.MaxValue)
                        return HashLong((long)d);
                    return HashDouble((double)d);
                }
            case ValueKind.Float: return HashDouble(v.AsFloat);
            case ValueKind.String: return v.AsString.GetHashCode();
            case ValueKind.Timestamp: return HashCode.Combine(7, v.TimestampTicks);
            case ValueKind.List:
                {
                    var h = new HashCode();
                    foreach (var item in v.AsList) h.Add(KeyHash(item));
                    return h.ToHashCode();
                }
            default:
                {
                    var map = v.AsMap;
                    var h = new HashCode();
                    for (int i = 0; i < map.Count; i++)
                    {
                        h.Add(map.Keys[i]);
                        h.Add(KeyHash(map.Values[i]));
                    }
                    return h.ToHashCode();
                }
        }
    }

    /// <summary>Compares two numbers of any numeric kind by value.</summary>
    public static int CompareNumbers(in Value a, in Value b)
    {
        var ka = a.Kind;
        var kb = b.Kind;
        if (ka == ValueKind.Int && kb == ValueKind.Int) return a.AsInt.CompareTo(b.AsInt);
        if (ka != ValueKind.Float && kb != ValueKind.Float) return CompareDecimals(a, b);
        if (ka == ValueKind.Int) return CompareLongDouble(a.AsInt, b.AsFloat);
        if (kb == ValueKind.Int) return -CompareLongDouble(b.AsInt, a.AsFloat);
        return a.ToDouble().CompareTo(b.ToDouble());
    }

    /// <summary>Exact comparison of ints and decimals; scaled mantissas when they fit, System.Decimal otherwise.</summary>
    private static int CompareDecimals(in Value a, in Value b)
    {
        if (a.TryGetScaled(out long ma, out int sa) && b.TryGetScaled(out long mb, out int sb))
        {
            if (sa == sb) return ma.CompareTo(mb);
            // Bring both to the larger scale when that cannot overflow (|m| < 2^63 / 10^diff).
            int diff = Math.Abs(sa - sb);
            if (diff < 18)
            {
                long factor = Pow10[diff], limit = long.MaxValue / factor;
                if (sa < sb && ma >= -limit && ma <= limit) return (ma * factor).CompareTo(mb);
                if (sb < sa && mb >= -limit && mb <= limit) return ma.CompareTo(mb * factor);
            }
        }
        return decimal.Compare(a.ToDecimal(), b.ToDecimal());
    }

    private static readonly long[] Pow10 = Enumerable.Range(0, 18).Select(n => (long)Math.Pow(10, n)).ToArray();

    private static int CompareLongDouble(long l, double d)
    {
        if (double.IsNaN(d)) return 1;
        if (d >= 9.2233720368547758E18) return -1;
        if (d < -9.2233720368547758E18) return 1;
        double whole = Math.Truncate(d);
        long lw = (long)whole;
        if (l != lw) return l.CompareTo(lw);
        return 0.0.CompareTo(d - whole);
    }

    private static int HashLong(long l) => l.GetHashCode();

    private static int HashDouble(double d)
    {
        if (d == Math.Truncate(d) && d >= -9.2233720368547758E18 && d < 9.2233720368547758E18)
            return HashLong((long)d);
        return d.GetHashCode();
    }

    private static int Rank(ValueKind k) => k is ValueKind.Decimal or ValueKind.Float ? (int)ValueKind.Int : (int)k;

    private static int CodePointRank(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;

    private static int CompareLists(Value[] a, Value[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            int c = Compare(a[i], b[i]);
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }

    private static int CompareMaps(MapValue a, MapValue b)
    {
        int n = Math.Min(a.Count, b.Count);
        for (int i = 0; i < n; i++)
        {
            int c = CompareText(a.Keys[i], b.Keys[i]);
            if (c != 0) return c;
            c = Compare(a.Values[i], b.Values[i]);
            if (c != 0) return c;
        }
        return a.Count.CompareTo(b.Count);
    }

    private static bool ListsStrictEqual(Value[] a, Value[] b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
            if (!StrictEquals(a[i], b[i])) return false;
        return true;
    }

    private static bool MapsStrictEqual(MapValue a, MapValue b)
    {
        if (!a.Keys.SameFields(b.Keys)) return false;
        for (int i = 0; i < a.Count; i++)
            if (!StrictEquals(a.Values[i], b.Values[i])) return false;
        return true;
    }
}
