using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ocht.Values;

/// <summary>
/// JSON forms of values and records. Reading follows §2: integral numbers are int, numbers with a
/// point are exact decimals, exponent form is float; objects keep their key order. Writing keeps
/// decimal scale ("12.30") and writes timestamps as ISO-8601 UTC strings.
/// </summary>
public static class ValueJson
{
    /// <summary>Output encoding: readable text (no \u escapes for non-ASCII), still valid JSON.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static void WriteValue(Utf8JsonWriter writer, in Value v)
    {
        switch (v.Kind)
        {
            case ValueKind.Null: writer.WriteNullValue(); break;
            case ValueKind.Bool: writer.WriteBooleanValue(v.AsBool); break;
            case ValueKind.Int: writer.WriteNumberValue(v.AsInt); break;
            case ValueKind.Decimal: writer.WriteNumberValue(v.AsDecimal); break;
            case ValueKind.Float:
                if (double.IsFinite(v.AsFloat)) writer.WriteNumberValue(v.AsFloat);
                else writer.WriteStringValue(ValueText.FormatFloat(v.AsFloat));
                break;
            case ValueKind.String: writer.WriteStringValue(v.AsString); break;
            case ValueKind.Timestamp:
                {
                    Span<byte> buffer = stackalloc byte[40];
                    ValueText.TryFormatTimestampUtf8(v.TimestampTicks, buffer, out int n);
                    writer.WriteStringValue(buffer[..n]);
                    break;
                }
            case ValueKind.List:
                writer.WriteStartArray();
                foreach (var item in v.AsList) WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            default:
                {
                    var map = v.AsMap;
                    writer.WriteStartObject();
                    for (int i = 0; i < map.Count; i++)
                    {
                        writer.WritePropertyName(map.Keys[i]);
                        WriteValue(writer, map.Values[i]);
                    }
                    writer.WriteEndObject();
                    break;
                }
        }
    }

    public static void WriteRecord(Utf8JsonWriter writer, Schema schema, ReadOnlySpan<Value> values)
    {
        writer.WriteStartObject();
        for (int i = 0; i < values.Length; i++)
        {
            writer.WritePropertyName(schema[i]);
            WriteValue(writer, values[i]);
        }
        writer.WriteEndObject();
    }

    public static string ToJson(in Value v)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            WriteValue(writer, v);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string ToJson(Record record)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            WriteRecord(writer, record.Schema, record.Values);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses one JSON value (any type) from text.</summary>
    public static Value Parse(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes);
        if (!reader.Read()) throw new FormatException("empty JSON text");
        var value = ReadValue(ref reader, new SchemaCache());
        if (reader.Read()) throw new FormatException("unexpected text after the JSON value");
        return value;
    }

    /// <summary>Parses one JSON object into a record.</summary>
    public static Record ParseRecord(string json)
    {
        var reader = new JsonRecordReader();
        if (!reader.TryRead(Encoding.UTF8.GetBytes(json), out var schema, out var values, out var error))
            throw new FormatException(error);
        return new Record(schema, values.ToArray());
    }

    /// <summary>Reads the value at the reader's current token (which must be a value start).</summary>
    public static Value ReadValue(ref Utf8JsonReader reader, SchemaCache keys)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return Value.Null;
            case JsonTokenType.True: return Value.True;
            case JsonTokenType.False: return Value.False;
            case JsonTokenType.String: return Value.FromString(reader.GetString());
            case JsonTokenType.Number: return ReadNumber(ref reader);
            case JsonTokenType.StartArray:
                {
                    var items = new List<Value>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        items.Add(ReadValue(ref reader, keys));
                    return Value.FromList(items.ToArray());
                }
            case JsonTokenType.StartObject:
                {
                    var names = new List<string>();
                    var values = new List<Value>();
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        string name = reader.GetString()!;
                        if (names.Contains(name)) throw new FormatException($"duplicate field \"{name}\"");
                        names.Add(name);
                        reader.Read();
                        values.Add(ReadValue(ref reader, keys));
                    }
                    return Value.FromMap(new MapValue(keys.Get(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(names)), values.ToArray()));
                }
            default:
                throw new FormatException($"unexpected JSON token {reader.TokenType}");
        }
    }

    internal static Value ReadNumber(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (ValueText.TryParseNumberUtf8(raw, out var value))
            return value;
        // Too large for an exact int or decimal, or beyond the float range: refuse rather than round silently.
        throw new FormatException($"number {Encoding.UTF8.GetString(raw)} is out of range (exact numbers hold 28 digits, floats up to about 1.8e308); write it as a string");
    }
}
