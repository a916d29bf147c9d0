using Ocht.Document;

namespace Ocht.Model;

/// <summary>The specs of the document's own sections (§1, §6, §7); they drive validation, docs and the schema.</summary>
internal static class DocumentSpecs
{
    public const int FormatVersion = 1;
    public const string NamePattern = "^[a-z0-9][a-z0-9-_.]*$";

    public static readonly ComponentSpec Pipeline = new("section", "pipeline", "A pipeline document.",
    [
        new OptionSpec("ocht", OptionType.Integer, "format version; 1") { Required = true },
        new OptionSpec("name", OptionType.String, "the pipeline's name: lower-case letters, digits, '-', '_', '.'") { Required = true },
        new OptionSpec("description", OptionType.String, "free text for people reading the pipeline"),
        new OptionSpec("vars", OptionType.Object, "defaults for ${name} placeholders"),
        new OptionSpec("source", OptionType.Connector, "where records come from") { Required = true },
        new OptionSpec("steps", OptionType.Any, "the steps, applied in order") { Default = "[]" },
        new OptionSpec("sink", OptionType.Connector, "where records go (or use \"sinks\")"),
        new OptionSpec("sinks", OptionType.Any, "several sinks; every record goes to each whose \"when\" holds"),
        new OptionSpec("on_error", OptionType.Object, "what happens to rejected records") { Default = "{\"policy\": \"fail\"}" },
        new OptionSpec("options", OptionType.Object, "runtime tuning"),
        new OptionSpec("tests", OptionType.Any, "inline test cases, run by `ocht test`"),
    ]);

    public static readonly ComponentSpec OnError = new("section", "on_error", "What happens to rejected records (§6).",
    [
        new OptionSpec("policy", OptionType.String, "fail: stop the run, nothing is committed; skip: count and drop; dead-letter: write them to \"sink\"") { Default = "\"fail\"", Choices = ["fail", "skip", "dead-letter"] },
        new OptionSpec("sink", OptionType.Connector, "where dead letters go (required for dead-letter)"),
        new OptionSpec("max", OptionType.Integer, "more rejections than this fail the run (default: no limit for skip and dead-letter)") { Minimum = 0 },
    ]);

    public static readonly ComponentSpec Options = new("section", "options", "Runtime tuning.",
    [
        new OptionSpec("batch_size", OptionType.Integer, "records per batch") { Default = "4096", Minimum = 1, Maximum = 1_000_000 },
        new OptionSpec("parallelism", OptionType.Integer, "threads for stateless steps; 0 means one per core") { Default = "0", Minimum = 0, Maximum = 256 },
        new OptionSpec("memory_mb", OptionType.Integer, "memory a sort may hold before it spills to temporary files") { Default = "512", Minimum = 16 },
    ]);

    public static readonly ComponentSpec Test = new("section", "test", "An inline test case (§7).",
    [
        new OptionSpec("name", OptionType.String, "what the test checks") { Required = true },
        new OptionSpec("input", OptionType.Any, "records fed to the first step") { Required = true },
        new OptionSpec("expect", OptionType.Any, "records the last step must produce, in order") { Required = true },
        new OptionSpec("rejected", OptionType.Integer, "how many input records the steps must reject (without it, any rejection fails the test)") { Minimum = 0 },
    ]);

    public static readonly ComponentSpec SinkExtras = new("section", "sink", "Keys every sink accepts besides its connector's options.",
    [
        new OptionSpec("when", OptionType.Expression, "only records for which this is true go to the sink"),
    ]);

    public static IReadOnlyList<ComponentSpec> All { get; } = [Pipeline, OnError, Options, Test, SinkExtras];
}
