using System.Globalization;
using Ocht.Executor;
using Spectre.Console;

namespace Ocht.Cli;

/// <summary>A live line on a terminal's standard error: records, records/s, elapsed. Only used when
/// standard error is a terminal, so logs and pipes never see it.</summary>
internal sealed class ProgressLine : IRunObserver, IDisposable
{
    private readonly IAnsiConsole _console;
    private readonly CancellationTokenSource _stop = new();
    private readonly DateTime _started = DateTime.UtcNow;
    private Task? _loop;

    public ProgressLine(TextWriter error) =>
        _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });

    public void Started(string pipeline, string runId, RunProgress progress) =>
        _loop = _console.Status().Spinner(Spinner.Known.Dots).StartAsync(pipeline, async ctx =>
        {
            while (!_stop.IsCancellationRequested)
            {
                ctx.Status(Line(pipeline, progress));
                try { await Task.Delay(200, _stop.Token); }
                catch (OperationCanceledException) { }
            }
        });

    private string Line(string pipeline, RunProgress progress)
    {
        double seconds = Math.Max(0.001, (DateTime.UtcNow - _started).TotalSeconds);
        long read = progress.Read;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Markup.Escape(pipeline)}  {read:N0} records  {read / seconds:N0} rec/s  {TimeSpan.FromSeconds(seconds):mm\\:ss\\.f}");
    }

    public void BatchPushed(string pipeline, string runId, long records, long sequence) { }

    public void Finished(RunReport report) => Stop();

    public void Stop()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _loop?.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }
}
