using System.Runtime.InteropServices;
using Ocht.Connectors;

namespace Ocht.Cli;

/// <summary>Where the CLI talks to: text output, errors, the data streams for "-", and whether standard
/// error is a terminal (for the live progress line).</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, StandardStreams Streams, bool ErrorIsTerminal)
{
    public static CliConsole System => new(Console.Out, Console.Error, StandardStreams.Console, !Console.IsErrorRedirected);
}

/// <summary>The cli base: <c>ocht run|validate|explain|test|list</c> (§7). Exit codes: 0 success,
/// 1 the run (or a test) failed, 2 invalid document or usage.</summary>
public static class CliApp
{
    public static Task<int> RunAsync(string[] args, CliConsole console, CancellationToken abort = default) =>
        new Commands(console).InvokeAsync(args, abort);

    /// <summary>Entry point for the executable: the system console; Ctrl-C (SIGINT) or SIGTERM aborts the
    /// run and commits nothing. A second signal is left to the runtime (immediate exit).</summary>
    public static async Task<int> MainAsync(string[] args)
    {
        using var abort = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            if (abort.IsCancellationRequested) return;
            context.Cancel = true;
            abort.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        return await RunAsync(args, CliConsole.System, abort.Token);
    }
}
