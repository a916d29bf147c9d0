using Ocht.Document;

namespace Ocht.Model;

/// <summary>Where a document comes from and what it is resolved with.</summary>
public sealed record LoadOptions
{
    /// <summary>The document's file, for messages (null for text from elsewhere).</summary>
    public string? Path { get; init; }
    /// <summary>Relative paths in file connectors resolve against this directory.</summary>
    public string BaseDirectory { get; init; } = ".";
    /// <summary>--var values as typed on the command line.</summary>
    public IReadOnlyDictionary<string, string> Vars { get; init; } = new Dictionary<string, string>();
    /// <summary>Reads an environment variable for ${env:NAME}; null when unset.</summary>
    public Func<string, string?> Environment { get; init; } = _ => null;
}

/// <summary>A loaded document: a plan when valid, otherwise every problem found.</summary>
public sealed record LoadResult(PipelinePlan? Plan, IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<string> Warnings)
{
    public bool Ok => Plan is not null;

    /// <summary>Diagnostics formatted <c>file:line:col: /pointer: message</c>.</summary>
    public IEnumerable<string> Messages(string? file) => Diagnostics.Select(d => d.Format(file));
}

/// <summary>The model brick: documents in, validated plans out (§1–§7). Never reads files itself.</summary>
public static class Pipelines
{
    public static LoadResult Load(string text, LoadOptions options, Catalog catalog) => PlanBuilder.Build(text, options, catalog);
}
