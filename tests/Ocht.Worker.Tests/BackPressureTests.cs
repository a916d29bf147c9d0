using Ocht.Document;
using Ocht.Executor;
using Ocht.Expressions;
using Ocht.Model;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Worker.Tests;

/// <summary>A slow sink stalls the source: the executor's bounded channels between read, transform and
/// write hold a few batches, so the worker needs no back-pressure of its own.</summary>
public sealed class BackPressureTests
{
    [Fact]
    public async Task A_blocked_sink_stops_the_source_being_pulled()
    {
        var store = new MemoryStore();
        store.Inputs["in"] = Enumerable.Range(1, 10_000).Select(i => ValueJson.ParseRecord($"{{\"n\": {i}}}")).ToArray();
        var gate = new GateConnector();
        var result = Pipelines.Load("""
            {"ocht": 1, "name": "slow", "source": {"connector": "memory", "name": "in"}, "sink": {"connector": "gate"}, "options": {"batch_size": 10}}
            """, new LoadOptions(), new Catalog([new MemoryConnector(store), gate]));
        Assert.True(result.Ok, string.Join("\n", result.Messages(null)));
        using var engine = new Engine.Engine();
        var run = engine.RunAsync(result.Plan!);

        await gate.Blocked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(200); // time for an unbounded reader to race ahead; a bounded one never passes its bound
        int readWhileBlocked = store.BatchesRead["in"];
        gate.Release.SetResult();
        var report = await run;

        Assert.True(report.Succeeded, report.Error?.Message);
        Assert.Equal(10_000, report.Records.Written);
        Assert.True(readWhileBlocked <= 2 * (4 + 2 * Environment.ProcessorCount) + 4, $"{readWhileBlocked} of 1000 batches were read while the sink was blocked");
    }

    /// <summary>A sink whose first write waits until the test releases it.</summary>
    private sealed class GateConnector : IConnector
    {
        public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ComponentSpec Spec { get; } = new("connector", "gate", "A sink that blocks (tests only).", []) { Roles = Roles.Sink };
        public void Validate(ConnectorConfig config, Diagnostics diagnostics) { }
        public FieldScope Probe(ConnectorConfig config) => FieldScope.Unknown;
        public string Describe(ConnectorConfig config) => "gate";
        public ISource OpenSource(ConnectorConfig config, SourceContext context) => throw new NotSupportedException();
        public ISink OpenSink(ConnectorConfig config, SinkContext context) => new Sink(this);

        private sealed class Sink(GateConnector gate) : ISink
        {
            public async ValueTask WriteAsync(Batch batch, SinkRejections rejected, CancellationToken cancellation)
            {
                gate.Blocked.TrySetResult();
                await gate.Release.Task.WaitAsync(cancellation);
            }

            public ValueTask<bool> FlushAsync(CancellationToken cancellation) => ValueTask.FromResult(false);
            public ValueTask CommitAsync(CancellationToken cancellation) => ValueTask.CompletedTask;
            public ValueTask AbortAsync() => ValueTask.CompletedTask;
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
