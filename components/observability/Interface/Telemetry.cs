using Ocht.Executor;
using Serilog;
using Serilog.Events;

namespace Ocht.Observability;

/// <summary>The observability brick.</summary>
public static class Telemetry
{
    /// <summary>The meter every Ocht metric is published on.</summary>
    public const string MeterName = "Ocht";

    /// <summary>A logger writing one line per event to standard error, with the run id on every run event.</summary>
    public static ILogger StderrLogger(LogEventLevel minimum, TextWriter? error = null) =>
        new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .Enrich.FromLogContext()
            .WriteTo.Sink(new ErrorWriterSink(error))
            .CreateLogger();

    /// <summary>The three-letter level code of Ocht's text log lines (INF, WRN...), for every host's format.</summary>
    public static string LevelCode(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "VRB",
        LogEventLevel.Debug => "DBG",
        LogEventLevel.Information => "INF",
        LogEventLevel.Warning => "WRN",
        LogEventLevel.Error => "ERR",
        _ => "FTL",
    };

    /// <summary>An observer that logs run lifecycle events and publishes run metrics.</summary>
    public static IRunObserver Observer(ILogger logger, RunMetrics metrics) => new LoggingObserver(logger, metrics);
}
