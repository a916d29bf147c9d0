using System.Diagnostics.Metrics;
using Ocht.Executor;

namespace Ocht.Observability;

/// <summary>
/// Run metrics on the "Ocht" meter, tagged by pipeline: job_duration_seconds (histogram of run wall
/// time), items_loaded_total (records read), items_processed_total (records through the steps),
/// items_persisted_total (records written), errors_total (rejected records and failed runs).
/// Counters read live runs, so a long-running worker's numbers move while it works.
/// </summary>
public sealed class RunMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Histogram<double> _duration;
    private readonly object _gate = new();
    private readonly Dictionary<string, Totals> _finished = new();
    private readonly Dictionary<string, (string Pipeline, RunProgress Progress)> _active = new();

    private sealed class Totals
    {
        public long Read, Processed, Written, Errors;
    }

    public RunMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(Telemetry.MeterName) ?? new Meter(Telemetry.MeterName);
        _duration = _meter.CreateHistogram<double>("job_duration_seconds", "s", "Wall time of pipeline runs");
        _meter.CreateObservableCounter("items_loaded_total", () => Measure(t => t.Read, p => p.Read), description: "Records read from sources");
        _meter.CreateObservableCounter("items_processed_total", () => Measure(t => t.Processed, p => p.Processed), description: "Records passed through the steps");
        _meter.CreateObservableCounter("items_persisted_total", () => Measure(t => t.Written, p => p.Written), description: "Records written to sinks");
        _meter.CreateObservableCounter("errors_total", () => Measure(t => t.Errors, p => p.Rejected), description: "Rejected records and failed runs");
    }

    internal void Started(string pipeline, string runId, RunProgress progress)
    {
        lock (_gate) _active[runId] = (pipeline, progress);
    }

    internal void Finished(RunReport report, RunProgress? progress)
    {
        lock (_gate)
        {
            _active.Remove(report.RunId);
            if (!_finished.TryGetValue(report.Pipeline, out var t)) _finished[report.Pipeline] = t = new Totals();
            t.Read += report.Records.Read;
            t.Processed += progress?.Processed ?? report.Records.Read;
            t.Written += report.Records.Written;
            t.Errors += report.Records.Rejected + (report.Succeeded ? 0 : 1);
        }
        _duration.Record(report.DurationMs / 1000.0, new KeyValuePair<string, object?>("pipeline", report.Pipeline),
            new KeyValuePair<string, object?>("status", report.Succeeded ? "succeeded" : "failed"));
    }

    internal RunProgress? ProgressOf(string runId)
    {
        lock (_gate) return _active.TryGetValue(runId, out var a) ? a.Progress : null;
    }

    private IEnumerable<Measurement<long>> Measure(Func<Totals, long> finished, Func<RunProgress, long> live)
    {
        var sums = new Dictionary<string, long>();
        lock (_gate)
        {
            foreach (var (pipeline, t) in _finished) sums[pipeline] = finished(t);
            foreach (var (pipeline, progress) in _active.Values) sums[pipeline] = sums.GetValueOrDefault(pipeline) + live(progress);
        }
        foreach (var (pipeline, value) in sums)
            yield return new Measurement<long>(value, new KeyValuePair<string, object?>("pipeline", pipeline));
    }

    public void Dispose() => _meter.Dispose();
}
