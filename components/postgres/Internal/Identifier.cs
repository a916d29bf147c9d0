using System.Text;

namespace Ocht.Postgres;

/// <summary>SQL identifiers: always quoted, so any name (spaces, quotes, capitals) means exactly itself.</summary>
internal static class Identifier
{
    /// <summary>PostgreSQL silently truncates longer names (NAMEDATALEN - 1 bytes).</summary>
    public const int MaxBytes = 63;

    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Why <paramref name="name"/> cannot be a PostgreSQL identifier, or null when it can.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0) return "a name cannot be empty";
        if (name.Contains('\0')) return $"\"{name.Replace("\0", "\\0", StringComparison.Ordinal)}\" contains a NUL character";
        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxBytes) return $"\"{name}\" is {bytes} bytes long; PostgreSQL names hold at most {MaxBytes}";
        return null;
    }
}

/// <summary>A table named as "table" or "schema.table" (split at the first dot); both parts are quoted in SQL.</summary>
internal sealed record TableName(string? Schema, string Name)
{
    public static TableName Parse(string text)
    {
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? new TableName(null, text) : new TableName(text[..dot], text[(dot + 1)..]);
    }

    /// <summary>Why the text cannot name a table, or null.</summary>
    public static string? Problem(string text)
    {
        var name = Parse(text);
        if (name.Name.Contains('.', StringComparison.Ordinal))
            return $"\"{text}\" has more than one dot; write \"table\" or \"schema.table\" (names containing a dot are not supported)";
        return (name.Schema is null ? null : Identifier.Problem(name.Schema)) ?? Identifier.Problem(name.Name);
    }

    /// <summary>The quoted form for SQL text, e.g. "public"."Order Items".</summary>
    public string Sql => Schema is null ? Identifier.Quote(Name) : Identifier.Quote(Schema) + "." + Identifier.Quote(Name);

    public override string ToString() => Schema is null ? Name : Schema + "." + Name;
}
