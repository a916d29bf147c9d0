using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ocht.Workspace;

/// <summary>workspace.json as read, with the line of every property (for messages).</summary>
internal sealed class Manifest
{
    public const string FileName = "workspace.json";

    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private readonly Dictionary<string, int> _lines;

    private Manifest(JsonObject json, Dictionary<string, int> lines)
    {
        Json = json;
        _lines = lines;
    }

    public JsonObject Json { get; }

    /// <summary>The bricks that must stay free of effects: the "pure_core" list.</summary>
    public IReadOnlyList<string> PureCore => Strings(Json["pure_core"]);

    /// <summary>Reads workspace.json; a file that is missing or not JSON is reported as <paramref name="problem"/>
    /// and read as empty, so every entry the tree has shows up as missing too.</summary>
    public static Manifest Read(string root, out Problem? problem)
    {
        problem = null;
        string path = Path.Combine(root, FileName);
        if (!File.Exists(path))
        {
            problem = new Problem("E10", FileName, 1, "workspace.json is missing (./poly sync writes it from the tree)");
            return new Manifest(new JsonObject(), []);
        }
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            if (JsonNode.Parse(bytes, documentOptions: Lenient) is JsonObject json) return new Manifest(json, PropertyLines(bytes));
            problem = new Problem("E10", FileName, 1, "workspace.json is not a JSON object");
        }
        catch (JsonException e)
        {
            problem = new Problem("E10", FileName, (int)(e.LineNumber ?? 0) + 1, $"workspace.json is not valid JSON: {e.Message}");
        }
        return new Manifest(new JsonObject(), []);
    }

    /// <summary>The line of the property at <paramref name="path"/>, or of its nearest enclosing property.</summary>
    public int LineOf(params string[] path)
    {
        for (int length = path.Length; length > 0; length--)
            if (_lines.TryGetValue(string.Join('/', path[..length]), out int line)) return line;
        return 1;
    }

    public static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(item => item?.GetValueKind() == JsonValueKind.String ? item.GetValue<string>() : item?.ToJsonString() ?? "null").ToArray() : [];

    public static string Serialize(JsonObject json) =>
        json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    private static Dictionary<string, int> PropertyLines(byte[] bytes)
    {
        var lineStarts = new List<long> { 0 };
        for (int i = 0; i < bytes.Length; i++) if (bytes[i] == (byte)'\n') lineStarts.Add(i + 1);
        int LineAt(long offset)
        {
            int index = lineStarts.BinarySearch(offset);
            return (index >= 0 ? index : ~index - 1) + 1;
        }

        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        string? property = null;
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    property = reader.GetString()!;
                    lines.TryAdd(string.Join('/', path.Append(property).Where(p => p.Length > 0)), LineAt(reader.TokenStartIndex));
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    path.Add(property ?? "");
                    property = null;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    break;
                default:
                    property = null;
                    break;
            }
        }
        return lines;
    }
}
