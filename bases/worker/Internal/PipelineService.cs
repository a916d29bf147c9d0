using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog.Context;

namespace Ocht.Worker;

/// <summary>The worker's exit code, decided by the pipelines and the shutdown.</summary>
internal sealed class WorkerExit
{
    public const int Ok = 0, Failed = 1, Invalid = 2;
    private int _code;

    public int Code => Volatile.Read(ref _code);

    /// <summary>Records a failure; the first one is kept.</summary>
    public void Fail() => Interlocked.CompareExchange(ref _code, Failed, Ok);
}

/// <summary>
/// Runs every pipeline concurrently under its supervisor. Stopping (SIGTERM/SIGINT, or a pipeline that
/// failed) signals the runs' stop token: sources stop pulling, and what was read is transformed,
/// pushed, committed and acknowledged. Runs still busy when the shutdown timeout ends are aborted
/// (nothing of them committed) and the worker exits non-zero.
/// </summary>
internal sealed class PipelineService(
    IReadOnlyList<WorkerPipeline> pipelines,
    RunPlan run,
    WorkerSettings settings,
    IHostApplicationLifetime lifetime,
    WorkerExit exit,
    ILoggerFactory logs) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly ILogger _log = logs.CreateLogger("Ocht.Worker");
    private Task _all = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _log.LogInformation("worker starting {Count} pipelines: {Names:l}", pipelines.Count, string.Join(", ", pipelines.Select(p => p.Name)));
        _all = Task.Run(RunAllAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task RunAllAsync()
    {
        await Task.WhenAll(pipelines.Select(SuperviseAsync));
        if (exit.Code == WorkerExit.Ok && !_stop.IsCancellationRequested && !settings.ExitWhenFinished)
        {
            _log.LogInformation("every pipeline finished; waiting for a stop signal (Ocht:ExitWhenFinished is false)");
            return;
        }
        if (!_stop.IsCancellationRequested) _log.LogInformation("every pipeline finished");
        lifetime.StopApplication();
    }

    private async Task SuperviseAsync(WorkerPipeline pipeline)
    {
        using var _ = LogContext.PushProperty("Pipeline", pipeline.Name);
        var supervisor = new PipelineSupervisor(pipeline, run, settings.Retry, _log);
        try
        {
            if ((await supervisor.RunAsync(_stop.Token, _abort.Token)).Succeeded) return;
        }
        catch (Exception e)
        {
            _log.LogError(e, "{Pipeline:l} stopped the worker: unexpected error", pipeline.Name);
        }
        exit.Fail();
        StopOthers();
    }

    /// <summary>One pipeline failed: the others stop cleanly, committing what they read, and the worker exits.</summary>
    private void StopOthers()
    {
        if (_stop.IsCancellationRequested) return;
        _log.LogWarning("stopping the other pipelines because one failed");
        _stop.Cancel();
    }

    /// <summary><paramref name="cancellationToken"/> ends with the host's shutdown timeout (HostOptions.ShutdownTimeout, set from Ocht:ShutdownTimeout).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_stop.IsCancellationRequested && !_all.IsCompleted)
        {
            _log.LogInformation("stop requested: pipelines stop pulling, then push and commit what they read (timeout {Seconds} s)", settings.ShutdownTimeout.TotalSeconds);
            _stop.Cancel();
        }
        try
        {
            await _all.WaitAsync(cancellationToken);
            _log.LogInformation("worker stopped");
        }
        catch (OperationCanceledException)
        {
            _log.LogError("the pipelines did not stop within {Seconds} s: aborting their runs; nothing of them is committed", settings.ShutdownTimeout.TotalSeconds);
            exit.Fail();
            _abort.Cancel();
            // An aborted run only discards and closes; give it a moment so temporary files are removed.
            await _all.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _abort.Dispose();
    }
}
