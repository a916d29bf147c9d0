using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ocht.Document;
using Ocht.Expressions;

namespace Ocht.Model;

/// <summary>Generated reference material: the JSON Schema for documents and the Markdown reference,
/// both from the same specs that validate documents.</summary>
public static class Reference
{
    private const string Marker = "<!-- generated: do not edit below; regenerate with OCHT_UPDATE_GOLDEN=1 dotnet test -->";

    /// <summary>The marker after which docs/pipelines.md holds the generated reference.</summary>
    public static string GeneratedMarker => Marker;

    public static string JsonSchema(Catalog catalog)
    {
        var defs = new JsonObject
        {
            ["expression"] = Expression(catalog),
            ["source"] = ConnectorChoice(catalog, Roles.Source),
            ["sink"] = ConnectorChoice(catalog, Roles.Sink),
            ["step"] = new JsonObject { ["oneOf"] = new JsonArray(catalog.Steps.Select(s => (JsonNode)Object(s, Roles.Both, "op")).ToArray()) },
        };
        var pipeline = DocumentSpecs.Pipeline;
        var properties = new JsonObject();
        foreach (var option in pipeline.Options)
        {
            properties[option.Name] = option.Name switch
            {
                "ocht" => new JsonObject { ["const"] = 1, ["description"] = option.Summary },
                "name" => new JsonObject { ["type"] = "string", ["pattern"] = DocumentSpecs.NamePattern, ["description"] = option.Summary },
                "source" => new JsonObject { ["$ref"] = "#/$defs/source", ["description"] = option.Summary },
                "sink" => new JsonObject { ["$ref"] = "#/$defs/sink", ["description"] = option.Summary },
                "sinks" => new JsonObject { ["type"] = "array", ["minItems"] = 1, ["items"] = new JsonObject { ["$ref"] = "#/$defs/sink" }, ["description"] = option.Summary },
                "steps" => new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["$ref"] = "#/$defs/step" }, ["description"] = option.Summary },
                "on_error" => OnError(),
                "options" => Object(DocumentSpecs.Options, Roles.Both, null),
                "tests" => new JsonObject { ["type"] = "array", ["items"] = Object(DocumentSpecs.Test, Roles.Both, null), ["description"] = option.Summary },
                _ => Option(option),
            };
        }
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = "https://ocht.dev/schema/pipeline-v1.json",
            ["title"] = "Ocht pipeline document, version 1",
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray("ocht", "name", "source"),
            ["oneOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("sink") }, new JsonObject { ["required"] = new JsonArray("sinks") }),
            ["additionalProperties"] = false,
            ["$defs"] = defs,
        };
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static JsonObject OnError()
    {
        var o = Object(DocumentSpecs.OnError, Roles.Both, null);
        ((JsonObject)o["properties"]!)["sink"] = new JsonObject { ["$ref"] = "#/$defs/sink" };
        return o;
    }

    private static JsonObject Expression(Catalog catalog)
    {
        var names = catalog.Functions.Concat(catalog.SpecialForms).Select(f => (JsonNode)f.Name).ToArray();
        return new JsonObject
        {
            ["description"] = "An expression: \":field\", a literal, or [operator, args...]",
            ["anyOf"] = new JsonArray(
                new JsonObject { ["type"] = new JsonArray("string", "number", "boolean", "null") },
                new JsonObject
                {
                    ["type"] = "array",
                    ["minItems"] = 1,
                    ["prefixItems"] = new JsonArray(new JsonObject { ["enum"] = new JsonArray(names) }),
                }),
        };
    }

    private static JsonObject ConnectorChoice(Catalog catalog, Roles role) => new()
    {
        ["oneOf"] = new JsonArray(catalog.Connectors.Where(c => (c.Spec.Roles & role) != 0)
            .Select(c => (JsonNode)Object(c.Spec, role, "connector", role == Roles.Sink ? DocumentSpecs.SinkExtras.Options : [])).ToArray()),
    };

    /// <summary>An object schema for a spec; <paramref name="discriminator"/> is the key that names it ("op", "connector").</summary>
    private static JsonObject Object(ComponentSpec spec, Roles role, string? discriminator, IEnumerable<OptionSpec>? extra = null)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        if (discriminator is not null)
        {
            properties[discriminator] = new JsonObject { ["const"] = spec.Name };
            required.Add(discriminator);
        }
        foreach (var option in spec.OptionsFor(role).Concat(extra ?? []))
        {
            properties[option.Name] = Option(option);
            if (option.Required) required.Add(option.Name);
        }
        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = spec.Summary,
            ["properties"] = properties,
            ["required"] = required,
            ["additionalProperties"] = false,
        };
    }

    private static JsonObject Option(OptionSpec option)
    {
        var s = option.Type switch
        {
            OptionType.String or OptionType.Path => new JsonObject { ["type"] = "string" },
            OptionType.Integer => new JsonObject { ["type"] = "integer" },
            OptionType.Number => new JsonObject { ["type"] = "number" },
            OptionType.Boolean => new JsonObject { ["type"] = "boolean" },
            OptionType.Expression => new JsonObject { ["$ref"] = "#/$defs/expression" },
            OptionType.ExpressionList => new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["$ref"] = "#/$defs/expression" } },
            OptionType.ExpressionMap => new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["$ref"] = "#/$defs/expression" } },
            OptionType.FieldList => new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 } },
            OptionType.FieldMap => new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 } },
            OptionType.TypeMap => new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["enum"] = new JsonArray(Expressions.Expressions.TypeNames.Select(t => (JsonNode)t).ToArray()) } },
            OptionType.SortKeys => new JsonObject { ["type"] = "array", ["minItems"] = 1, ["items"] = new JsonObject { ["$ref"] = "#/$defs/expression" } },
            OptionType.AggregateMap => new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "array", ["minItems"] = 1, ["maxItems"] = 2 } },
            OptionType.Connector => new JsonObject { ["$ref"] = "#/$defs/source" },
            OptionType.Object => new JsonObject { ["type"] = "object" },
            _ => new JsonObject(),
        };
        s["description"] = option.Summary;
        if (option.Choices is { } choices) s["enum"] = new JsonArray(choices.Select(c => (JsonNode)c).ToArray());
        if (option.Minimum is long min) s["minimum"] = min;
        if (option.Maximum is long max) s["maximum"] = max;
        if (option.Default is { } d) s["default"] = JsonNode.Parse(d);
        return s;
    }

    /// <summary>The generated reference section of docs/pipelines.md.</summary>
    public static string Markdown(Catalog catalog)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Marker).AppendLine();
        sb.AppendLine("## Reference: steps").AppendLine();
        foreach (var s in catalog.Steps) Section(sb, s, "###", Roles.Both);
        sb.AppendLine("## Reference: operators").AppendLine();
        foreach (var group in catalog.Functions.Concat(catalog.SpecialForms).GroupBy(f => f.Group))
        {
            sb.AppendLine($"### {char.ToUpperInvariant(group.Key[0])}{group.Key[1..]}").AppendLine();
            sb.AppendLine("| operator | form | meaning | example |").AppendLine("|---|---|---|---|");
            foreach (var f in group)
                sb.AppendLine($"| `{f.Name}` | `{f.Signature}` | {Cell(f.Summary)} | `{f.Example}` → {Cell(f.ExampleResult)} |");
            sb.AppendLine();
        }
        sb.AppendLine("## Reference: connectors").AppendLine();
        foreach (var c in catalog.Connectors) Section(sb, c.Spec, "###", c.Spec.Roles);
        sb.AppendLine("## Reference: document sections").AppendLine();
        foreach (var s in catalog.Sections) Section(sb, s, "###", Roles.Both);
        return sb.ToString();
    }

    private static void Section(StringBuilder sb, ComponentSpec spec, string heading, Roles roles)
    {
        sb.AppendLine($"{heading} `{spec.Name}`").AppendLine();
        sb.AppendLine(spec.Summary).AppendLine();
        if (spec.Details is { } details) sb.AppendLine(details).AppendLine();
        if (spec.Options.Count > 0)
        {
            bool showRoles = spec.Kind == "connector";
            sb.AppendLine(showRoles ? "| option | for | type | default | meaning |" : "| option | type | default | meaning |");
            sb.AppendLine(showRoles ? "|---|---|---|---|---|" : "|---|---|---|---|");
            foreach (var o in spec.Options)
            {
                string type = o.Type.ToString().ToLowerInvariant() + (o.Choices is { } ch ? ": " + string.Join(" \\| ", ch) : "");
                string def = o.Required ? "required" : o.Default is { } d ? $"`{d}`" : "";
                string role = o.Roles == Roles.Both ? "source, sink" : o.Roles == Roles.Source ? "source" : "sink";
                string sensitive = o.Sensitive ? " Use `${env:NAME}`; never written in the document." : "";
                sb.AppendLine(showRoles
                    ? $"| `{o.Name}` | {role} | {type} | {def} | {Cell(o.Summary)}{sensitive} |"
                    : $"| `{o.Name}` | {type} | {def} | {Cell(o.Summary)}{sensitive} |");
            }
            sb.AppendLine();
        }
        if (spec.Example is { } example) sb.AppendLine("```json").AppendLine(example).AppendLine("```").AppendLine();
    }

    private static string Cell(string text) => text.Replace("|", "\\|");
}
