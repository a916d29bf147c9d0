namespace Ocht.Executor;

public enum RunStatus { Succeeded, Failed }

/// <summary>Record totals (§6): read = written + dropped + rejected, except where aggregates merge records.</summary>
public sealed record RecordCounts(long Read, long Written, long Dropped, long Rejected);

/// <summary>Per-step accounting: in = out + dropped + rejected (+ merged for aggregates).</summary>
public sealed record StepReport(int Index, string Op, long In, long Out, long Dropped, long Rejected, long Merged, long Ms);

public sealed record SinkReport(string Sink, long Written, long Rejected);

/// <summary>Why a run failed: a kind (e.g. type-error, io-error, cancelled, too-many-rejections) and a readable message.</summary>
public sealed record RunError(string Kind, string Message);

/// <summary>The outcome of one run (the <c>--summary json</c> object).</summary>
public sealed record RunReport(
    string Pipeline,
    string RunId,
    RunStatus Status,
    RecordCounts Records,
    IReadOnlyList<StepReport> Steps,
    IReadOnlyList<SinkReport> Sinks,
    long DurationMs,
    RunError? Error)
{
    public bool Succeeded => Status == RunStatus.Succeeded;
}
