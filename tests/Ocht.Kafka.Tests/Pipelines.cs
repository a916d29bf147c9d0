using Ocht.Executor;
using Ocht.Model;
using Ocht.Testkit;

namespace Ocht.Kafka.Tests;

/// <summary>Runs documents whose sources and sinks are kafka (against the mock cluster) or memory.</summary>
internal sealed class Harness
{
    public MemoryStore Store { get; } = new();
    public Catalog Catalog { get; }

    public Harness() => Catalog = new Catalog([KafkaConnectors.Create(), new MemoryConnector(Store)]);

    public LoadResult Load(string document) => Model.Pipelines.Load(document, new LoadOptions(), Catalog);

    public PipelinePlan Plan(string document)
    {
        var result = Load(document);
        Assert.True(result.Ok, string.Join("\n", result.Messages(null)));
        return result.Plan!;
    }

    public Task<RunReport> RunAsync(string document, CancellationToken stop = default) =>
        Executor.Executor.RunAsync(Plan(document), new RunEnvironment("run", TimeProvider.System), default, stop);

    public List<string> Committed(string name) => Store.Output(name).Committed.Select(r => r.ToString()).ToList();

    /// <summary>A document from <paramref name="source"/> to <paramref name="sink"/> with small batches.</summary>
    public static string Doc(string source, string sink = """{"connector": "memory", "name": "out", "durable": true}""", string extra = "", int batchSize = 2) => $$"""
        {"ocht": 1, "name": "t", "source": {{source}}, "sink": {{sink}}, "options": {"batch_size": {{batchSize}}} {{extra}} }
        """;

    /// <summary>A kafka source object; test groups keep session.timeout.ms at 6000 (joins stay quick on the mock).</summary>
    public static string Source(Cluster cluster, string topic, string? group, bool bounded = true)
    {
        string groupOption = group is null ? "" : $", \"group\": \"{group}\"";
        return $$$"""{"connector": "kafka", "brokers": "{{{cluster.Brokers}}}", "topic": "{{{topic}}}"{{{groupOption}}}, "bounded": {{{(bounded ? "true" : "false")}}}, "properties": {"session.timeout.ms": "6000"}}""";
    }

    public static IEnumerable<string> Orders(int from, int to) => Enumerable.Range(from, to - from + 1).Select(i => $$"""{"id":{{i}},"amount":{{i}}.50}""");
}
