using System.Text.Json.Nodes;

namespace Ocht.Workspace;

/// <summary>
/// workspace.json is data derived from the tree (folders, csproj references and packages) plus what
/// only people write (names, descriptions, the pure_core list). <see cref="Expected"/> derives the
/// file the tree calls for, keeping the written parts; sync writes it, check compares it (E9, E10).
/// </summary>
internal static class ManifestSync
{
    private static readonly string[] Sections = ["components", "bases", "projects", "tests"];

    public static JsonObject Expected(Tree tree, Manifest current)
    {
        var json = current.Json;
        var pure = current.PureCore.ToHashSet(StringComparer.Ordinal);
        return new JsonObject
        {
            ["name"] = json["name"]?.DeepClone() ?? Path.GetFileName(tree.Root),
            ["description"] = json["description"]?.DeepClone() ?? "",
            ["pure_core"] = json["pure_core"]?.DeepClone() ?? new JsonArray(),
            ["components"] = Entries(tree.Bricks.Where(b => b.Kind == NodeKind.Component), b => Brick(b, json["components"]?[b.Name], pure)),
            ["bases"] = Entries(tree.Bricks.Where(b => b.Kind == NodeKind.Base), b => Brick(b, json["bases"]?[b.Name], pure: null)),
            ["projects"] = Entries(tree.Projects, Project),
            ["tests"] = Entries(tree.Tests, t => Test(tree, t)),
        };
    }

    public static IEnumerable<Problem> Differences(Tree tree, Manifest current)
    {
        var expected = Expected(tree, current);
        foreach (string name in current.PureCore.Where(n => tree.Brick(n) is not { Kind: NodeKind.Component }))
            yield return new Problem("E10", Manifest.FileName, current.LineOf("pure_core"), $"pure_core names \"{name}\", which is no component of the tree");
        foreach (string section in Sections)
        {
            var want = (JsonObject)expected[section]!;
            var have = current.Json[section] as JsonObject ?? [];
            foreach (var (name, wanted) in want)
            {
                var node = Node(tree, section, name);
                if (have[name] is not JsonObject had)
                {
                    yield return new Problem("E10", node.Project.RelativePath, 1, $"{section}/{name} is not in workspace.json (./poly sync adds it)");
                    continue;
                }
                foreach (var problem in FieldDifferences(current, section, name, node, (JsonObject)wanted!, had)) yield return problem;
            }
            foreach (var (name, _) in have.Where(h => !want.ContainsKey(h.Key)))
                yield return new Problem("E10", Manifest.FileName, current.LineOf(section, name), $"{section}/{name} is in workspace.json but not in the tree");
        }
    }

    private static IEnumerable<Problem> FieldDifferences(Manifest current, string section, string name, Node node, JsonObject wanted, JsonObject had)
    {
        foreach (var (field, value) in wanted)
        {
            if (field == "description") continue;
            int line = current.LineOf(section, name, field);
            if (value is JsonArray)
            {
                var tree = Manifest.Strings(value);
                var json = Manifest.Strings(had[field]);
                foreach (string extra in tree.Except(json))
                {
                    var edge = node.References.FirstOrDefault(e => e.Target?.Name == extra);
                    yield return field is "dependencies" or "bases" && edge is not null
                        ? new Problem("E9", edge.Item.File, edge.Item.Line, $"{node.Name} references {extra}, which workspace.json does not list in {section}/{name}/{field}")
                        : new Problem("E10", Manifest.FileName, line, $"{section}/{name}/{field} lacks \"{extra}\", which the tree has");
                }
                foreach (string missing in json.Except(tree))
                    yield return new Problem("E10", Manifest.FileName, line, $"{section}/{name}/{field} lists \"{missing}\", which {node.Project.RelativePath} does not have");
            }
            else if (!JsonNode.DeepEquals(value, had[field]))
            {
                yield return new Problem("E10", Manifest.FileName, line,
                    $"{section}/{name}/{field} is {had[field]?.ToJsonString() ?? "missing"}, the tree says {value?.ToJsonString() ?? "null"}");
            }
        }
    }

    private static Node Node(Tree tree, string section, string name) => tree.Nodes.First(n => SectionOf(n) == section && n.Name == name);

    private static string SectionOf(Node node) => node.Kind switch
    {
        NodeKind.Component => "components",
        NodeKind.Base => "bases",
        NodeKind.Project => "projects",
        _ => "tests",
    };

    private static JsonObject Entries(IEnumerable<Node> nodes, Func<Node, JsonObject> entry)
    {
        var result = new JsonObject();
        foreach (var node in nodes.OrderBy(n => n.Name, StringComparer.Ordinal)) result[node.Name] = entry(node);
        return result;
    }

    private static JsonObject Brick(Node brick, JsonNode? written, HashSet<string>? pure)
    {
        var entry = new JsonObject
        {
            ["path"] = brick.Folder,
            ["project"] = brick.Project.RelativePath,
            ["interface"] = brick.InterfaceFolder,
        };
        if (pure is not null) entry["pure"] = pure.Contains(brick.Name);
        entry["dependencies"] = Names(brick.ReferencedNodes.Where(n => n.IsBrick).Select(n => n.Name));
        entry["packages"] = Names(brick.Project.PackageReferences.Select(p => p.Value));
        entry["description"] = written?["description"]?.DeepClone() ?? "";
        return entry;
    }

    private static JsonObject Project(Node project)
    {
        var bricks = Tree.BricksBelow(project);
        return new JsonObject
        {
            ["path"] = project.Folder,
            ["project"] = project.Project.RelativePath,
            ["bases"] = Names(bricks.Where(b => b.Kind == NodeKind.Base).Select(b => b.Name)),
            ["components"] = Names(bricks.Where(b => b.Kind == NodeKind.Component).Select(b => b.Name)),
        };
    }

    private static JsonObject Test(Tree tree, Node test) => new()
    {
        ["project"] = test.Project.RelativePath,
        ["tests"] = Names(tree.Tested(test) is { } subject ? [subject.Name] : []),
        ["dependencies"] = Names(test.ReferencedNodes.Select(n => n.Name)),
    };

    private static JsonArray Names(IEnumerable<string> names) => new(names.Distinct(StringComparer.Ordinal).Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
}
