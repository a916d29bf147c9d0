namespace Ocht.Document;

/// <summary>The JSON shape an option takes; drives validation, docs and the JSON Schema.</summary>
public enum OptionType
{
    String,
    Integer,
    Number,
    Boolean,
    /// <summary>A file path; relative paths resolve against the pipeline file's directory.</summary>
    Path,
    /// <summary>An expression (§3).</summary>
    Expression,
    /// <summary>A list of expressions.</summary>
    ExpressionList,
    /// <summary>An object of field name to expression (ordered).</summary>
    ExpressionMap,
    /// <summary>A list of field names.</summary>
    FieldList,
    /// <summary>An object of field name to field name.</summary>
    FieldMap,
    /// <summary>An object of field name to type name.</summary>
    TypeMap,
    /// <summary>Sort keys: expressions or ["desc", expression].</summary>
    SortKeys,
    /// <summary>An object of output name to [aggregate, expression?].</summary>
    AggregateMap,
    /// <summary>A connector object (§5).</summary>
    Connector,
    /// <summary>Any JSON object.</summary>
    Object,
    /// <summary>Any JSON value.</summary>
    Any,
}

/// <summary>Where a connector option applies.</summary>
[Flags]
public enum Roles
{
    Source = 1,
    Sink = 2,
    Both = Source | Sink,
}

/// <summary>One option of a step, connector or document section.</summary>
public sealed record OptionSpec(string Name, OptionType Type, string Summary)
{
    public bool Required { get; init; }
    /// <summary>The default as JSON text (null: no default).</summary>
    public string? Default { get; init; }
    /// <summary>For string options: the allowed values.</summary>
    public IReadOnlyList<string>? Choices { get; init; }
    public long? Minimum { get; init; }
    public long? Maximum { get; init; }
    public Roles Roles { get; init; } = Roles.Both;
    /// <summary>Options that usually carry credentials (documented as "use ${env:...}").</summary>
    public bool Sensitive { get; init; }
}

/// <summary>
/// The one description of a step, connector or document section: it drives validation, <c>ocht list</c>,
/// the user docs and the committed JSON Schema, so they cannot drift apart.
/// </summary>
public sealed record ComponentSpec(string Kind, string Name, string Summary, IReadOnlyList<OptionSpec> Options)
{
    /// <summary>A complete example (JSON text) for docs.</summary>
    public string? Example { get; init; }
    /// <summary>Longer explanation (Markdown) for docs.</summary>
    public string? Details { get; init; }
    /// <summary>For connectors: which roles it supports.</summary>
    public Roles Roles { get; init; } = Roles.Both;

    public OptionSpec? Option(string name) => Options.FirstOrDefault(o => o.Name == name);

    public IEnumerable<OptionSpec> OptionsFor(Roles role) => Options.Where(o => (o.Roles & role) != 0);
}
