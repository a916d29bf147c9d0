using Ocht.Model;
using Ocht.Testkit;

namespace Ocht.Engine.Tests;

/// <summary>The committed JSON Schema and the generated part of the user docs come from the specs; regenerating them must change nothing.</summary>
public class ReferenceTests
{
    private static readonly string Root = Golden.RepositoryRoot();

    [Fact]
    public void The_committed_json_schema_is_current()
    {
        using var engine = new Engine();
        Golden.VerifyFile(Path.Combine(Root, "schema", "pipeline-v1.schema.json"), Reference.JsonSchema(engine.Catalog));
    }

    [Fact]
    public void The_generated_reference_in_the_docs_is_current()
    {
        using var engine = new Engine();
        string path = Path.Combine(Root, "docs", "pipelines.md");
        string text = File.ReadAllText(path).Replace("\r\n", "\n");
        int at = text.IndexOf(Reference.GeneratedMarker, StringComparison.Ordinal);
        Assert.True(at > 0, $"{path} lacks the marker line {Reference.GeneratedMarker}");
        Golden.VerifyFile(path, text[..at] + Reference.Markdown(engine.Catalog));
    }

    [Fact]
    public void Every_example_pipeline_is_valid()
    {
        using var engine = new Engine();
        var pipelines = Directory.GetFiles(Path.Combine(Root, "examples"), "pipeline.json", SearchOption.AllDirectories);
        Assert.True(pipelines.Length >= 3, $"expected at least three examples, found {pipelines.Length}");
        foreach (var p in pipelines)
        {
            var result = engine.Load(p);
            Assert.True(result.Ok, string.Join("\n", result.Messages(p)));
        }
    }
}
