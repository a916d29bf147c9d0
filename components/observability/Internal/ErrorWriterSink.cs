using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace Ocht.Observability;

/// <summary>Writes log events as single lines to a text writer (standard error by default):
/// "12:00:01 INF [run 3f2a9c1e] message". Logs never go to standard output, which belongs to data.</summary>
internal sealed class ErrorWriterSink(TextWriter? writer) : ILogEventSink
{
    private readonly object _gate = new();

    public void Emit(LogEvent e)
    {
        var output = writer ?? Console.Error;
        string run = e.Properties.TryGetValue("RunId", out var id) ? $" [run {((ScalarValue)id).Value}]" : "";
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{e.Timestamp:HH:mm:ss} {Telemetry.LevelCode(e.Level)}{run} {e.RenderMessage(CultureInfo.InvariantCulture)}");
        lock (_gate)
        {
            output.WriteLine(line);
            if (e.Exception is not null) output.WriteLine(e.Exception);
        }
    }
}
