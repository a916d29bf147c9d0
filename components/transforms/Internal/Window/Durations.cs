using System.Globalization;
using Ocht.Document;

namespace Ocht.Transforms;

/// <summary>Durations written as a whole number and a unit: "500ms", "30s", "5m", "1h", "1d".</summary>
internal static class Durations
{
    private static readonly (string Unit, long Ticks)[] Units =
    [
        ("ms", TimeSpan.TicksPerMillisecond), ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute),
        ("h", TimeSpan.TicksPerHour), ("d", TimeSpan.TicksPerDay),
    ];

    /// <summary>Spellings users reach for first, mapped to the unit they mean.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["msec"] = "ms", ["millis"] = "ms", ["millisecond"] = "ms", ["milliseconds"] = "ms",
        ["sec"] = "s", ["secs"] = "s", ["second"] = "s", ["seconds"] = "s",
        ["min"] = "m", ["mins"] = "m", ["minute"] = "m", ["minutes"] = "m",
        ["hr"] = "h", ["hrs"] = "h", ["hour"] = "h", ["hours"] = "h",
        ["day"] = "d", ["days"] = "d",
    };

    /// <summary>At most 100 years: windows, ends and watermarks then stay far inside the tick range.</summary>
    public static readonly long MaxTicks = 36_500 * TimeSpan.TicksPerDay;

    /// <summary>The duration at <paramref name="node"/> in ticks; null (with a diagnostic) when it is not one.</summary>
    public static long? Parse(DocNode node, string option, Diagnostics diagnostics, bool allowZero)
    {
        string text = node.Text ?? "";
        int digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits])) digits++;
        string unit = text[digits..];
        if (digits == 0)
        {
            diagnostics.Add(node, $"\"{option}\": \"{text}\" is not a duration; write a whole number and a unit ({UnitList}), e.g. \"30s\" or \"5m\"");
            return null;
        }
        long ticksPerUnit = Array.Find(Units, u => u.Unit == unit).Ticks;
        if (ticksPerUnit == 0)
        {
            string hint = Aliases.TryGetValue(unit, out var meant) ? $"; did you mean \"{text[..digits]}{meant}\"?" : Suggest.Hint(unit, Units.Select(u => u.Unit));
            diagnostics.Add(node, unit.Length == 0
                ? $"\"{option}\": \"{text}\" needs a unit ({UnitList}), e.g. \"{text}s\""
                : $"\"{option}\": unknown unit \"{unit}\" in \"{text}\"{hint}; units are {UnitList}");
            return null;
        }
        if (!long.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out long count) || count > MaxTicks / ticksPerUnit)
        {
            diagnostics.Add(node, $"\"{option}\": \"{text}\" is longer than the limit of 36500d (100 years)");
            return null;
        }
        if (count == 0 && !allowZero)
        {
            diagnostics.Add(node, $"\"{option}\" must be longer than zero, found \"{text}\"");
            return null;
        }
        return count * ticksPerUnit;
    }

    /// <summary>The shortest exact spelling: 90 s is "90s", 2 h is "2h".</summary>
    public static string Format(long ticks)
    {
        if (ticks == 0) return "0s";
        // Every parsed duration is whole milliseconds, the smallest unit.
        int unit = Units.Length - 1;
        while (unit > 0 && ticks % Units[unit].Ticks != 0) unit--;
        return string.Create(CultureInfo.InvariantCulture, $"{ticks / Units[unit].Ticks}{Units[unit].Unit}");
    }

    private static string UnitList => string.Join(", ", Units.Select(u => u.Unit));
}
