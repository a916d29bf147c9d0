using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ocht.Engine;
using Serilog;

namespace Ocht.Worker;

/// <summary>
/// The worker base: runs pipeline documents as a long-running service (Microsoft.Extensions.Hosting).
/// Configuration: appsettings.json in the working directory &lt; environment variables (Ocht__Key) &lt;
/// the command line. Exit codes: 0 every pipeline finished or stopped cleanly, 1 a pipeline failed (or
/// did not stop within the shutdown timeout), 2 invalid documents, settings or usage.
/// </summary>
public static class WorkerApp
{
    public static async Task<int> MainAsync(string[] args)
    {
        try
        {
            return await RunAsync(args);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine("(ocht-worker --help shows the usage)");
            return WorkerExit.Invalid;
        }
    }

    private static async Task<int> RunAsync(string[] args)
    {
        var line = CommandLine.Parse(args);
        if (line.Help)
        {
            Console.Out.WriteLine(CommandLine.Usage);
            return WorkerExit.Ok;
        }
        var configuration = Configure(line);
        var settings = Bind(configuration);
        using var logger = WorkerLogging.Create(configuration, settings.LogFormat);
        using var engine = new Engine.Engine(new EngineOptions { Logger = logger });
        var loaded = Documents.Load(engine, line.Pipelines.Count > 0 ? line.Pipelines : settings.Pipelines, settings.Vars);
        foreach (string warning in loaded.Warnings) Console.Error.WriteLine($"warning: {warning}");
        if (loaded.Problems.Count > 0)
        {
            foreach (string problem in loaded.Problems) Console.Error.WriteLine(problem);
            Console.Error.WriteLine("the worker did not start: fix the problems above; nothing was run");
            return WorkerExit.Invalid;
        }

        var exit = new WorkerExit();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddSerilog(logger);
        builder.Services.AddHostedService(services => new PipelineService(
            loaded.Pipelines,
            (plan, abort, stop, observer) => engine.RunAsync(plan, abort, stop, observer),
            settings,
            services.GetRequiredService<IHostApplicationLifetime>(),
            exit,
            services.GetRequiredService<ILoggerFactory>()));
        using var host = builder.Build();
        await host.RunAsync();
        return exit.Code;
    }

    private static IConfiguration Configure(CommandLine line)
    {
        try
        {
            return new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true, reloadOnChange: false)
                .AddEnvironmentVariables()
                .AddInMemoryCollection(line.Overrides)
                .Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            throw new UsageException($"cannot read the configuration: {e.Message}");
        }
    }

    /// <summary>The "Ocht" section; an unknown key or a value of the wrong type is a usage error.</summary>
    private static WorkerSettings Bind(IConfiguration configuration)
    {
        WorkerSettings settings;
        try
        {
            settings = configuration.GetSection(WorkerSettings.Section).Get<WorkerSettings>(o => o.ErrorOnUnknownConfiguration = true) ?? new WorkerSettings();
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException($"invalid settings: {e.Message}{(e.InnerException is { } inner ? $" ({inner.Message})" : "")}");
        }
        var problems = settings.Problems().ToArray();
        if (problems.Length > 0) throw new UsageException(string.Join(Environment.NewLine + "error: ", problems));
        return settings;
    }
}
