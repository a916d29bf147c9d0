using System.Diagnostics.Metrics;
using Ocht.Executor;
using Ocht.Observability;
using Serilog.Events;

namespace Ocht.Observability.Tests;

public class TelemetryTests
{
    private static RunReport Report(string runId, bool ok) => new("orders", runId, ok ? RunStatus.Succeeded : RunStatus.Failed,
        new RecordCounts(10, 7, 2, 1), [], [], 1500, ok ? null : new RunError("io-error", "disk full"));

    [Fact]
    public void Run_events_and_connector_logs_carry_the_run_id_and_go_to_the_error_writer()
    {
        var error = new StringWriter();
        using var metrics = new RunMetrics();
        var observer = Telemetry.Observer(Telemetry.StderrLogger(LogEventLevel.Information, error), metrics);
        observer.Started("orders", "abc123", new RunProgress());
        observer.ConnectorLog("orders", "abc123", Ocht.Model.ConnectorLogLevel.Error, "kafka:orders: librdkafka FAIL: Connection refused");
        observer.ConnectorLog("orders", "abc123", Ocht.Model.ConnectorLogLevel.Debug, "below the level: not written");
        observer.Finished(Report("abc123", ok: false));
        var lines = error.ToString().Trim().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Contains("[run abc123]", l));
        Assert.Contains("INF [run abc123] run of orders started", lines[0]);
        Assert.Contains("ERR [run abc123] orders: kafka:orders: librdkafka FAIL: Connection refused", lines[1]);
        Assert.Contains("WRN [run abc123] run of orders failed (io-error): disk full", lines[2]);
    }

    [Fact]
    public async Task Metrics_count_real_runs_by_pipeline()
    {
        var store = new Ocht.Testkit.MemoryStore();
        store.Inputs["in"] = Enumerable.Range(1, 10).Select(i => Ocht.Values.Record.Of(("n", i))).ToArray();
        var catalog = new Ocht.Model.Catalog([new Ocht.Testkit.MemoryConnector(store)]);
        var plan = Ocht.Model.Pipelines.Load("""
            {"ocht": 1, "name": "orders", "source": {"connector": "memory", "name": "in"},
             "steps": [{"op": "filter", "where": [">", ":n", 3]}, {"op": "derive", "fields": {"r": ["/", 1, ["-", ":n", 10]]}}],
             "sink": {"connector": "memory", "name": "out"}, "on_error": {"policy": "skip"}}
            """, new Ocht.Model.LoadOptions(), catalog).Plan!;
        using var metrics = new RunMetrics();
        var observer = Telemetry.Observer(Serilog.Core.Logger.None, metrics);

        var seen = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == Telemetry.MeterName) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((i, value, _, _) => seen[i.Name] = value);
        listener.SetMeasurementEventCallback<double>((i, value, _, _) => seen[i.Name + ".count"] = seen.GetValueOrDefault(i.Name + ".count") + 1);
        listener.Start();
        for (int run = 0; run < 2; run++)
            await Ocht.Executor.Executor.RunAsync(plan, new RunEnvironment($"r{run}", TimeProvider.System) { Observer = observer });
        listener.RecordObservableInstruments();

        Assert.Equal(20, seen["items_loaded_total"]);
        Assert.Equal(20, seen["items_processed_total"]);
        Assert.Equal(12, seen["items_persisted_total"]);
        Assert.Equal(2, seen["errors_total"]);
        Assert.Equal(2, seen["job_duration_seconds.count"]);
    }
}
