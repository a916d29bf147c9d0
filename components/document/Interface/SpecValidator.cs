using System.Globalization;

namespace Ocht.Document;

/// <summary>Checks an object node against a <see cref="ComponentSpec"/>: unknown keys (with suggestions),
/// missing required options, and the JSON shape of each option. Deeper checks belong to the owner.</summary>
public static class SpecValidator
{
    /// <param name="reserved">Keys owned by the surrounding structure (e.g. "op", "connector", "when").</param>
    public static void Check(DocNode node, ComponentSpec spec, Roles role, Diagnostics diagnostics, IReadOnlyCollection<string> reserved)
    {
        if (!node.IsObject)
        {
            diagnostics.Add(node, $"expected an object for {spec.Kind} \"{spec.Name}\", found {node.Describe()}");
            return;
        }
        var allowed = spec.OptionsFor(role).Select(o => o.Name).ToList();
        foreach (var p in node.Properties)
        {
            if (reserved.Contains(p.Name)) continue;
            var option = spec.Option(p.Name);
            if (option is null || (option.Roles & role) == 0)
            {
                string where = option is null ? "" : $" as a {RoleName(role)}";
                string hint = Suggest.Hint(p.Name, allowed);
                diagnostics.AddAtKey(node, p, $"unknown option \"{p.Name}\" for {spec.Kind} \"{spec.Name}\"{where}{hint}");
                continue;
            }
            CheckShape(p.Value, option, diagnostics);
        }
        foreach (var option in spec.OptionsFor(role))
            if (option.Required && node[option.Name] is null)
                diagnostics.Add(node, spec.Kind == "section"
                    ? $"the {spec.Name} needs \"{option.Name}\" ({option.Summary})"
                    : $"{spec.Kind} \"{spec.Name}\" needs option \"{option.Name}\" ({option.Summary})");
    }

    public static void CheckShape(DocNode value, OptionSpec option, Diagnostics diagnostics)
    {
        string name = option.Name;
        switch (option.Type)
        {
            case OptionType.String or OptionType.Path:
                if (!value.IsString) { diagnostics.Add(value, $"\"{name}\" must be a string, found {value.Describe()}"); break; }
                if (option.Choices is { } choices && !choices.Contains(value.Text!))
                    diagnostics.Add(value, $"\"{name}\" must be one of {string.Join(", ", choices.Select(c => $"\"{c}\""))}, found {value.Describe()}{Suggest.Hint(value.Text!, choices)}");
                break;
            case OptionType.Integer:
                if (!value.TryGetInt(out long n)) { diagnostics.Add(value, $"\"{name}\" must be a whole number, found {value.Describe()}"); break; }
                if (option.Minimum is long min && n < min) diagnostics.Add(value, $"\"{name}\" must be at least {min.ToString(CultureInfo.InvariantCulture)}, found {value.Text}");
                if (option.Maximum is long max && n > max) diagnostics.Add(value, $"\"{name}\" must be at most {max.ToString(CultureInfo.InvariantCulture)}, found {value.Text}");
                break;
            case OptionType.Number:
                if (value.Kind != DocKind.Number) diagnostics.Add(value, $"\"{name}\" must be a number, found {value.Describe()}");
                break;
            case OptionType.Boolean:
                if (value.Kind != DocKind.Bool) diagnostics.Add(value, $"\"{name}\" must be true or false, found {value.Describe()}");
                break;
            case OptionType.FieldList:
                if (!value.IsArray) { diagnostics.Add(value, $"\"{name}\" must be a list of field names, found {value.Describe()}"); break; }
                foreach (var item in value.Items)
                    if (!item.IsString || item.Text!.Length == 0) diagnostics.Add(item, $"\"{name}\" entries must be field names (non-empty strings), found {item.Describe()}");
                break;
            case OptionType.ExpressionList or OptionType.SortKeys:
                if (!value.IsArray) diagnostics.Add(value, $"\"{name}\" must be a list, found {value.Describe()}");
                break;
            case OptionType.FieldMap:
                if (!value.IsObject) { diagnostics.Add(value, $"\"{name}\" must be an object of field name to field name, found {value.Describe()}"); break; }
                foreach (var p in value.Properties)
                    if (!p.Value.IsString || p.Value.Text!.Length == 0) diagnostics.Add(p.Value, $"\"{name}\" values must be field names, found {p.Value.Describe()}");
                break;
            case OptionType.Connector:
                break; // the owner explains what a connector object looks like
            case OptionType.ExpressionMap or OptionType.TypeMap or OptionType.AggregateMap or OptionType.Object:
                if (!value.IsObject) diagnostics.Add(value, $"\"{name}\" must be an object, found {value.Describe()}");
                break;
        }
    }

    private static string RoleName(Roles role) => role == Roles.Source ? "source" : role == Roles.Sink ? "sink" : "connector";
}
