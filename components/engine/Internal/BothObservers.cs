using Ocht.Executor;
using Ocht.Model;

namespace Ocht.Engine;

/// <summary>Sends run events to two observers (the engine's logs and metrics, and the host's own).</summary>
internal sealed class BothObservers(IRunObserver first, IRunObserver second) : IRunObserver
{
    public void Started(string pipeline, string runId, RunProgress progress)
    {
        first.Started(pipeline, runId, progress);
        second.Started(pipeline, runId, progress);
    }

    public void BatchPushed(string pipeline, string runId, long records, long sequence)
    {
        first.BatchPushed(pipeline, runId, records, sequence);
        second.BatchPushed(pipeline, runId, records, sequence);
    }

    public void Finished(RunReport report)
    {
        first.Finished(report);
        second.Finished(report);
    }

    public void ConnectorLog(string pipeline, string runId, ConnectorLogLevel level, string message)
    {
        first.ConnectorLog(pipeline, runId, level, message);
        second.ConnectorLog(pipeline, runId, level, message);
    }
}
