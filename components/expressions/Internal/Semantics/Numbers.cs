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

    public static Value Add(in Value a, in Value b)
    {
        if (a.Kind == ValueKind.Int && b.Kind == ValueKind.Int)
        {
            long r = a.AsInt + b.AsInt;
            if (((a.AsInt ^ r) & (b.AsInt ^ r)) < 0) throw Overflow("+");
            return Value.FromInt(r);
        }
        if (a.Kind == ValueKind.Float || b.Kind == ValueKind.Float) return Finite(a.ToDouble() + b.ToDouble(), "+");
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
