using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Ocht.Development;
using Ocht.Testkit;

// The notebook prints to the console, which these tests capture: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Ocht.Development.Tests;

public sealed class NotebookTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ocht-notebook-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_notebook_script_runs_and_prints_the_plan_the_tables_and_the_counts()
    {
        string notebook = Path.Combine(Golden.RepositoryRoot(), "development", "notebook.csx");
        var options = ScriptOptions.Default
            .WithFilePath(notebook)
            .WithMetadataResolver(new BuildOutputResolver())
            .WithEmitDebugInformation(false);
        string printed = await Captured(() => CSharpScript.RunAsync(File.ReadAllText(notebook), options));

        Assert.StartsWith("pipeline paid-orders", printed);
        Assert.Contains("   2 select     order_id, country, total\n", printed);
        Assert.Contains("order_id  country  total\n--------  -------  -----\n       1  US       75.00\n(1 record)\nsucceeded: read 2, written 1, dropped 1, rejected 0\n", printed);
        Assert.Contains("       4  US       845.75\n", printed);
        Assert.Contains("dead letters\n", printed);
        Assert.EndsWith("succeeded: read 8, written 4, dropped 3, rejected 1\n", printed);
    }

    [Fact]
    public async Task Reload_reads_the_edited_document_and_runs_keep_output_in_memory()
    {
        string path = Path.Combine(_dir, "p.json");
        File.WriteAllText(path, """{"ocht": 1, "name": "n", "source": {"connector": "jsonl", "path": "in.jsonl"}, "sink": {"connector": "csv", "path": "out.csv"}}""");
        var pipeline = Pipeline.Load(path);
        File.WriteAllText(path, """{"ocht": 1, "name": "n", "source": {"connector": "jsonl", "path": "in.jsonl"}, "steps": [{"op": "filter", "where": [">", ":n", 1]}], "sink": {"connector": "csv", "path": "out.csv"}}""");

        var reloaded = pipeline.Reload();
        var output = await reloaded.Run("""{"n": 1}""", """{"n": 2}""");

        Assert.Empty(pipeline.Plan.Steps);
        Assert.Equal("filter", Assert.Single(reloaded.Plan.Steps).Op);
        Assert.Equal(["{\"n\":2}"], output.Records.Select(r => r.ToString()));
        Assert.False(File.Exists(Path.Combine(_dir, "out.csv")));
    }

    [Fact]
    public async Task RunFile_reads_a_file_of_another_format_than_the_documents_source()
    {
        string path = Path.Combine(_dir, "p.json");
        File.WriteAllText(path, """{"ocht": 1, "name": "n", "source": {"connector": "jsonl", "path": "in.jsonl"}, "sinks": [{"connector": "csv", "path": "big.csv", "when": [">", ":n", 1]}, {"connector": "csv", "path": "small.csv"}]}""");
        File.WriteAllText(Path.Combine(_dir, "data.csv"), "n\n1\n5\n");

        var output = await Pipeline.Load(path).RunFile(Path.Combine(_dir, "data.csv"));

        Assert.Equal(["big.csv", "small.csv"], output.Sinks.Keys);
        Assert.Equal(["{\"n\":5}"], output.Sinks["big.csv"].Select(r => r.ToString()));
        Assert.Equal(2, output.Report.Records.Read);
    }

    [Fact]
    public void An_invalid_document_throws_with_its_problems()
    {
        string path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, """{"ocht": 1, "name": "n", "source": {"connector": "nope"}, "sink": {"connector": "csv", "path": "o.csv"}}""");
        var error = Assert.Throws<InvalidOperationException>(() => Pipeline.Load(path));
        Assert.Contains("nope", error.Message);
    }

    private static async Task<string> Captured(Func<Task> body)
    {
        var original = Console.Out;
        var writer = new StringWriter { NewLine = "\n" };
        Console.SetOut(writer);
        try
        {
            await body();
        }
        finally
        {
            Console.SetOut(original);
        }
        return writer.ToString();
    }

    /// <summary>Resolves the notebook's <c>#r</c> of a development build to the same assembly in this test's
    /// output, which is already loaded here (and exists whatever configuration the tests were built in);
    /// other references (the framework's) resolve as usual.</summary>
    private sealed class BuildOutputResolver : MetadataReferenceResolver
    {
        public override bool Equals(object? other) => other is BuildOutputResolver;
        public override int GetHashCode() => 1;

        public override System.Collections.Immutable.ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) =>
            reference.EndsWith(".dll", StringComparison.Ordinal)
                ? [MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, Path.GetFileName(reference)), properties)]
                : ScriptMetadataResolver.Default.ResolveReference(reference, baseFilePath, properties);
    }
}
