using System.Text;

namespace Ocht.Workspace;

/// <summary><c>./poly info</c>: which project holds which brick, each brick's kind, interface size and
/// lines of code, and what changed since the baseline.</summary>
internal static class InfoReport
{
    public static string Render(string name, Tree tree, Sources sources, Baseline baseline, Changes changes)
    {
        var projects = tree.Projects.OrderBy(p => p.Name == Tree.DevelopmentProject).ThenBy(p => p.Name, StringComparer.Ordinal).ToArray();
        var included = projects.ToDictionary(p => p, p => Tree.BricksBelow(p).ToHashSet());
        var text = new StringBuilder();
        text.Append($"workspace {name}: {tree.Bricks.Count(b => b.Kind == NodeKind.Component)} components, "
            + $"{tree.Bricks.Count(b => b.Kind == NodeKind.Base)} bases, {projects.Length} projects, {tree.Tests.Count()} test projects\n");
        text.Append($"changes since {baseline.Description}: {changes.Files.Count} files; * changed, + depends on a changed brick\n\n");

        var bricks = new TextTable(["brick", "", "kind", "types", "members", "loc", .. projects.Select(p => p.Name), "tests"]);
        foreach (var brick in tree.Bricks.OrderBy(b => b.Kind).ThenBy(b => b.Name, StringComparer.Ordinal))
        {
            var files = sources.Of(brick);
            var api = files.Where(f => sources.InInterface(brick, f)).SelectMany(f => f.Types).Where(t => t.IsPublic).ToArray();
            var tests = tree.Tests.Where(t => tree.Tested(t) == brick).Select(t => t.Name).DefaultIfEmpty("-");
            bricks.Add([brick.Name, Mark(changes, brick), brick.KindName, $"{api.Length}", $"{api.Sum(t => t.PublicMembers)}", $"{files.Sum(f => f.CodeLines)}",
                .. projects.Select(p => included[p].Contains(brick) ? "x" : "-"), string.Join(", ", tests)]);
        }
        text.Append(bricks).Append('\n');

        var table = new TextTable("project", "", "path", "bricks", "tests");
        foreach (var project in projects)
        {
            var tests = tree.Tests.Where(t => tree.Tested(t) == project).Select(t => t.Name).DefaultIfEmpty("-");
            table.Add(project.Name, Mark(changes, project), project.Folder, $"{included[project].Count}", string.Join(", ", tests));
        }
        text.Append(table);
        text.Append("\ntypes and members: the public surface of the brick's Interface folder; loc: lines with code (no blank or comment-only lines)\n");
        return text.ToString();
    }

    private static string Mark(Changes changes, Node node) => changes.Changed(node) ? "*" : changes.Affected(node) ? "+" : "";
}
