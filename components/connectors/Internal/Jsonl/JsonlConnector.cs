using Ocht.Document;
using Ocht.Expressions;
using Ocht.Model;

namespace Ocht.Connectors;

/// <summary>The jsonl connector (§5): one JSON object per line.</summary>
internal sealed class JsonlConnector(StandardStreams streams) : IConnector
{
    public ComponentSpec Spec { get; } = new("connector", "jsonl", "JSON Lines: one JSON object per line. As a source, a line that is not a JSON object is rejected with its line number and blank lines are skipped; \"-\" reads standard input as it arrives. As a sink, \"-\" writes standard output batch by batch; files are renamed into place when the run succeeds.",
    [
        new OptionSpec("path", OptionType.Path, "the file, relative to the pipeline file; \"-\" is standard input/output") { Required = true },
    ])
    {
        Example = """{ "connector": "jsonl", "path": "out/rejects.jsonl" }""",
        Details = "Numbers follow §2: integral numbers are int, numbers with a point are exact decimals (12.30 keeps its two places), exponent form is float. Timestamps are written as ISO-8601 UTC strings. A field named twice in one object rejects the line.",
    };

    public void Validate(ConnectorConfig config, Diagnostics diagnostics) { }

    public FieldScope Probe(ConnectorConfig config) => FieldScope.Unknown;

    public string Describe(ConnectorConfig config) => FilePaths.Describe(config);

    public ISource OpenSource(ConnectorConfig config, SourceContext context) => new JsonlSource(config, context, streams);

    public ISink OpenSink(ConnectorConfig config, SinkContext context) => new JsonlSink(config, streams);
}
