using Microsoft.Extensions.Logging;
using Ocht.Executor;
using Ocht.Model;
using Polly;
using Polly.Retry;

namespace Ocht.Worker;

/// <summary>Runs a plan once: the engine's RunAsync (abort, stop) with an extra observer.</summary>
internal delegate Task<RunReport> RunPlan(PipelinePlan plan, CancellationToken abort, CancellationToken stop, IRunObserver observer);

/// <summary>How a pipeline ended: its last run and how many times it was restarted.</summary>
internal sealed record PipelineOutcome(WorkerPipeline Pipeline, RunReport? Last, int Restarts, bool Stopped)
{
    /// <summary>Finished or stopped cleanly (its last run committed), or stopped while waiting to retry.</summary>
    public bool Succeeded => Last is null or { Succeeded: true } || Stopped && Last.Error?.Kind == RunFailure.Unavailable;
}

/// <summary>The error kinds the worker acts on (the executor's RunFailure kinds).</summary>
internal static class RunFailure
{
    public const string Unavailable = "unavailable";
}

/// <summary>
/// Keeps one pipeline running: a run that fails because a connector's system is unavailable is
/// restarted after an exponential, jittered delay (a Polly retry strategy); its source resumes from
/// the positions the executor committed, which cover only records every sink durably took. The budget
/// counts restarts in a row: a run that pushed records ends the outage and starts the count over.
/// Any other failure, or the budget used up, ends the pipeline.
/// </summary>
internal sealed class PipelineSupervisor
{
    private readonly WorkerPipeline _pipeline;
    private readonly RunPlan _run;
    private readonly RetrySettings _retry;
    private readonly ILogger _log;
    private readonly ResiliencePipeline<RunReport> _restarts;
    private int _inARow, _restartsTotal;
    private bool _pushed;

    public PipelineSupervisor(WorkerPipeline pipeline, RunPlan run, RetrySettings retry, ILogger log, TimeProvider? clock = null)
    {
        _pipeline = pipeline;
        _run = run;
        _retry = retry;
        _log = log;
        _restarts = new ResiliencePipelineBuilder<RunReport> { TimeProvider = clock ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions<RunReport>
            {
                MaxRetryAttempts = int.MaxValue, // the budget is per outage: ShouldRestart counts it
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { } r && ShouldRestart(r, args.Context.CancellationToken)),
                DelayGenerator = _ => ValueTask.FromResult<TimeSpan?>(Backoff.Delay(_retry, _inARow, Random.Shared.NextDouble())),
                OnRetry = args =>
                {
                    var failed = args.Outcome.Result!;
                    _log.LogWarning("retrying {Pipeline:l}: run {RunId:l} failed ({Kind:l}): {Reason:l}; restart {Attempt} of {MaxAttempts} in {Delay} ms",
                        _pipeline.Name, failed.RunId, failed.Error!.Kind, failed.Error.Message, _inARow, _retry.MaxAttempts, (long)args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public async Task<PipelineOutcome> RunAsync(CancellationToken stop, CancellationToken abort)
    {
        _log.LogInformation("starting {Pipeline:l} from {File:l}", _pipeline.Name, _pipeline.File);
        RunReport? last = null;
        try
        {
            last = await _restarts.ExecuteAsync(async _ =>
            {
                _pushed = false;
                var report = await _run(_pipeline.Plan, abort, stop, new PushWatch(this));
                last = report;
                return report;
            }, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !abort.IsCancellationRequested)
        {
            // Asked to stop while waiting to restart: the failed run committed nothing it had not pushed.
            _log.LogInformation("{Pipeline:l} stopped while waiting to restart after an outage", _pipeline.Name);
        }
        var outcome = new PipelineOutcome(_pipeline, last, _restartsTotal, stop.IsCancellationRequested);
        Summarize(outcome);
        return outcome;
    }

    private bool ShouldRestart(RunReport report, CancellationToken stop)
    {
        if (report.Succeeded || report.Error!.Kind != RunFailure.Unavailable || stop.IsCancellationRequested) return false;
        if (_pushed) _inARow = 0;
        if (_inARow >= _retry.MaxAttempts) return false;
        _inARow++;
        _restartsTotal++;
        return true;
    }

    private void Summarize(PipelineOutcome outcome)
    {
        var r = outcome.Last;
        if (r is null) return;
        var c = r.Records;
        string how = r.Succeeded ? (outcome.Stopped ? "stopped" : "finished") : outcome.Succeeded ? "stopped during an outage" : "failed";
        _log.LogInformation("summary {Pipeline:l}: {How:l} after {Restarts} restarts; last run {RunId:l}: read {Read}, written {Written}, dropped {Dropped}, rejected {Rejected} in {Ms} ms",
            _pipeline.Name, how, outcome.Restarts, r.RunId, c.Read, c.Written, c.Dropped, c.Rejected, r.DurationMs);
        if (outcome.Succeeded) return;
        string budget = r.Error!.Kind == RunFailure.Unavailable
            ? $" and still unavailable after {_inARow} restarts in a row (Ocht:Retry:MaxAttempts {_retry.MaxAttempts})"
            : "";
        _log.LogError("{Pipeline:l} ({File:l}) stopped the worker: run {RunId:l} failed ({Kind:l}): {Reason:l}{Budget:l}. Nothing of that run was committed beyond what every sink had durably taken, so its source resumes from its last committed position on the next start",
            _pipeline.Name, _pipeline.File, r.RunId, r.Error.Kind, r.Error.Message, budget);
    }

    /// <summary>Notes that a run pushed records: a later outage is a new one.</summary>
    private sealed class PushWatch(PipelineSupervisor owner) : IRunObserver
    {
        public void Started(string pipeline, string runId, RunProgress progress) { }
        public void BatchPushed(string pipeline, string runId, long records, long sequence) => owner._pushed = true;
        public void Finished(RunReport report) { }
    }
}

/// <summary>Exponential backoff with jitter: BaseDelay·2^(n-1), capped at MaxDelay, then scaled into its upper half by the jitter.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(RetrySettings retry, int attempt, double jitter)
    {
        double exponential = retry.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        double capped = Math.Min(exponential, retry.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + 0.5 * jitter));
    }
}
