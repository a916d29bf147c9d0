using Ocht.Model;
using Ocht.Transforms;

namespace Ocht.Executor;

/// <summary>What the host gives a run: its id, a clock, spill storage and an observer. The executor
/// itself touches no clock, file or network directly.</summary>
public sealed record RunEnvironment(string RunId, TimeProvider Clock)
{
    /// <summary>Temporary storage for sort; null keeps sorts in memory.</summary>
    public Func<ISpillStore>? Spill { get; init; }

    public IRunObserver Observer { get; init; } = RunObserver.None;

    /// <summary>Cores the host offers: options.parallelism 0 means this many.</summary>
    public int Processors { get; init; } = 1;
}

/// <summary>Live counters of a run, safe to read from another thread (progress lines, metrics).</summary>
public sealed class RunProgress
{
    private long _read, _processed, _written, _rejected;

    public long Read => Interlocked.Read(ref _read);
    /// <summary>Records that went through the transform stage.</summary>
    public long Processed => Interlocked.Read(ref _processed);
    public long Written => Interlocked.Read(ref _written);
    public long Rejected => Interlocked.Read(ref _rejected);

    internal void AddRead(long n) => Interlocked.Add(ref _read, n);
    internal void AddProcessed(long n) => Interlocked.Add(ref _processed, n);
    internal void AddWritten(long n) => Interlocked.Add(ref _written, n);
    internal void AddRejected(long n) => Interlocked.Add(ref _rejected, n);
}

/// <summary>Lifecycle events of runs, for logs and metrics.</summary>
public interface IRunObserver
{
    void Started(string pipeline, string runId, RunProgress progress);
    void BatchPushed(string pipeline, string runId, long records, long sequence);
    void Finished(RunReport report);

    /// <summary>A connector's own diagnostic message (e.g. librdkafka's "connection refused"), during a run.</summary>
    void ConnectorLog(string pipeline, string runId, ConnectorLogLevel level, string message) { }
}

public static class RunObserver
{
    public static readonly IRunObserver None = new Nothing();

    private sealed class Nothing : IRunObserver
    {
        public void Started(string pipeline, string runId, RunProgress progress) { }
        public void BatchPushed(string pipeline, string runId, long records, long sequence) { }
        public void Finished(RunReport report) { }
    }
}
