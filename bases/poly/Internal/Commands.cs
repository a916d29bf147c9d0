using System.CommandLine;
using Ocht.Workspace;

namespace Ocht.Poly;

/// <summary>The command tree and its handlers: find the workspace, call the workspace brick, print.</summary>
internal sealed class Commands(TextWriter output, TextWriter error, string directory)
{
    private const int Ok = 0, Failed = 1, Invalid = 2;

    private readonly Option<string?> _since = new("--since") { Description = "a git revision to compare with (default: the latest stable-* tag, else the root commit)", HelpName = "REF" };

    public async Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand("poly: the Ocht workspace tool (bricks, projects, checks, changed tests)");
        var info = new Command("info", "bricks x projects, kinds, interface sizes, lines of code, and what changed") { _since };
        info.SetAction(p => Guard(() => { output.Write(Workspace.Workspace.Info(Root(), p.GetValue(_since))); return Ok; }));
        var check = new Command("check", "check the workspace rules; exit 1 on any error");
        check.SetAction(_ => Guard(Check));
        var all = new Option<bool>("--all") { Description = "run every test project" };
        var dryRun = new Option<bool>("--dry-run") { Description = "print which test projects would run, and why, without running them" };
        var test = new Command("test", "run the test projects of what changed since REF, directly or through a dependency") { _since, all, dryRun };
        test.SetAction(p => Guard(() => Test(p.GetValue(_since), p.GetValue(all), p.GetValue(dryRun))));
        var sync = new Command("sync", "rewrite workspace.json from the folders and csproj files (keeps names, descriptions, pure_core)");
        sync.SetAction(_ => Guard(() => { output.WriteLine(Workspace.Workspace.Sync(Root()) ? "workspace.json updated" : "workspace.json is up to date"); return Ok; }));
        foreach (var c in new[] { info, check, test, sync }) root.Subcommands.Add(c);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) error.WriteLine($"error: {e.Message}");
            error.WriteLine("usage: poly info [--since REF] | check | test (--since REF | --all) [--dry-run] | sync (see poly --help)");
            return Invalid;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }

    private string Root() => Workspace.Workspace.FindRoot(directory);

    /// <summary>An unreadable workspace or a failing git becomes one line and exit 2.</summary>
    private int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (WorkspaceException e)
        {
            error.WriteLine($"error: {e.Message}");
            return Invalid;
        }
    }

    private int Check()
    {
        var problems = Workspace.Workspace.Check(Root());
        foreach (var problem in problems) output.WriteLine(problem);
        int errors = problems.Count(p => p.IsError);
        output.WriteLine($"{errors} error{(errors == 1 ? "" : "s")}, {problems.Count - errors} warning{(problems.Count - errors == 1 ? "" : "s")}");
        return errors == 0 ? Ok : Failed;
    }

    private int Test(string? since, bool all, bool dryRun)
    {
        if (all && since is not null)
        {
            error.WriteLine("error: --all and --since exclude each other");
            return Invalid;
        }
        string root = Root();
        var plan = all ? Workspace.Workspace.PlanAllTests(root) : Workspace.Workspace.PlanTests(root, since);
        if (!all) output.WriteLine($"changes since {plan.Baseline}: {plan.ChangedFiles.Count} files");
        output.WriteLine(plan.Tests.Count == 0 ? "no test project to run" : $"{(dryRun ? "would run" : "running")} {plan.Tests.Count} test projects:");
        int width = plan.Tests.Select(t => t.Name.Length).DefaultIfEmpty(0).Max();
        foreach (var t in plan.Tests) output.WriteLine($"  {t.Name.PadRight(width)}  {t.Reason}");
        if (dryRun || plan.Tests.Count == 0) return Ok;
        output.Flush();
        return Workspace.Workspace.RunTests(root, plan, output) == 0 ? Ok : Failed;
    }
}
