using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>Time functions of §3 (all in UTC). Text operands are parsed as ISO-8601.</summary>
internal static class Time
{
    public static readonly IReadOnlyList<string> Units = ["second", "minute", "hour", "day", "week", "month", "quarter", "year"];

    public static long Ticks(in Value v, string op, int operand) => v.Kind switch
    {
        ValueKind.Timestamp => v.TimestampTicks,
        ValueKind.String => Conversions.ParseTimestamp(v, op, operand),
        _ => throw EvalException.Type($"\"{op}\" expects a timestamp, found {Show.Value(v)} ({Show.Kind(v.Kind)})", operand),
    };

    /// <summary>Truncates to the start of the unit; weeks start on Monday (ISO 8601).</summary>
    public static Value Truncate(string unit, long ticks)
    {
        var t = new DateTime(ticks, DateTimeKind.Utc);
        DateTime r = unit switch
        {
            "second" => new DateTime(ticks - ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc),
            "minute" => new DateTime(ticks - ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc),
            "hour" => new DateTime(ticks - ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc),
            "day" => t.Date,
            "week" => t.Date.AddDays(-(((int)t.DayOfWeek + 6) % 7)),
            "month" => new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc),
            "quarter" => new DateTime(t.Year, (t.Month - 1) / 3 * 3 + 1, 1, 0, 0, 0, DateTimeKind.Utc),
            "year" => new DateTime(t.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            _ => throw EvalException.Type($"\"date-trunc\" unit must be one of {string.Join(", ", Units)}, found \"{unit}\"", 0),
        };
        return Value.FromTimestamp(r);
    }

    public static Value Part(string part, long ticks)
    {
        var t = new DateTime(ticks, DateTimeKind.Utc);
        return Value.FromInt(part switch
        {
            "year" => t.Year,
            "month" => t.Month,
            "day" => t.Day,
            "hour" => t.Hour,
            "minute" => t.Minute,
            "second" => t.Second,
            _ => EpochMilliseconds(ticks),
        });
    }

    /// <summary>Milliseconds since 1970-01-01T00:00:00Z, rounded down (also before 1970).</summary>
    private static long EpochMilliseconds(long ticks)
    {
        long delta = ticks - DateTime.UnixEpoch.Ticks;
        long ms = delta / TimeSpan.TicksPerMillisecond;
        return delta % TimeSpan.TicksPerMillisecond < 0 ? ms - 1 : ms;
    }
}
