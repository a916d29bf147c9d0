using System.Text;
using System.Text.Json;

namespace Ocht.Document;

/// <summary>
/// Resolves <c>${name}</c> and <c>${env:NAME}</c> (pipeline-v1 §1). A string that is exactly one
/// placeholder takes the variable's JSON type; inside longer text it is spliced as text. Priority:
/// <c>vars</c>, then the command line. <c>$${</c> writes a literal <c>${</c>. Environment values
/// are secret: their nodes are marked and their text is registered for redaction.
/// </summary>
public static class Placeholders
{
    private const string EnvPrefix = "env:";

    public sealed record Result(DocNode Root, Secrets Secrets, IReadOnlyList<string> Warnings);

    /// <param name="root">The parsed document.</param>
    /// <param name="commandLineVars">--var values as typed (read as JSON when they are a JSON scalar, else text).</param>
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    public static Result Resolve(DocNode root, IReadOnlyDictionary<string, string> commandLineVars,
        Func<string, string?> environment, Diagnostics diagnostics)
    {
        var secrets = new Secrets();
        var warnings = new List<string>();
        var vars = new Dictionary<string, DocNode>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var varsNode = root.IsObject ? root["vars"] : null;
        if (varsNode is not null)
        {
            if (!varsNode.IsObject)
                diagnostics.Add(varsNode, $"\"vars\" must be an object of name to value, found {varsNode.Describe()}");
            else
                foreach (var p in varsNode.Properties)
                    vars[p.Name] = ResolveNode(p.Value, new Scope(null, environment, diagnostics, secrets, used));
        }
        foreach (var (name, raw) in commandLineVars)
            vars[name] = CommandLineValue(raw);

        var scope = new Scope(vars, environment, diagnostics, secrets, used);
        var resolved = root.IsObject
            ? DocNode.Object(root.Properties.Select(p => p.Name == "vars" ? p : p with { Value = ResolveNode(p.Value, scope) }).ToArray(), root.Pointer, root.Position)
            : root;
        foreach (var name in commandLineVars.Keys)
        {
            if (used.Contains(name) || (varsNode?.IsObject == true && varsNode[name] is not null)) continue;
            var known = CollectPlaceholderNames(root).Concat(vars.Keys).Where(n => n != name).Distinct();
            string hint = Suggest.Closest(name, known) is { } s ? $"; did you mean \"{s}\"?" : "";
            warnings.Add($"--var {name} is not used by the document{hint}");
        }
        return new Result(resolved, secrets, warnings);
    }

    /// <summary>A --var value: JSON when it is a JSON number, bool, null or quoted string; otherwise the text itself.</summary>
    public static DocNode CommandLineValue(string raw)
    {
        var at = new DocPosition(0, 0);
        try
        {
            var parsed = DocParser.Parse(raw);
            if (parsed.Ok && parsed.Root!.Kind is DocKind.Number or DocKind.Bool or DocKind.Null or DocKind.String)
                return parsed.Root.Relocate("", at, secret: false);
        }
        catch (JsonException) { }
        return DocNode.String(raw, "", at);
    }

    private sealed record Scope(Dictionary<string, DocNode>? Vars, Func<string, string?> Environment, Diagnostics Diagnostics, Secrets Secrets, HashSet<string> Used);

    private static DocNode ResolveNode(DocNode node, Scope scope) => node.Kind switch
    {
        DocKind.String => ResolveString(node, scope),
        DocKind.Array => DocNode.Array(node.Items.Select(i => ResolveNode(i, scope)).ToArray(), node.Pointer, node.Position),
        DocKind.Object => DocNode.Object(node.Properties.Select(p => p with { Value = ResolveNode(p.Value, scope) }).ToArray(), node.Pointer, node.Position),
        _ => node,
    };

    private static DocNode ResolveString(DocNode node, Scope scope)
    {
        string text = node.Text!;
        if (!text.Contains('$')) return node;
        var parts = Split(text);
        if (parts is null)
        {
            scope.Diagnostics.Add(node, $"unterminated placeholder in \"{text}\"; write $${{ for a literal ${{");
            return node;
        }
        if (parts.Count == 1 && parts[0].IsPlaceholder)
        {
            var whole = Lookup(parts[0].Text, node, scope);
            return whole is null ? node : whole.Relocate(node.Pointer, node.Position, whole.IsSecret);
        }
        var sb = new StringBuilder();
        bool secret = false;
        foreach (var part in parts)
        {
            if (!part.IsPlaceholder)
            {
                sb.Append(part.Text);
                continue;
            }
            var value = Lookup(part.Text, node, scope);
            if (value is null) continue;
            secret |= value.IsSecret;
            sb.Append(value.Kind switch
            {
                DocKind.String or DocKind.Number => value.Text,
                DocKind.Bool => value.Bool ? "true" : "false",
                DocKind.Null => "",
                _ => DocWriter.ToJson(value, redactSecrets: false),
            });
        }
        return DocNode.String(sb.ToString(), node.Pointer, node.Position, secret);
    }

    private static DocNode? Lookup(string name, DocNode at, Scope scope)
    {
        if (name.StartsWith(EnvPrefix, StringComparison.Ordinal))
        {
            string envName = name[EnvPrefix.Length..];
            string? value = envName.Length == 0 ? null : scope.Environment(envName);
            if (value is null)
            {
                scope.Diagnostics.Add(at, $"environment variable {envName} is not set (placeholder ${{{name}}})");
                return null;
            }
            scope.Secrets.Add(value);
            return DocNode.String(value, at.Pointer, at.Position, secret: true);
        }
        if (scope.Vars is null)
        {
            scope.Diagnostics.Add(at, $"placeholder ${{{name}}} cannot be used inside \"vars\"; only ${{env:NAME}} can");
            return null;
        }
        if (scope.Vars.TryGetValue(name, out var v))
        {
            scope.Used.Add(name);
            return v;
        }
        string hint = Suggest.Closest(name, scope.Vars.Keys) is { } s ? $"; did you mean \"{s}\"?" : "";
        scope.Diagnostics.Add(at, $"unresolved placeholder ${{{name}}}: no variable \"{name}\" in \"vars\" or --var{hint}");
        return null;
    }

    private readonly record struct Part(string Text, bool IsPlaceholder);

    /// <summary>Splits text into literal parts and placeholder names; null when a placeholder is unterminated.</summary>
    private static List<Part>? Split(string text)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 2 < text.Length && text[i + 1] == '$' && text[i + 2] == '{')
            {
                literal.Append("${");
                i += 2;
                continue;
            }
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                int end = text.IndexOf('}', i + 2);
                if (end < 0) return null;
                if (literal.Length > 0) parts.Add(new Part(literal.ToString(), false));
                literal.Clear();
                parts.Add(new Part(text[(i + 2)..end].Trim(), true));
                i = end;
                continue;
            }
            literal.Append(text[i]);
        }
        if (literal.Length > 0) parts.Add(new Part(literal.ToString(), false));
        return parts;
    }

    private static IEnumerable<string> CollectPlaceholderNames(DocNode node)
    {
        switch (node.Kind)
        {
            case DocKind.String:
                foreach (var p in Split(node.Text!) ?? [])
                    if (p.IsPlaceholder && !p.Text.StartsWith(EnvPrefix, StringComparison.Ordinal))
                        yield return p.Text;
                break;
            case DocKind.Array:
                foreach (var item in node.Items)
                    foreach (var n in CollectPlaceholderNames(item)) yield return n;
                break;
            case DocKind.Object:
                foreach (var p in node.Properties)
                    foreach (var n in CollectPlaceholderNames(p.Value)) yield return n;
                break;
        }
    }

}
