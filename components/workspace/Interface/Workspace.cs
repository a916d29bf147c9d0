namespace Ocht.Workspace;

/// <summary>A problem <c>check</c> found: its rule (E1..E10 are errors, W1 a warning), where, and what.</summary>
public sealed record Problem(string Code, string File, int Line, string Message)
{
    public bool IsError => Code.StartsWith('E');

    public override string ToString() => $"{File}:{Line}: {Code} {Message}";
}

/// <summary>A test project <c>test</c> runs, and why.</summary>
public sealed record PlannedTest(string Name, string Project, string Reason);

/// <summary>The test projects to run, chosen against a baseline (or all of them).</summary>
public sealed record TestPlan(string Baseline, IReadOnlyList<string> ChangedFiles, IReadOnlyList<PlannedTest> Tests);

/// <summary>The workspace could not be read at all (as opposed to the problems check reports).</summary>
public sealed class WorkspaceException(string message) : Exception(message);

/// <summary>
/// The workspace brick: the structure of this Polylith workspace as data, checked. It reads
/// workspace.json, the csproj files and the C# sources of every brick; <c>./poly</c> is its command line.
/// </summary>
public static class Workspace
{
    /// <summary>The nearest directory at or above <paramref name="start"/> holding workspace.json.</summary>
    public static string FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, Manifest.FileName))) return dir.FullName;
        throw new WorkspaceException($"no {Manifest.FileName} in {start} or above it");
    }

    /// <summary>Every problem, errors (E1..E10) and warnings (W1), in file and line order.</summary>
    public static IReadOnlyList<Problem> Check(string root)
    {
        var manifest = Manifest.Read(root, out var unreadable);
        var tree = Tree.Read(root);
        var problems = Rules.Check(tree, manifest, new Sources(tree)).Concat(ManifestSync.Differences(tree, manifest));
        if (unreadable is not null) problems = problems.Prepend(unreadable);
        return problems.Distinct()
            .OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line).ThenBy(p => p.Code, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Rewrites workspace.json from the tree, keeping its names, descriptions and pure_core list.
    /// Returns false when it already agreed.</summary>
    public static bool Sync(string root)
    {
        var manifest = Manifest.Read(root, out var unreadable);
        if (unreadable is not null && File.Exists(Path.Combine(root, Manifest.FileName))) throw new WorkspaceException(unreadable.ToString());
        string path = Path.Combine(root, Manifest.FileName);
        string text = Manifest.Serialize(ManifestSync.Expected(Tree.Read(root), manifest));
        if (File.Exists(path) && File.ReadAllText(path) == text) return false;
        File.WriteAllText(path, text);
        return true;
    }

    /// <summary>The info report against <paramref name="since"/> (default: the latest stable-* tag, else the root commit).</summary>
    public static string Info(string root, string? since)
    {
        var tree = Tree.Read(root);
        var baseline = Git.Resolve(root, since);
        string name = Manifest.Read(root, out _).Json["name"]?.ToString() ?? Path.GetFileName(root);
        return InfoReport.Render(name, tree, new Sources(tree), baseline, new Changes(tree, Git.ChangedFiles(root, baseline.Revision)));
    }

    /// <summary>The test projects of everything changed since <paramref name="since"/> (default as for info),
    /// directly or through what it depends on.</summary>
    public static TestPlan PlanTests(string root, string? since)
    {
        var tree = Tree.Read(root);
        var baseline = Git.Resolve(root, since);
        var changes = new Changes(tree, Git.ChangedFiles(root, baseline.Revision));
        var tests = tree.Tests.Where(changes.Affected).Select(t => new PlannedTest(t.Name, t.Project.RelativePath, changes.Reason(t)!));
        return new TestPlan(baseline.Description, changes.Files, tests.ToArray());
    }

    public static TestPlan PlanAllTests(string root) =>
        new("(all)", [], Tree.Read(root).Tests.Select(t => new PlannedTest(t.Name, t.Project.RelativePath, "--all")).ToArray());

    /// <summary>Runs the plan's test projects with <c>dotnet test</c>; returns how many failed.</summary>
    public static int RunTests(string root, TestPlan plan, TextWriter log) => TestRunner.Run(root, plan, log);
}
