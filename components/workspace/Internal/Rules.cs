namespace Ocht.Workspace;

/// <summary>
/// The structural rules of the workspace. Errors: E1 a public type outside a brick's Interface folder;
/// E2 InternalsVisibleTo granting a non-test assembly; E3 a brick using a brick it does not reference;
/// E4 a pure-core brick referencing an infrastructure package; E5 a pure-core brick referencing a brick
/// outside the pure core; E6 a pure-core brick calling file, network, clock or random APIs; E7 a
/// component referencing a base; E8 a dependency cycle; E9 and E10 (workspace.json out of step) are
/// <see cref="ManifestSync"/>'s. Warning: W1 a brick no project uses.
/// </summary>
internal static class Rules
{
    /// <summary>Package ids (and their sub-packages) that are infrastructure: effects, hosts, logging.</summary>
    private static readonly string[] InfrastructurePackages =
        ["Npgsql", "Confluent.Kafka", "CsvHelper", "Serilog", "Microsoft.AspNetCore", "Microsoft.Extensions.Hosting"];

    public static IEnumerable<Problem> Check(Tree tree, Manifest manifest, Sources sources)
    {
        var pure = manifest.PureCore.Select(tree.Brick).OfType<Node>().ToHashSet();
        foreach (var brick in tree.Bricks)
        {
            foreach (var p in PublicOutsideInterface(brick, sources)) yield return p;
            foreach (var p in NonTestGrants(brick, sources)) yield return p;
            foreach (var p in UndeclaredUses(tree, brick, sources)) yield return p;
            if (pure.Contains(brick))
            {
                foreach (var p in InfrastructureReferences(brick)) yield return p;
                foreach (var p in ImpureDependencies(brick, pure)) yield return p;
                foreach (var p in sources.Of(brick).SelectMany(ForbiddenApis.Find)) yield return p;
            }
            if (brick.Kind == NodeKind.Component)
                foreach (var edge in brick.References.Where(e => e.Target?.Kind == NodeKind.Base))
                    yield return new Problem("E7", edge.Item.File, edge.Item.Line, $"component {brick.Name} references base {edge.Target!.Name}: bases use components, never the other way");
        }
        foreach (var p in Cycles.Find(tree)) yield return p;
        foreach (var node in tree.Nodes)
            foreach (var edge in node.References.Where(e => e.Target is null))
                yield return new Problem("E10", edge.Item.File, edge.Item.Line, $"{node.Name} references {Paths.Relative(tree.Root, edge.Item.Value)}, which is no brick, project or test project of the workspace");
        foreach (var p in Unused(tree)) yield return p;
    }

    private static IEnumerable<Problem> PublicOutsideInterface(Node brick, Sources sources) =>
        from file in sources.Of(brick)
        where !sources.InInterface(brick, file)
        from type in file.Types
        where type.IsPublic
        select new Problem("E1", file.RelativePath, type.Line,
            $"public type {type.Name} outside {brick.InterfaceFolder ?? brick.Folder + "/Interface"}: make it internal, or move it into the interface");

    private static IEnumerable<Problem> NonTestGrants(Node brick, Sources sources)
    {
        var grants = brick.Project.InternalsVisibleTo.Select(i => (i.Value, i.File, i.Line))
            .Concat(sources.Of(brick).SelectMany(f => f.InternalsVisibleTo.Select(g => (g.Assembly, f.RelativePath, g.Line))));
        foreach (var (assembly, file, line) in grants)
            if (!assembly.EndsWith(".Tests", StringComparison.Ordinal))
                yield return new Problem("E2", file, line, $"InternalsVisibleTo gives {assembly} the internals of {brick.Name}: only test projects may see them; use the interface");
    }

    /// <summary>E3: a dotted name in code that names another brick, either fully (<c>Ocht.Model...</c>, usings
    /// included) or by its last namespace segment and an interface type (<c>Model.Explain</c> inside <c>namespace Ocht.X</c>).</summary>
    private static IEnumerable<Problem> UndeclaredUses(Tree tree, Node brick, Sources sources)
    {
        var allowed = brick.ReferencedNodes.Where(n => n.IsBrick).Append(brick).ToHashSet();
        var others = tree.Bricks.Where(b => b != brick).ToArray();
        foreach (var file in sources.Of(brick))
        {
            var reported = new HashSet<Node>();
            foreach (var name in file.Names)
            {
                var used = NamedBrick(others, name, sources);
                if (used is null || allowed.Contains(used) || !reported.Add(used)) continue;
                string how = Tree.BricksBelow(brick).Contains(used) ? "it compiles only through another brick's reference" : "nothing references it";
                yield return new Problem("E3", file.RelativePath, name.Line,
                    $"{brick.Name} uses {used.Name} ({string.Join('.', name.Segments)}) without a ProjectReference to it ({how}): reference it, or go through a brick it references");
            }
        }
    }

    private static Node? NamedBrick(Node[] bricks, DottedName name, Sources sources)
    {
        string full = string.Join('.', name.Segments);
        var byNamespace = bricks.Where(b => full == b.Project.RootNamespace || full.StartsWith(b.Project.RootNamespace + ".", StringComparison.Ordinal))
            .MaxBy(b => b.Project.RootNamespace.Length);
        if (byNamespace is not null || name.Segments.Count < 2) return byNamespace;
        return bricks.FirstOrDefault(b => b.Project.RootNamespace.Split('.')[^1] == name.Segments[0] && sources.InterfaceTypes(b).Contains(name.Segments[1]));
    }

    private static IEnumerable<Problem> InfrastructureReferences(Node brick)
    {
        if (brick.Project.Sdk.StartsWith("Microsoft.NET.Sdk.Web", StringComparison.Ordinal))
            yield return new Problem("E4", brick.Project.RelativePath, 1, $"pure-core brick {brick.Name} builds with the ASP.NET Core SDK");
        foreach (var item in brick.Project.PackageReferences.Concat(brick.Project.FrameworkReferences))
            if (InfrastructurePackages.Any(p => item.Value == p || item.Value.StartsWith(p + ".", StringComparison.Ordinal)))
                yield return new Problem("E4", item.File, item.Line, $"pure-core brick {brick.Name} references the infrastructure package {item.Value}: effects belong in a brick outside the pure core, behind a port");
    }

    private static IEnumerable<Problem> ImpureDependencies(Node brick, HashSet<Node> pure) =>
        from edge in brick.References
        where edge.Target is { IsBrick: true } target && !pure.Contains(target)
        select new Problem("E5", edge.Item.File, edge.Item.Line, $"pure-core brick {brick.Name} references {edge.Target!.Name}, which is outside the pure core");

    /// <summary>W1: a brick in no project but development, and used by no test project as a helper.</summary>
    private static IEnumerable<Problem> Unused(Tree tree)
    {
        var used = new HashSet<Node>();
        foreach (var project in tree.Projects.Where(p => p.Name != Tree.DevelopmentProject)) used.UnionWith(Tree.BricksBelow(project));
        foreach (var test in tree.Tests)
            foreach (var helper in test.ReferencedNodes.Where(n => n.IsBrick && n != tree.Tested(test)))
                used.UnionWith(Tree.BricksBelow(helper).Append(helper));
        return tree.Bricks.Where(b => !used.Contains(b)).Select(b =>
            new Problem("W1", b.Project.RelativePath, 1, $"brick {b.Name} is in no project (other than development) and no test project uses it"));
    }
}
