using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>How values appear in error messages: short, typed, quoted text.</summary>
internal static class Show
{
    public static string Value(in Value v) => v.Kind switch
    {
        ValueKind.Null => "null",
        ValueKind.String => Quote(v.AsString),
        ValueKind.Timestamp => "timestamp " + ValueText.FormatTimestamp(v.TimestampTicks),
        ValueKind.List => "a list",
        ValueKind.Map => "a map",
        _ => ValueText.Format(v),
    };

    public static string Kind(ValueKind k) => k switch
    {
        ValueKind.Int or ValueKind.Decimal or ValueKind.Float => "number",
        ValueKind.String => "text",
        _ => k.ToString().ToLowerInvariant(),
    };

    private static string Quote(string s) => s.Length <= 60 ? $"\"{s}\"" : $"\"{s[..57]}...\"";
}
