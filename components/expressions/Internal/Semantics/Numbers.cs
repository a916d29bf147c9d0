using System.Globalization;
using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>
/// Arithmetic of §3: int op int stays int (overflow is an error), a decimal operand makes decimal,
/// a float operand makes float; "/" never truncates; division by zero is an error; text operands
/// are parsed as numbers (invariant culture).
/// </summary>
internal static class Numbers
{
    /// <summary>1, 1.0, 1.00, ...: multiplying by OneWithScale[k] adds k places without changing the value.</summary>
    private static readonly decimal[] OneWithScale = BuildOnes();

    private static decimal[] BuildOnes()
    {
        var ones = new decimal[29];
        ones[0] = 1m;
        for (int k = 1; k < ones.Length; k++) ones[k] = ones[k - 1] * 1.0m;
        return ones;
    }

    /// <summary>The operand as a number; text is parsed; anything else is a type error.</summary>
    public static Value Coerce(in Value v, string op, int operand)
    {
        if (v.IsNumber) return v;
        if (v.Kind == ValueKind.String && ValueText.TryParseNumber(v.AsString.AsSpan().Trim(), out var n)) return n;
        if (v.Kind == ValueKind.String)
            throw EvalException.Type($"\"{op}\" expects a number, but {Show.Value(v)} is not a number", operand);
        throw EvalException.Type($"\"{op}\" expects a number, found {Show.Value(v)} ({Show.Kind(v.Kind)})", operand);
    }

    // Constant data, not an array built at start-up: code compiled before this class is initialized (the hot loops
    // are compiled on first call) would otherwise check for its initialization on every read.
    private static ReadOnlySpan<long> Pow10Long => [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000, 1000000000000, 10000000000000, 100000000000000, 1000000000000000, 10000000000000000, 100000000000000000, 1000000000000000000];

    /// <summary>Exact a ± b on scaled mantissas (the scale of the result is the larger one, as System.Decimal's);
    /// false when a mantissa or the result does not fit 63 bits.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static bool TryScaledAdd(in Value a, in Value b, bool subtract, out Value result)
    {
        result = default;
        if (!a.TryGetScaled(out long ma, out int sa) || !b.TryGetScaled(out long mb, out int sb)
            || !TryAddScaled(ma, sa, mb, sb, subtract, out long r, out int s)) return false;
        result = Value.FromScaled(r, s);
        return true;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static bool TryScaledMultiply(in Value a, in Value b, out Value result)
    {
        result = default;
        if (!a.TryGetScaled(out long ma, out int sa) || !b.TryGetScaled(out long mb, out int sb)
            || !TryMultiplyScaled(ma, sa, mb, sb, out long r, out int s)) return false;
        result = Value.FromScaled(r, s);
        return true;
    }

    /// <summary>The mantissa form of <see cref="TryScaledAdd"/>: scales 0..28 in, the larger scale out; the result
    /// is never long.MinValue (so it negates safely).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static bool TryAddScaled(long ma, int sa, long mb, int sb, bool subtract, out long r, out int s)
    {
        s = Math.Max(sa, sb);
        r = 0;
        if (!TryRescale(ma, s - sa, out ma) || !TryRescale(mb, s - sb, out mb)) return false;
        r = subtract ? ma - mb : ma + mb;
        bool overflow = subtract ? ((ma ^ mb) & (ma ^ r)) < 0 : ((ma ^ r) & (mb ^ r)) < 0;
        return !overflow && r != long.MinValue;
    }

    /// <summary>The mantissa form of <see cref="TryScaledMultiply"/>: the scales add, up to 28.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static bool TryMultiplyScaled(long ma, int sa, long mb, int sb, out long r, out int s)
    {
        s = sa + sb;
        long high = Math.BigMul(ma, mb, out r);
        return s <= 28 && high == (r >> 63) && r != long.MinValue;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static bool TryRescale(long m, int by, out long scaled)
    {
        scaled = m;
        if (by == 0) return true;
        if (by >= Pow10Long.Length) return false;
        long high = Math.BigMul(m, Pow10Long[by], out scaled);
        return high == (scaled >> 63) && scaled != long.MinValue;
    }

    public static Value Add(in Value a, in Value b)
    {
        if (a.Kind == ValueKind.Int && b.Kind == ValueKind.Int)
        {
            long r = a.AsInt + b.AsInt;
            if (((a.AsInt ^ r) & (b.AsInt ^ r)) < 0) throw Overflow("+");
            return Value.FromInt(r);
        }
        if (a.Kind == ValueKind.Float || b.Kind == ValueKind.Float) return Finite(a.ToDouble() + b.ToDouble(), "+");
        if (TryScaledAdd(a, b, subtract: false, out var fast)) return fast;
        try { return Value.FromDecimal(a.ToDecimal() + b.ToDecimal()); }
        catch (OverflowException) { throw Overflow("+"); }
    }

    public static Value Subtract(in Value a, in Value b)
    {
        if (a.Kind == ValueKind.Int && b.Kind == ValueKind.Int)
        {
            long r = a.AsInt - b.AsInt;
            if (((a.AsInt ^ b.AsInt) & (a.AsInt ^ r)) < 0) throw Overflow("-");
            return Value.FromInt(r);
        }
        if (a.Kind == ValueKind.Float || b.Kind == ValueKind.Float) return Finite(a.ToDouble() - b.ToDouble(), "-");
        if (TryScaledAdd(a, b, subtract: true, out var fast)) return fast;
        try { return Value.FromDecimal(a.ToDecimal() - b.ToDecimal()); }
        catch (OverflowException) { throw Overflow("-"); }
    }

    public static Value Multiply(in Value a, in Value b)
    {
        if (a.Kind == ValueKind.Int && b.Kind == ValueKind.Int)
        {
            long r;
            try { r = checked(a.AsInt * b.AsInt); }
            catch (OverflowException) { throw Overflow("*"); }
            return Value.FromInt(r);
        }
        if (a.Kind == ValueKind.Float || b.Kind == ValueKind.Float) return Finite(a.ToDouble() * b.ToDouble(), "*");
        if (TryScaledMultiply(a, b, out var fast)) return fast;
        try { return Value.FromDecimal(a.ToDecimal() * b.ToDecimal()); }
        catch (OverflowException) { throw Overflow("*"); }
    }

    public static Value Divide(in Value a, in Value b)
    {
        if (IsZero(b)) throw EvalException.Arithmetic($"division by zero: {Show.Value(a)} / {Show.Value(b)}", 1);
        if (a.Kind == ValueKind.Float || b.Kind == ValueKind.Float) return Finite(a.ToDouble() / b.ToDouble(), "/");
        try { return Value.FromDecimal(a.ToDecimal() / b.ToDecimal()); }
        catch (OverflowException) { throw Overflow("/"); }
    }

    public static Value Remainder(in Value a, in Value b)
    {
        if (IsZero(b)) throw EvalException.Arithmetic($"division by zero: {Show.Value(a)} % {Show.Value(b)}", 1);
        if (a.Kind == ValueKind.Int && b.Kind == ValueKind.Int)
            return Value.FromInt(b.AsInt == -1 ? 0 : a.AsInt % b.AsInt);
        if (a.Kind == ValueKind.Float || b.Kind == ValueKind.Float) return Finite(a.ToDouble() % b.ToDouble(), "%");
        return Value.FromDecimal(a.ToDecimal() % b.ToDecimal());
    }

    public static Value Negate(in Value a)
    {
        switch (a.Kind)
        {
            case ValueKind.Int:
                if (a.AsInt == long.MinValue) throw Overflow("-");
                return Value.FromInt(-a.AsInt);
            case ValueKind.Float: return Value.FromFloat(-a.AsFloat);
            default: return Value.FromDecimal(-a.AsDecimal);
        }
    }

    public static Value Abs(in Value a)
    {
        switch (a.Kind)
        {
            case ValueKind.Int:
                if (a.AsInt == long.MinValue) throw Overflow("abs");
                return Value.FromInt(Math.Abs(a.AsInt));
            case ValueKind.Float: return Value.FromFloat(Math.Abs(a.AsFloat));
            default: return Value.FromDecimal(Math.Abs(a.AsDecimal));
        }
    }

    public static Value Floor(in Value a) => a.Kind switch
    {
        ValueKind.Int => a,
        ValueKind.Float => Value.FromFloat(Math.Floor(a.AsFloat)),
        _ => Value.FromDecimal(decimal.Floor(a.AsDecimal)),
    };

    public static Value Ceiling(in Value a) => a.Kind switch
    {
        ValueKind.Int => a,
        ValueKind.Float => Value.FromFloat(Math.Ceiling(a.AsFloat)),
        _ => Value.FromDecimal(decimal.Ceiling(a.AsDecimal)),
    };

    /// <summary>Rounds half away from zero. A decimal result has exactly <paramref name="digits"/> places
    /// (round(5.1, 2) is 5.10), as in SQL; negative digits round to tens, hundreds, ...</summary>
    public static Value Round(in Value a, long digits)
    {
        if (digits > 28 || digits < -18)
            throw EvalException.Type($"\"round\" digits must be between -18 and 28, found {digits.ToString(CultureInfo.InvariantCulture)}", 1);
        switch (a.Kind)
        {
            case ValueKind.Int:
                {
                    if (digits >= 0) return a;
                    long factor = Pow10(-digits);
                    long q = a.AsInt / factor, r = a.AsInt % factor;
                    if (Math.Abs(r) * 2 >= factor) q += Math.Sign(a.AsInt);
                    try { return Value.FromInt(checked(q * factor)); }
                    catch (OverflowException) { throw Overflow("round"); }
                }
            case ValueKind.Float:
                {
                    double f = a.AsFloat;
                    if (digits >= 0) return Value.FromFloat(Math.Round(f, (int)Math.Min(digits, 15), MidpointRounding.AwayFromZero));
                    double factor = Math.Pow(10, -digits);
                    return Value.FromFloat(Math.Round(f / factor, MidpointRounding.AwayFromZero) * factor);
                }
            default:
                {
                    if (digits >= 0 && TryScaledRound(a, (int)digits, out var fast)) return fast;
                    decimal d = a.AsDecimal;
                    if (digits < 0)
                    {
                        decimal factor = Pow10(-digits);
                        try { return Value.FromDecimal(Math.Round(d / factor, MidpointRounding.AwayFromZero) * factor); }
                        catch (OverflowException) { throw Overflow("round"); }
                    }
                    decimal rounded = Math.Round(d, (int)digits, MidpointRounding.AwayFromZero);
                    int missing = (int)digits - rounded.Scale;
                    if (missing > 0)
                    {
                        try { rounded *= OneWithScale[missing]; }
                        catch (OverflowException) { }
                    }
                    return Value.FromDecimal(rounded);
                }
        }
    }

    /// <summary>Round half away from zero to exactly <paramref name="digits"/> places on the scaled mantissa.</summary>
    private static bool TryScaledRound(in Value a, int digits, out Value result)
    {
        result = default;
        if (!a.TryGetScaled(out long m, out int scale) || !TryRoundScaled(m, scale, digits, out long r)) return false;
        result = Value.FromScaled(r, digits);
        return true;
    }

    /// <summary>The mantissa form of <see cref="TryScaledRound"/>: the result has scale <paramref name="digits"/> (0..28).</summary>
    internal static bool TryRoundScaled(long m, int scale, int digits, out long result)
    {
        result = 0;
        if (digits > 28) return false;
        if (scale <= digits) return TryRescale(m, digits - scale, out result);
        int drop = scale - digits;
        if (drop >= Pow10Long.Length) return false;
        long unit = Pow10Long[drop];
        // A division by a constant is a multiplication: the usual drops (one to four places) get one each.
        long q = drop switch { 1 => m / 10, 2 => m / 100, 3 => m / 1000, 4 => m / 10000, _ => m / unit };
        long r = m - q * unit;
        if (Math.Abs(r) * 2 >= unit) q += Math.Sign(m);
        result = q;
        return true;
    }

    public static bool IsZero(in Value v) => v.Kind switch
    {
        ValueKind.Int => v.AsInt == 0,
        ValueKind.Float => v.AsFloat == 0,
        _ => v.AsDecimal == 0,
    };

    private static long Pow10(long n)
    {
        long r = 1;
        for (int i = 0; i < n; i++) r *= 10;
        return r;
    }

    private static Value Finite(double d, string op)
    {
        if (!double.IsFinite(d)) throw EvalException.Arithmetic($"\"{op}\" overflowed the float range");
        return Value.FromFloat(d);
    }

    private static EvalException Overflow(string op) => EvalException.Arithmetic($"\"{op}\" overflowed its number range");
}
