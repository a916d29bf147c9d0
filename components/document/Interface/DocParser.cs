using System.Text;
using System.Text.Json;

namespace Ocht.Document;

/// <summary>
/// Parses pipeline documents: JSON with <c>//</c> and <c>/* */</c> comments and trailing commas
/// (System.Text.Json's reader does the lexing), into <see cref="DocNode"/>s that know their line:column.
/// </summary>
public static class DocParser
{
    public sealed record Result(DocNode? Root, IReadOnlyList<Diagnostic> Diagnostics)
    {
        public bool Ok => Root is not null && Diagnostics.Count == 0;
    }

    public static Result Parse(string text) => Parse(Encoding.UTF8.GetBytes(text));

    public static Result Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
        var lines = new LineMap(utf8);
        var diagnostics = new Diagnostics();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = 256,
        });
        try
        {
            if (!reader.Read())
            {
                diagnostics.Add("", new DocPosition(1, 1), "the document is empty; expected a JSON object");
                return new Result(null, diagnostics.Items);
            }
            var root = ReadNode(ref reader, "", lines, utf8, diagnostics);
            if (reader.Read())
                diagnostics.Add("", lines.PositionOf(utf8, (int)reader.TokenStartIndex), "unexpected content after the document's closing brace");
            return new Result(root, diagnostics.Sorted());
        }
        catch (JsonException) when (reader.TokenType == JsonTokenType.None)
        {
            diagnostics.Add("", new DocPosition(1, 1), "the document is empty; expected a JSON object");
            return new Result(null, diagnostics.Items);
        }
        catch (JsonException e)
        {
            var at = new DocPosition((int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1);
            diagnostics.Add("", at, "invalid JSON: " + CleanJsonMessage(e.Message));
            return new Result(null, diagnostics.Sorted());
        }
    }

    private static DocNode ReadNode(ref Utf8JsonReader reader, string pointer, LineMap lines, ReadOnlySpan<byte> text, Diagnostics diagnostics)
    {
        var at = lines.PositionOf(text, (int)reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return DocNode.Null(pointer, at);
            case JsonTokenType.True: return DocNode.FromBool(true, pointer, at);
            case JsonTokenType.False: return DocNode.FromBool(false, pointer, at);
            case JsonTokenType.Number: return DocNode.Number(Encoding.UTF8.GetString(reader.ValueSpan), pointer, at);
            case JsonTokenType.String: return DocNode.String(reader.GetString()!, pointer, at);
            case JsonTokenType.StartArray:
                {
                    var items = new List<DocNode>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        items.Add(ReadNode(ref reader, DocPointer.Child(pointer, items.Count), lines, text, diagnostics));
                    return DocNode.Array(items, pointer, at);
                }
            case JsonTokenType.StartObject:
                {
                    var properties = new List<DocProperty>();
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        string name = reader.GetString()!;
                        var keyAt = lines.PositionOf(text, (int)reader.TokenStartIndex);
                        reader.Read();
                        var value = ReadNode(ref reader, DocPointer.Child(pointer, name), lines, text, diagnostics);
                        if (properties.Any(p => p.Name == name))
                            diagnostics.Add(DocPointer.Child(pointer, name), keyAt, $"duplicate key \"{name}\"; each key may appear once");
                        else
                            properties.Add(new DocProperty(name, keyAt, value));
                    }
                    return DocNode.Object(properties, pointer, at);
                }
            default:
                throw new JsonException($"unexpected token {reader.TokenType}");
        }
    }

    private static string CleanJsonMessage(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        message = message.TrimEnd(' ', '.');
        return message.Length > 0 ? char.ToLowerInvariant(message[0]) + message[1..] : message;
    }

    /// <summary>Byte offsets of line starts, to turn a reader offset into line:column (columns in characters).</summary>
    private readonly struct LineMap
    {
        private readonly List<int> _starts;

        public LineMap(ReadOnlySpan<byte> text)
        {
            _starts = [0];
            for (int i = 0; i < text.Length; i++)
                if (text[i] == '\n') _starts.Add(i + 1);
        }

        public DocPosition PositionOf(ReadOnlySpan<byte> text, int offset)
        {
            int line = _starts.BinarySearch(offset);
            if (line < 0) line = ~line - 1;
            int start = _starts[line], column = 1;
            for (int i = start; i < offset && i < text.Length; i++)
                if ((text[i] & 0xC0) != 0x80) column++;
            return new DocPosition(line + 1, column);
        }
    }
}
