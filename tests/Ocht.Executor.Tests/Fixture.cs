using Ocht.Executor;
using Ocht.Model;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Executor.Tests;

/// <summary>A memory-backed world for running documents.</summary>
internal sealed class Fixture
{
    public MemoryStore Store { get; } = new();
    public Catalog Catalog { get; }

    public Fixture() => Catalog = new Catalog([new MemoryConnector(Store)]);

    public Fixture Input(string name, IEnumerable<Record> records)
    {
        Store.Inputs[name] = records.ToArray();
        return this;
    }

    public Fixture Input(string name, params string[] json) => Input(name, json.Select(ValueJson.ParseRecord));

    public PipelinePlan Plan(string document)
    {
        var result = Pipelines.Load(document, new LoadOptions(), Catalog);
        Assert.True(result.Ok, string.Join("\n", result.Messages(null)));
        return result.Plan!;
    }

    public Task<RunReport> RunAsync(string document, CancellationToken abort = default, CancellationToken stop = default) =>
        Executor.RunAsync(Plan(document), new RunEnvironment("run-1", TimeProvider.System), abort, stop);

    public List<string> Committed(string name) => Store.Output(name).Committed.Select(r => r.ToString()).ToList();

    /// <summary>A document from memory "in" through the steps to memory "out".</summary>
    public static string Doc(string steps, string extra = "", string sink = """{"connector": "memory", "name": "out"}""", string source = """{"connector": "memory", "name": "in"}""") => $$"""
        {"ocht": 1, "name": "t", "source": {{source}}, "steps": [{{steps}}], "sink": {{sink}} {{extra}} }
        """;

    public static IEnumerable<Record> Numbers(int n) => Enumerable.Range(1, n).Select(i => Record.Of(("n", i), ("s", i % 3 == 0 ? "x" : i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
}
