using System.Buffers;
using System.Text;
using System.Text.Json;
using Ocht.Values;

namespace Ocht.Document;

/// <summary>Writes document nodes back as JSON, secrets shown as <c>***</c>.</summary>
public static class DocWriter
{
    public const string Redacted = "***";

    public static string ToJson(DocNode node, bool redactSecrets = true, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var options = ValueJson.WriterOptions with { Indented = indented, SkipValidation = false };
        using (var writer = new Utf8JsonWriter(buffer, options))
            Write(writer, node, redactSecrets);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Write(Utf8JsonWriter writer, DocNode node, bool redactSecrets = true)
    {
        if (redactSecrets && node.IsSecret && node.Kind is not (DocKind.Array or DocKind.Object))
        {
            writer.WriteStringValue(Redacted);
            return;
        }
        switch (node.Kind)
        {
            case DocKind.Null: writer.WriteNullValue(); break;
            case DocKind.Bool: writer.WriteBooleanValue(node.Bool); break;
            case DocKind.Number: writer.WriteRawValue(node.Text!); break;
            case DocKind.String: writer.WriteStringValue(node.Text); break;
            case DocKind.Array:
                writer.WriteStartArray();
                foreach (var item in node.Items) Write(writer, item, redactSecrets);
                writer.WriteEndArray();
                break;
            default:
                writer.WriteStartObject();
                foreach (var p in node.Properties)
                {
                    writer.WritePropertyName(p.Name);
                    Write(writer, p.Value, redactSecrets);
                }
                writer.WriteEndObject();
                break;
        }
    }
}
