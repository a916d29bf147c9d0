using System.Globalization;
using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>The conversion functions of §3 and the cast step share these rules.</summary>
internal static class Conversions
{
    public static Value ToInt(in Value v, string op = "int")
    {
        switch (v.Kind)
        {
            case ValueKind.Null or ValueKind.Int: return v;
            case ValueKind.Bool: return Value.FromInt(v.AsBool ? 1 : 0);
            case ValueKind.Decimal:
                {
                    decimal r = Math.Round(v.AsDecimal, MidpointRounding.AwayFromZero);
                    if (r < long.MinValue || r > long.MaxValue) throw EvalException.Arithmetic($"\"{op}\": {Show.Value(v)} does not fit a 64-bit integer", 0);
                    return Value.FromInt((long)r);
                }
            case ValueKind.Float:
                {
                    double r = Math.Round(v.AsFloat, MidpointRounding.AwayFromZero);
                    if (!(r >= -9.2233720368547758E18 && r < 9.2233720368547758E18)) throw EvalException.Arithmetic($"\"{op}\": {Show.Value(v)} does not fit a 64-bit integer", 0);
                    return Value.FromInt((long)r);
                }
            case ValueKind.String:
                {
                    var trimmed = v.AsString.AsSpan().Trim();
                    if (ValueText.TryParseNumber(trimmed, out var n)) return ToInt(n, op);
                    throw EvalException.Type($"\"{op}\": {Show.Value(v)} is not a number", 0);
                }
            default: throw Cannot(v, op, "an int");
        }
    }

    public static Value ToDecimal(in Value v, string op = "decimal")
    {
        switch (v.Kind)
        {
            case ValueKind.Null or ValueKind.Decimal: return v;
            case ValueKind.Int: return Value.FromDecimal(v.AsInt);
            case ValueKind.Bool: return Value.FromDecimal(v.AsBool ? 1 : 0);
            case ValueKind.Float:
                try { return Value.FromDecimal((decimal)v.AsFloat); }
                catch (OverflowException) { throw EvalException.Arithmetic($"\"{op}\": {Show.Value(v)} is outside the decimal range", 0); }
            case ValueKind.String:
                {
                    var trimmed = v.AsString.AsSpan().Trim();
                    if (decimal.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal d)) return Value.FromDecimal(d);
                    throw EvalException.Type($"\"{op}\": {Show.Value(v)} is not a number", 0);
                }
            default: throw Cannot(v, op, "a decimal");
        }
    }

    public static Value ToFloat(in Value v, string op = "float")
    {
        switch (v.Kind)
        {
            case ValueKind.Null or ValueKind.Float: return v;
            case ValueKind.Int or ValueKind.Decimal: return Value.FromFloat(v.ToDouble());
            case ValueKind.Bool: return Value.FromFloat(v.AsBool ? 1 : 0);
            case ValueKind.String:
                {
                    var trimmed = v.AsString.AsSpan().Trim();
                    if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && double.IsFinite(f)) return Value.FromFloat(f);
                    throw EvalException.Type($"\"{op}\": {Show.Value(v)} is not a number", 0);
                }
            default: throw Cannot(v, op, "a float");
        }
    }

    public static Value ToText(in Value v) => v.IsNull ? v : Value.FromString(Text.Of(v));

    public static Value ToBool(in Value v, string op = "bool")
    {
        switch (v.Kind)
        {
            case ValueKind.Null or ValueKind.Bool: return v;
            case ValueKind.Int when v.AsInt is 0 or 1: return Value.FromBool(v.AsInt == 1);
            case ValueKind.String when ValueText.TryParseBool(v.AsString, out bool b): return Value.FromBool(b);
            case ValueKind.String: throw EvalException.Type($"\"{op}\": {Show.Value(v)} is not a boolean (true/false, yes/no, t/f, 1/0)", 0);
            default: throw Cannot(v, op, "a boolean");
        }
    }

    /// <summary>Timestamps from ISO-8601 text (no zone means UTC) or from epoch milliseconds.</summary>
    public static Value ToTimestamp(in Value v, string op = "timestamp")
    {
        switch (v.Kind)
        {
            case ValueKind.Null or ValueKind.Timestamp: return v;
            case ValueKind.String: return Value.FromTimestampTicks(ParseTimestamp(v, op, 0));
            case ValueKind.Int:
                {
                    const long min = -62135596800000L, max = 253402300799999L;
                    if (v.AsInt < min || v.AsInt > max) throw EvalException.Arithmetic($"\"{op}\": {v.AsInt} ms since 1970 is outside the timestamp range", 0);
                    return Value.FromTimestampTicks(DateTime.UnixEpoch.Ticks + v.AsInt * TimeSpan.TicksPerMillisecond);
                }
            default: throw Cannot(v, op, "a timestamp");
        }
    }

    public static long ParseTimestamp(in Value text, string op, int operand)
    {
        if (ValueText.TryParseTimestamp(text.AsString.AsSpan().Trim(), out long ticks)) return ticks;
        throw EvalException.Type($"\"{op}\": {Show.Value(text)} is not an ISO-8601 timestamp", operand);
    }

    /// <summary>Converts to a type by its name in documents (cast step, CSV "types").</summary>
    public static Value To(string type, in Value v) => type switch
    {
        "int" => ToInt(v, "cast"),
        "decimal" => ToDecimal(v, "cast"),
        "float" => ToFloat(v, "cast"),
        "string" => ToText(v),
        "bool" => ToBool(v, "cast"),
        "timestamp" => ToTimestamp(v, "cast"),
        _ => throw new ArgumentException($"unknown type {type}"),
    };

    public static readonly IReadOnlyList<string> TypeNames = ["int", "decimal", "float", "string", "bool", "timestamp"];

    private static EvalException Cannot(in Value v, string op, string target) =>
        EvalException.Type($"\"{op}\" cannot turn {Show.Value(v)} ({Show.Kind(v.Kind)}) into {target}", 0);
}
