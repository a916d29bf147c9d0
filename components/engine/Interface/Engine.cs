using Ocht.Connectors;
using Ocht.Document;
using Ocht.Executor;
using Ocht.Kafka;
using Ocht.Model;
using Ocht.Observability;
using Ocht.Postgres;
using Ocht.Spill;
using Ocht.Values;
using Serilog;

namespace Ocht.Engine;

/// <summary>How a host sets up the engine.</summary>
public sealed record EngineOptions
{
    /// <summary>Standard input and output for the path "-".</summary>
    public StandardStreams Streams { get; init; } = StandardStreams.Console;
    public ILogger Logger { get; init; } = Serilog.Core.Logger.None;
    /// <summary>Reads environment variables for ${env:NAME}.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>Where sorts spill (default: the system temp directory).</summary>
    public string? SpillDirectory { get; init; }
}

/// <summary>
/// The engine brick: what the CLI, the worker, the API and the notebook share. It composes the
/// catalog, reads pipeline files, and runs plans with logging, metrics and temp-file spilling.
/// </summary>
public sealed class Engine : IDisposable
{
    private readonly EngineOptions _options;
    private readonly IRunObserver _observer;

    public Engine(EngineOptions? options = null)
    {
        _options = options ?? new EngineOptions();
        Catalog = new Catalog([.. Connectors.Connectors.All(_options.Streams), PostgresConnectors.Create(), KafkaConnectors.Create()]);
        Metrics = new RunMetrics();
        _observer = Telemetry.Observer(_options.Logger, Metrics);
    }

    public Catalog Catalog { get; }
    public RunMetrics Metrics { get; }

    /// <summary>Loads a pipeline file: relative paths in it resolve against its directory.</summary>
    public LoadResult Load(string path, IReadOnlyDictionary<string, string>? vars = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string why = e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message;
            return new LoadResult(null, [new Diagnostic("", new DocPosition(1, 1), $"cannot read the pipeline: {why}")], []);
        }
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return LoadText(text, directory, vars, path);
    }

    /// <summary>Loads a document given as text (API, notebook); relative paths resolve against <paramref name="baseDirectory"/>.</summary>
    public LoadResult LoadText(string text, string baseDirectory, IReadOnlyDictionary<string, string>? vars = null, string? path = null) =>
        Pipelines.Load(text, new LoadOptions
        {
            Path = path,
            BaseDirectory = baseDirectory,
            Vars = vars ?? new Dictionary<string, string>(),
            Environment = _options.Environment,
        }, Catalog);

    /// <summary>True when a sink (or the dead-letter sink) writes to standard output.</summary>
    public bool WritesStandardOutput(PipelinePlan plan) =>
        plan.Sinks.Any(s => Connectors.Connectors.UsesStandardStream(s.Target))
        || plan.OnError.DeadLetter is { } dl && Connectors.Connectors.UsesStandardStream(dl);

    /// <summary>Runs a plan from source to sinks (see <see cref="Executor.Executor.RunAsync"/> for abort and stop).</summary>
    public Task<RunReport> RunAsync(PipelinePlan plan, CancellationToken abort = default, CancellationToken stop = default, IRunObserver? observer = null) =>
        Executor.Executor.RunAsync(plan, Environment(observer), abort, stop);

    /// <summary>Runs the plan's inline tests.</summary>
    public Task<IReadOnlyList<TestOutcome>> TestAsync(PipelinePlan plan, CancellationToken cancellation = default) =>
        Executor.Executor.TestAsync(plan, Environment(null), cancellation);

    /// <summary>Records through the plan's steps, without source and sinks.</summary>
    public Task<TransformResult> TransformAsync(PipelinePlan plan, IEnumerable<Record> records, CancellationToken cancellation = default) =>
        Executor.Executor.TransformAsync(plan, records, Environment(null), cancellation);

    private RunEnvironment Environment(IRunObserver? extra) =>
        new(Guid.NewGuid().ToString("N")[..12], _options.Clock)
        {
            Spill = SpillStores.TempFiles(_options.SpillDirectory),
            Processors = System.Environment.ProcessorCount,
            Observer = extra is null ? _observer : new BothObservers(_observer, extra),
        };

    public void Dispose() => Metrics.Dispose();
}
