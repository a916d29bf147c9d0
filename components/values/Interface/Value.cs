using System.Runtime.InteropServices;

namespace Ocht.Values;

/// <summary>
/// One value of a record: a 24-byte tagged union. Numbers, booleans and timestamps live inline
/// (no boxing); text, lists and maps hold a reference. Decimals keep their scale, so "12.00"
/// stays "12.00".
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly struct Value : IEquatable<Value>
{
    private readonly object? _obj;
    private readonly long _bits;   // bool, int, float bits, timestamp ticks, or decimal low 64 bits
    private readonly int _hi;      // decimal high 32 bits
    private readonly byte _scale;  // decimal scale
    private readonly bool _negative;
    private readonly ValueKind _kind;

    private Value(ValueKind kind, long bits, object? obj = null)
    {
        _kind = kind;
        _bits = bits;
        _obj = obj;
        _hi = 0;
        _scale = 0;
        _negative = false;
    }

    private Value(long magnitude, byte scale, bool negative)
    {
        _kind = ValueKind.Decimal;
        _bits = magnitude;
        _hi = 0;
        _scale = scale;
        _negative = negative;
        _obj = null;
    }

    private Value(decimal d)
    {
        Span<int> parts = stackalloc int[4];
        decimal.GetBits(d, parts);
        _kind = ValueKind.Decimal;
        _bits = (uint)parts[0] | ((long)parts[1] << 32);
        _hi = parts[2];
        _scale = (byte)((parts[3] >> 16) & 0xFF);
        _negative = parts[3] < 0;
        _obj = null;
    }

    public static readonly Value Null = default;
    public static readonly Value True = new(ValueKind.Bool, 1);
    public static readonly Value False = new(ValueKind.Bool, 0);

    public static Value FromBool(bool b) => b ? True : False;
    public static Value FromInt(long i) => new(ValueKind.Int, i);
    public static Value FromDecimal(decimal d) => new(d);
    /// <summary>An exact decimal mantissa × 10^-scale without going through System.Decimal (scale 0..28).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static Value FromScaled(long mantissa, int scale)
    {
        if ((uint)scale > 28 || mantissa == long.MinValue) return FromDecimal(new decimal(mantissa) / Pow10Decimal(scale));
        return new Value(mantissa < 0 ? -mantissa : mantissa, (byte)scale, mantissa < 0);
    }

    /// <summary>A decimal mantissa × 10^-scale as <see cref="ValueText.TryParseScaled"/> gives it (scale 0..28, mantissa
    /// not long.MinValue). Without <see cref="FromScaled"/>'s path through System.Decimal, a value built straight into
    /// an array cell is stored without a write barrier.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static Value FromScaledExact(long mantissa, int scale)
    {
        if ((uint)scale > 28 || mantissa == long.MinValue) ThrowNotExact(mantissa, scale);
        return new Value(mantissa < 0 ? -mantissa : mantissa, (byte)scale, mantissa < 0);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowNotExact(long mantissa, int scale) =>
        throw new ArgumentOutOfRangeException(nameof(scale), $"{mantissa} × 10^-{scale} needs System.Decimal (scale 0..28, mantissa above long.MinValue)");

    /// <summary>An int, or a decimal whose mantissa fits 63 bits, as mantissa and scale: the fast path of
    /// exact arithmetic (results equal System.Decimal's, scale included).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool TryGetScaled(out long mantissa, out int scale)
    {
        if (_kind == ValueKind.Int) { mantissa = _bits; scale = 0; return true; }
        if (_kind == ValueKind.Decimal && _hi == 0 && _bits >= 0)
        {
            mantissa = _negative ? -_bits : _bits;
            scale = _scale;
            return true;
        }
        mantissa = 0;
        scale = 0;
        return false;
    }

    private static decimal Pow10Decimal(int n)
    {
        decimal r = 1;
        for (int i = 0; i < n; i++) r *= 10;
        return r;
    }

    public static Value FromFloat(double f) => new(ValueKind.Float, BitConverter.DoubleToInt64Bits(f));
    public static Value FromString(string? s) => s is null ? Null : new(ValueKind.String, 0, s);
    /// <summary>Text that is never null, built in place where it is stored (a reader's hot loop): no call, no copy.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static Value FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(ValueKind.String, 0, text);
    }
    /// <summary>A UTC instant. Non-UTC kinds are converted; Unspecified is taken as UTC.</summary>
    public static Value FromTimestamp(DateTime t) => new(ValueKind.Timestamp, ToUtc(t).Ticks);
    public static Value FromTimestampTicks(long utcTicks) => new(ValueKind.Timestamp, utcTicks);
    public static Value FromList(Value[] items) => new(ValueKind.List, 0, items);
    public static Value FromMap(MapValue map) => new(ValueKind.Map, 0, map);

    public ValueKind Kind => _kind;
    public bool IsNull => _kind == ValueKind.Null;
    public bool IsNumber => _kind is ValueKind.Int or ValueKind.Decimal or ValueKind.Float;

    public bool AsBool => _bits != 0;
    public long AsInt => _bits;
    public double AsFloat => BitConverter.Int64BitsToDouble(_bits);
    public decimal AsDecimal => new((int)_bits, (int)(_bits >> 32), _hi, _negative, _scale);
    public string AsString => (string)_obj!;
    public long TimestampTicks => _bits;
    public DateTime AsTimestamp => new(_bits, DateTimeKind.Utc);
    public Value[] AsList => (Value[])_obj!;
    public MapValue AsMap => (MapValue)_obj!;

    /// <summary>The numeric value as a decimal (int or decimal kinds); floats convert and may round.</summary>
    public decimal ToDecimal() => _kind switch
    {
        ValueKind.Int => _bits,
        ValueKind.Decimal => AsDecimal,
        ValueKind.Float => (decimal)AsFloat,
        _ => throw new InvalidOperationException($"{_kind} is not a number"),
    };

    public double ToDouble() => _kind switch
    {
        ValueKind.Int => _bits,
        ValueKind.Decimal => (double)AsDecimal,
        ValueKind.Float => AsFloat,
        _ => throw new InvalidOperationException($"{_kind} is not a number"),
    };

    public static implicit operator Value(long i) => FromInt(i);
    public static implicit operator Value(int i) => FromInt(i);
    public static implicit operator Value(decimal d) => FromDecimal(d);
    public static implicit operator Value(double f) => FromFloat(f);
    public static implicit operator Value(bool b) => FromBool(b);
    public static implicit operator Value(string? s) => FromString(s);
    public static implicit operator Value(DateTime t) => FromTimestamp(t);

    /// <summary>True when both are the very same value: same kind and bits and, for text, lists and maps, the same
    /// instance. Values that are the same are always key-equal; key-equal values need not be the same.</summary>
    public bool SameAs(in Value other) =>
        _kind == other._kind && _bits == other._bits && ReferenceEquals(_obj, other._obj) && _hi == other._hi && _scale == other._scale && _negative == other._negative;

    /// <summary>A cheap hash, the same for values that are <see cref="SameAs"/> and for equal text: text hashes
    /// by its length and three of its characters (not all of it), lists and maps by instance. For probing
    /// caches where a collision costs only a miss.</summary>
    public int QuickHash() => _obj switch
    {
        null => HashCode.Combine(_bits, _hi, _scale, _kind),
        string s => QuickHash(s),
        _ => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_obj),
    };

    /// <summary><see cref="QuickHash()"/> of text, for a caller that already knows it holds text (no type test).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int QuickHash(string s) => s.Length == 0 ? 0 : s.Length ^ (s[0] << 5) ^ (s[s.Length >> 1] << 11) ^ (s[^1] << 17);

    /// <summary>Key equality: numbers compare by value across int/decimal/float, everything else by kind and content.</summary>
    public bool Equals(Value other) => ValueOrder.KeyEquals(this, other);
    public override bool Equals(object? obj) => obj is Value v && Equals(v);
    public override int GetHashCode() => ValueOrder.KeyHash(this);
    public static bool operator ==(Value a, Value b) => a.Equals(b);
    public static bool operator !=(Value a, Value b) => !a.Equals(b);

    /// <summary>The value as pipeline output text (the CSV form; JSON text for lists and maps).</summary>
    public override string ToString() => ValueText.Format(this);

    private static DateTime ToUtc(DateTime t) => t.Kind switch
    {
        DateTimeKind.Utc => t,
        DateTimeKind.Local => t.ToUniversalTime(),
        _ => DateTime.SpecifyKind(t, DateTimeKind.Utc),
    };
}
