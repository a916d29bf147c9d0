using CsvHelper;
using Ocht.Document;
using Ocht.Expressions;
using Ocht.Model;

namespace Ocht.Connectors;

/// <summary>The csv connector (§5), on CsvHelper 34's UTF-8 reader and writer.</summary>
internal sealed class CsvConnector(StandardStreams streams) : IConnector
{
    public ComponentSpec Spec { get; } = new("connector", "csv", "Comma-separated values (RFC 4180). As a source: typed by sampling (or \"types\"), empty fields are null, a malformed row is rejected with its line number. As a sink: minimal quoting, written to a temporary file and renamed into place only when the run succeeds.",
    [
        new OptionSpec("path", OptionType.Path, "the file, relative to the pipeline file; \"-\" is standard input/output") { Required = true },
        new OptionSpec("header", OptionType.Boolean, "the first line names the columns (without it columns are column1, column2, ...)") { Default = "true" },
        new OptionSpec("delimiter", OptionType.String, "the field separator, one character") { Default = "\",\"" },
        new OptionSpec("types", OptionType.TypeMap, "column types that override inference: int, decimal, float, string, bool, timestamp") { Roles = Roles.Source },
        new OptionSpec("infer", OptionType.Boolean, "infer column types from a sample; false reads every field as text") { Default = "true", Roles = Roles.Source },
        new OptionSpec("infer_rows", OptionType.Integer, "rows sampled for type inference") { Default = "1000", Minimum = 1, Roles = Roles.Source },
        new OptionSpec("fields", OptionType.FieldList, "column order (default: the first record's fields); other fields are left out") { Roles = Roles.Sink },
    ])
    {
        Example = """{ "connector": "csv", "path": "data/orders.csv", "types": { "zip": "string" } }""",
        Details = "Empty unquoted fields are null; a quoted empty field (\"\") is the empty text. Header names that are empty become columnN; a header that names a column twice is an error. Rows with the wrong number of fields, bad quoting, invalid UTF-8, or a value that does not parse as its column's type are rejected with their line number. When the sink's columns come from the first record, a later record with a field outside them is rejected (sink-error) rather than losing that field.",
    };

    public void Validate(ConnectorConfig config, Diagnostics diagnostics)
    {
        var o = config.Options;
        if (o.Get("delimiter") is { IsString: true } d && (d.Text!.Length != 1 || d.Text is "\"" or "\n" or "\r"))
            diagnostics.Add(d, $"\"delimiter\" must be one character other than a quote or line break, found {d.Describe()}");
        foreach (var (field, type) in o.Map("types"))
        {
            if (!type.IsString || !Expressions.Expressions.TypeNames.Contains(type.Text!))
                diagnostics.Add(type, $"unknown type {type.Describe()} for column \"{field}\"; types are {string.Join(", ", Expressions.Expressions.TypeNames)}{(type.IsString ? Suggest.Hint(type.Text!, Expressions.Expressions.TypeNames) : "")}");
        }
        var fields = o.Strings("fields");
        var dup = fields.GroupBy(f => f).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) diagnostics.Add(o.Get("fields")!, $"column \"{dup.Key}\" is listed twice");
        if (config.Role == Roles.Source && ReadHeader(config) is { Problem: { } problem })
            diagnostics.Add(o.Get("path")!, problem);
    }

    /// <summary>The header's column names when the file is there (null otherwise), or why it cannot be used.</summary>
    private static (IReadOnlyList<string>? Columns, string? Problem) ReadHeader(ConnectorConfig config)
    {
        string path = FilePaths.Resolve(config, config.Options.String("path")!);
        if (path == FilePaths.Standard || !File.Exists(path)) return (null, null);
        try
        {
            if (!config.Options.Bool("header")) return (null, null);
            using var reader = CsvReader.FromFile(path, CsvSource.ReaderOptions(config, null));
            return (CsvSource.ColumnNames(reader.Headers, path), null);
        }
        catch (IOException e) { return (null, e.Message); }
        catch (Exception e) when (e is CsvFormatException or UnauthorizedAccessException) { return (null, null); }
    }

    /// <summary>Reads only the header line (or the first row's width), when the file is there.</summary>
    public FieldScope Probe(ConnectorConfig config) =>
        ReadHeader(config).Columns is { } columns ? FieldScope.Of(columns) : FieldScope.Unknown;

    public string Describe(ConnectorConfig config) => FilePaths.Describe(config);

    public ISource OpenSource(ConnectorConfig config, SourceContext context) => new CsvSource(config, context, streams);

    public ISink OpenSink(ConnectorConfig config, SinkContext context) => new CsvSink(config, context, streams);
}
