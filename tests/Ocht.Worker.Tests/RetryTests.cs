using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ocht.Executor;
using Ocht.Model;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Worker.Tests;

/// <summary>The restart loop in-process, over the testkit's memory connector and its "outage" sink.</summary>
public sealed class RetryTests
{
    private readonly MemoryStore _store = new();
    private readonly Catalog _catalog;
    private readonly Logs _logs = new();
    private static readonly RetrySettings Fast = Budget(3);

    public RetryTests()
    {
        _catalog = new Catalog([new MemoryConnector(_store)]);
        _store.Inputs["in"] = Enumerable.Range(1, 10).Select(i => ValueJson.ParseRecord($"{{\"n\": {i}}}")).ToArray();
    }

    private WorkerPipeline Pipeline(string sink, string source = """{"connector": "memory", "name": "in"}""", string name = "p")
    {
        var result = Pipelines.Load($$"""{"ocht": 1, "name": "{{name}}", "source": {{source}}, "sink": {{sink}}}""", new LoadOptions(), _catalog);
        Assert.True(result.Ok, string.Join("\n", result.Messages(null)));
        return new WorkerPipeline(name + ".json", result.Plan!);
    }

    private static RetrySettings Budget(int maxAttempts) => new() { MaxAttempts = maxAttempts, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(4) };

    private static Task<RunReport> Execute(PipelinePlan plan, CancellationToken abort, CancellationToken stop, IRunObserver observer) =>
        Executor.Executor.RunAsync(plan, new RunEnvironment(Guid.NewGuid().ToString("N")[..12], TimeProvider.System) { Observer = observer }, abort, stop);

    private const string Outage = """{"connector": "memory", "name": "out", "fail_after": 0, "outage": true}""";

    [Fact]
    public async Task An_outage_longer_than_the_budget_is_retried_with_backoff_then_fails_the_pipeline_with_a_clear_error()
    {
        var supervisor = new PipelineSupervisor(Pipeline(Outage), Execute, Fast, _logs);
        var outcome = await supervisor.RunAsync(CancellationToken.None, CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal(3, outcome.Restarts);
        Assert.Equal("unavailable", outcome.Last!.Error!.Kind);
        var retries = _logs.At(LogLevel.Warning);
        Assert.Equal(3, retries.Count);
        for (int i = 1; i <= 3; i++)
            Assert.Matches($@"^retrying p: run \w+ failed \(unavailable\): memory sink unavailable after 0 records; restart {i} of 3 in \d+ ms$", retries[i - 1]);
        string error = Assert.Single(_logs.At(LogLevel.Error));
        Assert.Contains("p (p.json) stopped the worker: run ", error);
        Assert.Contains("still unavailable after 3 restarts in a row (Ocht:Retry:MaxAttempts 3)", error);
        Assert.Contains("resumes from its last committed position", error);
        Assert.Empty(_store.Output("out").Committed);
        Assert.Equal(4, _store.Output("out").Aborts);
    }

    [Fact]
    public async Task A_run_that_recovers_within_the_budget_finishes_and_commits_once()
    {
        var failing = Pipeline(Outage).Plan;
        int attempts = 0;
        RunPlan run = (plan, abort, stop, observer) => Execute(++attempts <= 2 ? failing : plan, abort, stop, observer);
        var supervisor = new PipelineSupervisor(Pipeline("""{"connector": "memory", "name": "ok"}"""), run, Fast, _logs);
        var outcome = await supervisor.RunAsync(CancellationToken.None, CancellationToken.None);

        Assert.True(outcome.Succeeded);
        Assert.Equal(2, outcome.Restarts);
        Assert.Equal(2, _logs.At(LogLevel.Warning).Count);
        Assert.Empty(_logs.At(LogLevel.Error));
        Assert.Equal(10, _store.Output("ok").Committed.Count);
        Assert.Equal(1, _store.Output("ok").Commits);
    }

    [Fact]
    public async Task Other_failures_are_not_retried()
    {
        var supervisor = new PipelineSupervisor(Pipeline("""{"connector": "memory", "name": "out", "fail_after": 0}"""), Execute, Fast, _logs);
        var outcome = await supervisor.RunAsync(CancellationToken.None, CancellationToken.None);
        Assert.False(outcome.Succeeded);
        Assert.Equal(0, outcome.Restarts);
        Assert.Equal("io-error", outcome.Last!.Error!.Kind);
        Assert.Empty(_logs.At(LogLevel.Warning));
        Assert.Single(_logs.At(LogLevel.Error));
    }

    [Fact]
    public async Task A_run_that_pushed_records_starts_the_budget_over()
    {
        // Five outages in all, but never more than two in a row without a push between them.
        bool[] pushes = [false, false, true, false, true];
        int attempt = 0;
        var pipeline = Pipeline(Outage);
        RunPlan run = (plan, _, _, observer) =>
        {
            int i = attempt++;
            if (i == pushes.Length) return Task.FromResult(Report(plan, null));
            if (pushes[i]) observer.BatchPushed(plan.Name, "r", 1, 1);
            return Task.FromResult(Report(plan, new RunError("unavailable", "down")));
        };
        var outcome = await new PipelineSupervisor(pipeline, run, Budget(2), _logs).RunAsync(CancellationToken.None, CancellationToken.None);
        Assert.True(outcome.Succeeded, string.Join("\n", _logs.All));
        Assert.Equal(5, outcome.Restarts);

        attempt = 0;
        pushes = [false, false, false];
        var exhausted = await new PipelineSupervisor(pipeline, run, Budget(2), _logs).RunAsync(CancellationToken.None, CancellationToken.None);
        Assert.False(exhausted.Succeeded);
        Assert.Equal(2, exhausted.Restarts);
    }

    private static RunReport Report(PipelinePlan plan, RunError? error) =>
        new(plan.Name, "r", error is null ? RunStatus.Succeeded : RunStatus.Failed, new RecordCounts(0, 0, 0, 0), [], [], 0, error);

    [Fact]
    public async Task A_pipeline_out_of_budget_stops_the_others_cleanly_and_the_worker_exits_1()
    {
        var unbounded = Pipeline("""{"connector": "memory", "name": "kept"}""", """{"connector": "memory", "name": "in", "unbounded": true}""", name: "u");
        var failing = Pipeline(Outage);
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var exit = new WorkerExit();
        var settings = new WorkerSettings { Retry = Fast };
        using var service = new PipelineService([unbounded, failing], Execute, settings, lifetime, exit, new LoggerFactory([new Logs.Provider(_logs)]));

        await service.StartAsync(CancellationToken.None);
        var stopping = new TaskCompletionSource();
        lifetime.ApplicationStopping.Register(() => stopping.SetResult());
        await stopping.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await service.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        Assert.Equal(WorkerExit.Failed, exit.Code);
        Assert.Contains(_logs.All, l => l.Contains("p (p.json) stopped the worker"));
        Assert.Contains(_logs.All, l => l.Contains("stopping the other pipelines because one failed"));
        // The unbounded pipeline stopped cleanly: everything it read is committed.
        Assert.Equal(10, _store.Output("kept").Committed.Count);
        Assert.Contains(_logs.All, l => l.StartsWith("summary u: stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_that_does_not_stop_within_the_shutdown_timeout_is_aborted_and_the_worker_exits_1()
    {
        bool aborted = false;
        var running = new TaskCompletionSource();
        RunPlan stuck = async (plan, abort, stop, observer) =>
        {
            running.SetResult();
            // Ignores "stop pulling" (a sink hanging on a flush, say); only abort ends it.
            try { await Task.Delay(Timeout.Infinite, abort); }
            catch (OperationCanceledException) { aborted = true; }
            return Report(plan, new RunError("cancelled", "the run was cancelled; nothing was committed"));
        };
        var exit = new WorkerExit();
        using var service = new PipelineService([Pipeline(Outage)], stuck, new WorkerSettings { Retry = Fast },
            new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), exit, new LoggerFactory([new Logs.Provider(_logs)]));
        await service.StartAsync(CancellationToken.None);
        await running.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var shutdownTimeout = new CancellationTokenSource();
        shutdownTimeout.Cancel();
        await service.StopAsync(shutdownTimeout.Token);

        Assert.True(aborted);
        Assert.Equal(WorkerExit.Failed, exit.Code);
        Assert.Contains(_logs.All, l => l.StartsWith("the pipelines did not stop within 10 s: aborting their runs", StringComparison.Ordinal));
    }

    [Fact]
    public void Backoff_doubles_up_to_the_cap_and_jitters_within_its_upper_half()
    {
        var gen = Gen.Choose(1, 40).SelectMany(attempt => Gen.Choose(0, 1000).Select(j => (attempt, jitter: j / 1001.0)));
        Properties.Check(Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var retry = new RetrySettings { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(5) };
            double ceiling = Math.Min(100 * Math.Pow(2, t.attempt - 1), 5000);
            double ms = Backoff.Delay(retry, t.attempt, t.jitter).TotalMilliseconds;
            return ms >= ceiling / 2 - 0.001 && ms <= ceiling + 0.001;
        }));
    }

    /// <summary>Log messages by level, from the supervisor's and the service's ILogger.</summary>
    private sealed class Logs : ILogger
    {
        private readonly List<(LogLevel Level, string Message)> _entries = new();

        public List<string> All { get { lock (_entries) return _entries.Select(e => e.Message).ToList(); } }
        public List<string> At(LogLevel level) { lock (_entries) return _entries.Where(e => e.Level == level).Select(e => e.Message).ToList(); }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries) _entries.Add((logLevel, formatter(state, exception)));
        }

        public sealed class Provider(Logs logs) : ILoggerProvider
        {
            public ILogger CreateLogger(string categoryName) => logs;
            public void Dispose() { }
        }
    }
}
