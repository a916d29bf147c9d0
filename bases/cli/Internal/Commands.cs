using System.CommandLine;
using Ocht.Engine;
using Ocht.Executor;
using Ocht.Model;
using Ocht.Observability;
using Serilog.Events;

namespace Ocht.Cli;

/// <summary>The command tree and its handlers: parse, call the engine, print.</summary>
internal sealed class Commands(CliConsole console)
{
    private const int Ok = 0, Failed = 1, Invalid = 2;

    private readonly Argument<string> _pipeline = new("pipeline") { Description = "the pipeline document (JSON)" };
    private readonly Option<string[]> _vars = new("--var") { Description = "set a variable: name=value (repeatable); the value is read as JSON when it is a number, bool, null or quoted string", Arity = ArgumentArity.ZeroOrMore, HelpName = "name=value" };
    private readonly Option<bool> _verbose = new("--verbose", "-v") { Description = "debug logs, and stack traces with errors" };
    private readonly Option<string> _logLevel = new("--log-level") { Description = "minimum log level on standard error", DefaultValueFactory = _ => "error" };
    private readonly Option<string?> _summary = new("--summary") { Description = "print the run summary as JSON on standard output" };

    private Printer Print => new(console);

    public async Task<int> InvokeAsync(string[] args, CancellationToken abort)
    {
        _logLevel.AcceptOnlyFromAmong("error", "warning", "information", "debug");
        _summary.AcceptOnlyFromAmong("json");
        var root = new RootCommand("Ocht: data pipelines as JSON documents. Pull, transform, push.");
        root.Options.Add(_verbose);
        root.Options.Add(_logLevel);
        foreach (var o in new Option[] { _verbose, _logLevel }) o.Recursive = true;

        var run = new Command("run", "run a pipeline") { _pipeline, _vars, _summary };
        run.SetAction((p, _) => Guard(p, () => RunAsync(p, abort)));
        var validate = new Command("validate", "check a pipeline document and report every problem") { _pipeline, _vars };
        validate.SetAction((p, _) => Guard(p, () => Task.FromResult(Validate(p))));
        var explain = new Command("explain", "show the plan a pipeline compiles to") { _pipeline, _vars };
        explain.SetAction((p, _) => Guard(p, () => Task.FromResult(ExplainPlan(p))));
        var test = new Command("test", "run a pipeline's inline tests through its steps") { _pipeline, _vars };
        test.SetAction((p, _) => Guard(p, () => TestAsync(p, abort)));
        var what = new Argument<string>("what") { Description = "connectors, steps or functions", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "all" };
        what.AcceptOnlyFromAmong("connectors", "steps", "functions", "all");
        var list = new Command("list", "list connectors, steps or functions") { what };
        list.SetAction(p => { using var engine = NewEngine(p); Print.Catalog(engine.Catalog, p.GetValue(what)!); return Ok; });
        var schema = new Command("schema", "print the JSON Schema of pipeline documents");
        schema.SetAction(p => { using var engine = NewEngine(p); console.Out.Write(Reference.JsonSchema(engine.Catalog)); return Ok; });
        foreach (var c in new[] { run, validate, explain, test, list, schema }) root.Subcommands.Add(c);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) console.Error.WriteLine($"error: {e.Message}");
            console.Error.WriteLine("usage: ocht run|validate|explain|test PIPELINE [--var name=value]... | ocht list [connectors|steps|functions] (see ocht --help)");
            return Invalid;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
            // Signals are ours (CliApp.MainAsync): System.CommandLine would kill the process 2 s after
            // Ctrl-C, before the run has aborted its sinks.
            ProcessTerminationTimeout = null,
        }, abort);
    }

    /// <summary>Any unexpected exception becomes one readable line (with the stack only under --verbose).</summary>
    private async Task<int> Guard(ParseResult p, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (UsageException e)
        {
            console.Error.WriteLine($"error: {e.Message}");
            return Invalid;
        }
        catch (Exception e)
        {
            console.Error.WriteLine($"error: {e.Message}");
            if (p.GetValue(_verbose)) console.Error.WriteLine(e);
            return Failed;
        }
    }

    private Engine.Engine NewEngine(ParseResult p)
    {
        var level = p.GetValue(_verbose) ? LogEventLevel.Debug : p.GetValue(_logLevel) switch
        {
            "error" => LogEventLevel.Error,
            "information" => LogEventLevel.Information,
            "debug" => LogEventLevel.Debug,
            "warning" => LogEventLevel.Warning,
            _ => LogEventLevel.Error,
        };
        return new Engine.Engine(new EngineOptions { Streams = console.Streams, Logger = Telemetry.StderrLogger(level, console.Error) });
    }

    /// <summary>Loads the pipeline; on problems prints every diagnostic and returns null.</summary>
    private PipelinePlan? Load(Engine.Engine engine, ParseResult p, out string file)
    {
        file = p.GetValue(_pipeline)!;
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var assignment in p.GetValue(_vars) ?? [])
        {
            int eq = assignment.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--var expects name=value, found \"{assignment}\"");
            vars[assignment[..eq]] = assignment[(eq + 1)..];
        }
        var result = engine.Load(file, vars);
        foreach (var warning in result.Warnings) console.Error.WriteLine($"warning: {warning}");
        if (result.Ok) return result.Plan;
        Print.Diagnostics(result, file);
        return null;
    }

    private async Task<int> RunAsync(ParseResult p, CancellationToken abort)
    {
        using var engine = NewEngine(p);
        var plan = Load(engine, p, out _);
        if (plan is null) return Invalid;
        bool json = p.GetValue(_summary) == "json";
        if (json && engine.WritesStandardOutput(plan))
            throw new UsageException("--summary json prints on standard output, which a sink of this pipeline writes to (path \"-\"); drop --summary or write the sink to a file");
        using var progress = console.ErrorIsTerminal && !json && !p.GetValue(_verbose) ? new ProgressLine(console.Error) : null;
        var report = await engine.RunAsync(plan, abort, observer: progress);
        progress?.Stop();
        if (json) console.Out.WriteLine(RunReports.ToJson(report));
        else Print.Summary(report);
        if (!report.Succeeded) console.Error.WriteLine($"error: {report.Error!.Kind}: {report.Error.Message}");
        return report.Succeeded ? Ok : Failed;
    }

    private int Validate(ParseResult p)
    {
        using var engine = NewEngine(p);
        var plan = Load(engine, p, out string file);
        if (plan is null) return Invalid;
        console.Out.WriteLine($"{file}: valid ({plan.Name}: {plan.Source.Name} -> {plan.Steps.Count} step{(plan.Steps.Count == 1 ? "" : "s")} -> {string.Join(", ", plan.Sinks.Select(s => s.Target.Name))})");
        return Ok;
    }

    private int ExplainPlan(ParseResult p)
    {
        using var engine = NewEngine(p);
        var plan = Load(engine, p, out _);
        if (plan is null) return Invalid;
        console.Out.Write(Explain.Render(plan));
        return Ok;
    }

    private async Task<int> TestAsync(ParseResult p, CancellationToken abort)
    {
        using var engine = NewEngine(p);
        var plan = Load(engine, p, out string file);
        if (plan is null) return Invalid;
        if (plan.Tests.Count == 0)
        {
            console.Out.WriteLine($"{file}: no tests");
            return Ok;
        }
        var outcomes = await engine.TestAsync(plan, abort);
        Print.Tests(plan, outcomes);
        return outcomes.All(o => o.Passed) ? Ok : Failed;
    }
}

/// <summary>A problem with how ocht was called (exit 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
