using System.Globalization;

namespace Ocht.Document;

/// <summary>
/// Typed reading of a validated options object. Absent options take the spec's default, so the
/// default lives in one place (the spec) and shows up in docs and the schema.
/// </summary>
public sealed class Options(DocNode node, ComponentSpec spec)
{
    public DocNode Node { get; } = node;
    public ComponentSpec Spec { get; } = spec;

    public bool Has(string name) => Node[name] is not null;

    public DocNode? Get(string name) => Node[name] ?? DefaultNode(name);

    public string? String(string name) => Get(name) is { IsString: true } n ? n.Text : null;

    public bool Bool(string name) => Get(name) is { Kind: DocKind.Bool } n && n.Bool;

    public long Int(string name) =>
        Get(name) is { } n && n.TryGetInt(out long v) ? v : throw new InvalidOperationException($"option \"{name}\" has no integer value or default");

    public long? IntOrNull(string name) => Get(name) is { } n && n.TryGetInt(out long v) ? v : null;

    public IReadOnlyList<string> Strings(string name) =>
        Get(name) is { IsArray: true } n ? n.Items.Where(i => i.IsString).Select(i => i.Text!).ToArray() : [];

    public IReadOnlyList<(string Key, DocNode Value)> Map(string name) =>
        Get(name) is { IsObject: true } n ? n.Properties.Select(p => (p.Name, p.Value)).ToArray() : [];

    private DocNode? DefaultNode(string name)
    {
        var option = Spec.Option(name);
        if (option?.Default is null) return null;
        var parsed = DocParser.Parse(option.Default);
        return parsed.Root?.Relocate(DocPointer.Child(Node.Pointer, name), Node.Position, secret: false);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Spec.Kind} {Spec.Name} {Node}");
}
