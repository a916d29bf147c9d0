using System.Runtime.InteropServices;
using System.Text.Json;

namespace Ocht.Values;

/// <summary>
/// Reads JSON objects (one per call) into record rows with little allocation: field names repeated
/// from the previous object are reused, not re-decoded, and schemas are interned.
/// One instance per reader thread.
/// </summary>
public sealed class JsonRecordReader
{
    private readonly SchemaCache _schemas = new();
    private readonly List<string> _names = new();
    private Value[] _values = new Value[16];
    private string[] _previousNames = [];

    /// <summary>Parses <paramref name="json"/>; on success <paramref name="values"/> is valid until the next call.</summary>
    public bool TryRead(ReadOnlySpan<byte> json, out Schema schema, out ReadOnlySpan<Value> values, out string? error)
    {
        schema = Schema.Empty;
        values = default;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read())
            {
                error = "empty line";
                return false;
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                error = $"expected a JSON object, found {Describe(reader.TokenType)}";
                return false;
            }
            _names.Clear();
            int count = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = NameAt(ref reader, count);
                for (int i = 0; i < count; i++)
                {
                    if (string.Equals(_names[i], name, StringComparison.Ordinal))
                    {
                        error = $"duplicate field \"{name}\"";
                        return false;
                    }
                }
                _names.Add(name);
                reader.Read();
                if (count == _values.Length) Array.Resize(ref _values, count * 2);
                _values[count++] = ValueJson.ReadValue(ref reader, _schemas);
            }
            if (reader.Read())
            {
                error = "unexpected text after the JSON object";
                return false;
            }
            var names = CollectionsMarshal.AsSpan(_names);
            schema = _schemas.Get(names);
            _previousNames = schema.Names as string[] ?? names.ToArray();
            values = _values.AsSpan(0, count);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = "invalid JSON: " + CleanMessage(e);
            return false;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
        catch (InvalidOperationException e)
        {
            error = "invalid JSON: " + e.Message;
            return false;
        }
    }

    private string NameAt(ref Utf8JsonReader reader, int position)
    {
        if (position < _previousNames.Length && !reader.ValueIsEscaped && reader.ValueTextEquals(_previousNames[position]))
            return _previousNames[position];
        return reader.GetString()!;
    }

    private static string Describe(JsonTokenType t) => t switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => t.ToString(),
    };

    /// <summary>System.Text.Json messages end with "LineNumber: 0 | BytePositionInLine: 7."; keep the message, report the column.</summary>
    private static string CleanMessage(JsonException e)
    {
        string message = e.Message;
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        message = message.TrimEnd('.', ' ');
        return e.BytePositionInLine is long col ? $"{message} (at column {col + 1})" : message;
    }
}
