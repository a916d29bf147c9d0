using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Ocht.Worker.Tests;

/// <summary>The built worker (ocht-worker.dll) in its own process, its log lines collected as they come.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _log = new();
    private readonly Task _stderr;

    public WorkerProcess(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ocht-worker.dll"));
        foreach (string a in args) info.ArgumentList.Add(a);
        // The test runner's own settings must not leak into the worker's configuration layers.
        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("Ocht__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Serilog__", StringComparison.OrdinalIgnoreCase)).ToArray())
            info.Environment.Remove(key);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        _process = Process.Start(info)!;
        _stderr = Task.Run(async () =>
        {
            while (await _process.StandardError.ReadLineAsync() is { } line)
                lock (_log) _log.Add(line);
        });
    }

    public StreamWriter Input => _process.StandardInput;

    public string Log
    {
        get { lock (_log) return string.Join("\n", _log); }
    }

    /// <summary>Waits (at most 30 s) until a log line satisfies the condition.</summary>
    public async Task WaitForLogAsync(Func<IReadOnlyList<string>, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            lock (_log) if (condition(_log)) return;
            Assert.False(_process.HasExited && _stderr.IsCompleted, $"the worker exited early:\n{Log}");
            await Task.Delay(20, timeout.Token);
        }
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    /// <summary>The exit code; fails the test if the worker has not exited within <paramref name="within"/>.</summary>
    public async Task<int> ExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"the worker did not exit within {within.TotalSeconds} s:\n{Log}");
        }
        await _stderr;
        return _process.ExitCode;
    }

    public static async Task<(int Code, string Log)> RunAsync(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var worker = new WorkerProcess(workingDirectory, args, environment);
        worker.Input.Close();
        int code = await worker.ExitAsync(TimeSpan.FromSeconds(60));
        return (code, worker.Log);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
