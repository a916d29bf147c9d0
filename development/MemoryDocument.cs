using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ocht.Development;

/// <summary>Rewrites of a pipeline document for notebook runs: another source, and sinks (dead letters
/// included) that keep their records in memory instead of writing files. Steps, lookups, vars,
/// on_error policy and options stay as written.</summary>
internal static class MemoryDocument
{
    public const string Input = "input";
    public const string DeadLetters = "dead letters";

    private static readonly JsonDocumentOptions Jsonc = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static JsonObject MemorySource() => new() { ["connector"] = "memory", ["name"] = Input };

    /// <summary>The document's source reading <paramref name="path"/>: the same options when the file has the
    /// source's format, otherwise just the connector its extension names.</summary>
    public static JsonObject FileSource(string document, string path)
    {
        var source = Parse(document)["source"]!.AsObject();
        string? connector = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => "csv",
            ".jsonl" or ".ndjson" => "jsonl",
            _ => null,
        };
        string original = source["connector"]?.GetValue<string>() ?? "";
        if (connector is not null && connector != original) return new JsonObject { ["connector"] = connector, ["path"] = path };
        var copy = source.DeepClone().AsObject();
        copy["path"] = path;
        return copy;
    }

    public static string WithSource(string document, JsonObject source)
    {
        var json = Parse(document);
        json["source"] = source;
        return json.ToJsonString();
    }

    /// <summary>Every sink becomes a memory sink named after the sink's path (or "sink N"), keeping its
    /// "when"; the dead-letter sink becomes the memory sink <see cref="DeadLetters"/>.</summary>
    public static (string Document, IReadOnlyList<string> Sinks) WithMemorySinks(string document)
    {
        var json = Parse(document);
        var names = new List<string>();
        JsonObject ToMemory(JsonNode? sink)
        {
            string name = sink?["path"]?.GetValue<string>() ?? $"sink {names.Count + 1}";
            if (names.Contains(name)) name = $"{name} ({names.Count + 1})";
            names.Add(name);
            var memory = new JsonObject { ["connector"] = "memory", ["name"] = name };
            if (sink?["when"] is { } when) memory["when"] = when.DeepClone();
            return memory;
        }
        if (json["sink"] is { } single) json["sink"] = ToMemory(single);
        if (json["sinks"] is JsonArray many) json["sinks"] = new JsonArray(many.Select(s => (JsonNode)ToMemory(s)).ToArray());
        if (json["on_error"]?["sink"] is not null) json["on_error"]!["sink"] = new JsonObject { ["connector"] = "memory", ["name"] = DeadLetters };
        return (json.ToJsonString(), names);
    }

    private static JsonObject Parse(string document) => JsonNode.Parse(document, documentOptions: Jsonc)!.AsObject();
}
