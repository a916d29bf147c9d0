using Ocht.Executor;
using Ocht.Model;
using Serilog;

namespace Ocht.Observability;

/// <summary>Logs run lifecycle events (every event carries the run id) and feeds <see cref="RunMetrics"/>.</summary>
internal sealed class LoggingObserver(ILogger logger, RunMetrics metrics) : IRunObserver
{
    public void Started(string pipeline, string runId, RunProgress progress)
    {
        metrics.Started(pipeline, runId, progress);
        For(runId).Information("run of {Pipeline:l} started", pipeline);
    }

    public void BatchPushed(string pipeline, string runId, long records, long sequence) =>
        For(runId).Debug("batch {Sequence} pushed: {Records} records", sequence, records);

    public void Finished(RunReport report)
    {
        var progress = metrics.ProgressOf(report.RunId);
        metrics.Finished(report, progress);
        var r = report.Records;
        if (report.Succeeded)
            For(report.RunId).Information("run of {Pipeline:l} succeeded: read {Read}, written {Written}, dropped {Dropped}, rejected {Rejected} in {Ms} ms",
                report.Pipeline, r.Read, r.Written, r.Dropped, r.Rejected, report.DurationMs);
        else // the host reports the failure to its user; the log keeps the record
            For(report.RunId).Warning("run of {Pipeline:l} failed ({Kind:l}): {Message:l}", report.Pipeline, report.Error!.Kind, report.Error.Message);
    }

    public void ConnectorLog(string pipeline, string runId, ConnectorLogLevel level, string message) =>
        For(runId).Write(level switch
        {
            ConnectorLogLevel.Error => Serilog.Events.LogEventLevel.Error,
            ConnectorLogLevel.Warning => Serilog.Events.LogEventLevel.Warning,
            ConnectorLogLevel.Information => Serilog.Events.LogEventLevel.Information,
            _ => Serilog.Events.LogEventLevel.Debug,
        }, "{Pipeline:l}: {Message:l}", pipeline, message);

    private ILogger For(string runId) => logger.ForContext("RunId", runId);
}
