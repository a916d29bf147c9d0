using System.Globalization;
using Microsoft.Extensions.Configuration;
using Ocht.Observability;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace Ocht.Worker;

/// <summary>
/// The worker's Serilog logger, on standard error (standard output belongs to data): levels from the
/// "Serilog" configuration section (default Information, Microsoft.* Warning), every event of a run
/// with its pipeline and run id, as text lines or JSON objects.
/// </summary>
internal static class WorkerLogging
{
    public static Serilog.Core.Logger Create(IConfiguration configuration, string format)
    {
        ITextFormatter formatter = format == "json" ? new JsonFormatter(renderMessage: true, formatProvider: CultureInfo.InvariantCulture) : new LineFormatter();
        return new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(formatter, standardErrorFromLevel: LogEventLevel.Verbose)
            .CreateLogger();
    }

    /// <summary>"2026-11-22 12:00:01.123 INF [orders run 3f2a9c1e0b7d] message".</summary>
    private sealed class LineFormatter : ITextFormatter
    {
        private readonly MessageTemplateTextFormatter _message = new("{Message:lj}{NewLine}{Exception}", CultureInfo.InvariantCulture);

        public void Format(LogEvent e, TextWriter output)
        {
            output.Write(e.Timestamp.ToString("yyyy-MM-dd HH:mm:ss.fff ", CultureInfo.InvariantCulture));
            output.Write(Telemetry.LevelCode(e.Level));
            string? pipeline = Text(e, "Pipeline"), run = Text(e, "RunId");
            if (pipeline is not null || run is not null)
                output.Write(pipeline is null ? $" [run {run}]" : run is null ? $" [{pipeline}]" : $" [{pipeline} run {run}]");
            output.Write(' ');
            _message.Format(e, output);
        }

        private static string? Text(LogEvent e, string name) =>
            e.Properties.TryGetValue(name, out var v) && v is ScalarValue { Value: { } value } ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
    }
}
