using Ocht.Connectors;
using Ocht.Executor;
using Ocht.Model;
using Ocht.Spill;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Development;

/// <summary>
/// A pipeline document in the notebook: load it, explain it, run it over records in memory or over a
/// file (its output is kept in memory: nothing is written), and reload it after editing the file.
/// Relative paths are taken from the repository root, so the notebook works from any directory.
/// </summary>
public sealed class Pipeline
{
    private static int _runs;
    private readonly IReadOnlyDictionary<string, string> _vars;

    private Pipeline(string path, string text, IReadOnlyDictionary<string, string> vars, PipelinePlan plan)
    {
        Path = path;
        Text = text;
        _vars = vars;
        Plan = plan;
    }

    /// <summary>The document's file (full path).</summary>
    public string Path { get; }
    /// <summary>The document as it was read.</summary>
    public string Text { get; }
    public PipelinePlan Plan { get; }

    /// <summary>Loads a document; <paramref name="vars"/> are <c>name=value</c> like <c>--var</c>. An invalid
    /// document throws with every problem, as <c>ocht validate</c> prints them.</summary>
    public static Pipeline Load(string path, params string[] vars)
    {
        string full = Repository.Resolve(path);
        var values = vars.Select(v => v.Split('=', 2)).ToDictionary(v => v[0], v => v.Length == 2 ? v[1] : throw new ArgumentException($"a var is name=value, not \"{v[0]}\""));
        string text = File.ReadAllText(full);
        return new Pipeline(full, text, values, Compile(full, text, values, Catalog(new MemoryStore())));
    }

    /// <summary>Reads the file again (after an edit) with the same vars.</summary>
    public Pipeline Reload() => Load(Path, _vars.Select(v => $"{v.Key}={v.Value}").ToArray());

    /// <summary>Prints the compiled plan, as <c>ocht explain</c> does.</summary>
    public void Explain() => Console.Write(Model.Explain.Render(Plan));

    /// <summary>Runs the pipeline with these records as its source.</summary>
    public Task<RunOutput> Run(IEnumerable<Record> records)
    {
        var store = new MemoryStore();
        store.Inputs[MemoryDocument.Input] = records.ToArray();
        return RunAsync(MemoryDocument.WithSource(Text, MemoryDocument.MemorySource()), store);
    }

    /// <summary>Runs the pipeline over records written as JSON objects, one per string.</summary>
    public Task<RunOutput> Run(params string[] jsonRecords) => Run(jsonRecords.Select(ValueJson.ParseRecord));

    /// <summary>Runs the pipeline with this file as its source (csv or jsonl by extension; the document's own
    /// source options are kept when it reads the same format).</summary>
    public Task<RunOutput> RunFile(string path) =>
        RunAsync(MemoryDocument.WithSource(Text, MemoryDocument.FileSource(Text, Repository.Resolve(path))), new MemoryStore());

    private async Task<RunOutput> RunAsync(string document, MemoryStore store)
    {
        var (rewritten, sinks) = MemoryDocument.WithMemorySinks(document);
        var plan = Compile(Path, rewritten, _vars, Catalog(store));
        var environment = new RunEnvironment($"notebook-{Interlocked.Increment(ref _runs)}", TimeProvider.System)
        {
            Spill = SpillStores.TempFiles(),
            Processors = Environment.ProcessorCount,
        };
        var report = await Executor.Executor.RunAsync(plan, environment);
        var outputs = sinks.ToDictionary(s => s, s => (IReadOnlyList<Record>)store.Output(s).Committed.ToArray());
        return new RunOutput(outputs, store.Output(MemoryDocument.DeadLetters).Committed.ToArray(), report);
    }

    private static Catalog Catalog(MemoryStore store) => new([.. Connectors.Connectors.All(), new MemoryConnector(store)]);

    private static PipelinePlan Compile(string path, string text, IReadOnlyDictionary<string, string> vars, Catalog catalog)
    {
        var result = Pipelines.Load(text, new LoadOptions
        {
            Path = path,
            BaseDirectory = System.IO.Path.GetDirectoryName(path)!,
            Vars = vars,
            Environment = Environment.GetEnvironmentVariable,
        }, catalog);
        foreach (string warning in result.Warnings) Console.WriteLine($"warning: {warning}");
        return result.Plan ?? throw new InvalidOperationException("invalid pipeline:\n" + string.Join("\n", result.Messages(path)));
    }
}
