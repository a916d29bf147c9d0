namespace Ocht.Workspace;

internal enum NodeKind { Component, Base, Project, Test }

/// <summary>A project reference resolved to the node it points at (null: a csproj outside the workspace's folders).</summary>
internal sealed record Edge(Node? Target, ProjectItem Item);

/// <summary>One csproj of the workspace: a brick (component or base), a project, or a test project.</summary>
internal sealed class Node(string name, NodeKind kind, string folder, ProjectFile project, string? interfaceFolder)
{
    public string Name { get; } = name;
    public NodeKind Kind { get; } = kind;
    /// <summary>Workspace-relative folder.</summary>
    public string Folder { get; } = folder;
    public ProjectFile Project { get; } = project;
    /// <summary>Workspace-relative Interface folder of a brick; null when it has none.</summary>
    public string? InterfaceFolder { get; } = interfaceFolder;
    public List<Edge> References { get; } = [];

    public bool IsBrick => Kind is NodeKind.Component or NodeKind.Base;
    public string KindName => Kind.ToString().ToLowerInvariant();
    public IEnumerable<Node> ReferencedNodes => References.Select(r => r.Target).OfType<Node>();

    public override string ToString() => Name;
}

/// <summary>The workspace as the folders and csproj files have it: components/*, bases/*, projects/* and
/// development (projects), tests/* (test projects).</summary>
internal sealed class Tree
{
    public const string DevelopmentProject = "development";

    private Tree(string root, IReadOnlyList<Node> nodes)
    {
        Root = root;
        Nodes = nodes;
    }

    public string Root { get; }
    public IReadOnlyList<Node> Nodes { get; }
    public IEnumerable<Node> Bricks => Nodes.Where(n => n.IsBrick);
    public IEnumerable<Node> Projects => Nodes.Where(n => n.Kind == NodeKind.Project);
    public IEnumerable<Node> Tests => Nodes.Where(n => n.Kind == NodeKind.Test);

    public Node? Brick(string name) => Bricks.FirstOrDefault(b => b.Name == name);

    public static Tree Read(string root)
    {
        var nodes = new List<Node>();
        foreach (var (folder, kind) in new[] { ("components", NodeKind.Component), ("bases", NodeKind.Base), ("projects", NodeKind.Project), ("tests", NodeKind.Test) })
        {
            string parent = Path.Combine(root, folder);
            if (!Directory.Exists(parent)) continue;
            foreach (string dir in Directory.GetDirectories(parent).Order(StringComparer.Ordinal))
                if (Csproj(dir) is { } csproj) nodes.Add(NewNode(root, dir, csproj, kind));
        }
        string development = Path.Combine(root, DevelopmentProject);
        if (Csproj(development) is { } devCsproj) nodes.Add(NewNode(root, development, devCsproj, NodeKind.Project));

        var byPath = nodes.ToDictionary(n => n.Project.FullPath, StringComparer.Ordinal);
        foreach (var node in nodes)
            foreach (var item in node.Project.ProjectReferences)
                node.References.Add(new Edge(byPath.GetValueOrDefault(item.Value), item));
        return new Tree(root, nodes);
    }

    private static string? Csproj(string dir) =>
        Directory.Exists(dir) ? Directory.GetFiles(dir, "*.csproj").Order(StringComparer.Ordinal).FirstOrDefault() : null;

    private static Node NewNode(string root, string dir, string csproj, NodeKind kind)
    {
        var project = ProjectFile.Read(root, csproj);
        string name = kind == NodeKind.Test ? Path.GetFileNameWithoutExtension(csproj) : Path.GetFileName(dir);
        string interfaceDir = Path.Combine(dir, "Interface");
        bool isBrick = kind is NodeKind.Component or NodeKind.Base;
        return new Node(name, kind, Paths.Relative(root, dir), project, isBrick && Directory.Exists(interfaceDir) ? Paths.Relative(root, interfaceDir) : null);
    }

    /// <summary>The bricks a node builds on, directly or through other bricks (not itself).</summary>
    public static IReadOnlyList<Node> BricksBelow(Node node)
    {
        var seen = new HashSet<Node>();
        var stack = new Stack<Node>(node.ReferencedNodes.Where(n => n.IsBrick));
        while (stack.Count > 0)
        {
            var next = stack.Pop();
            if (next == node || !seen.Add(next)) continue;
            foreach (var below in next.ReferencedNodes.Where(n => n.IsBrick)) stack.Push(below);
        }
        return seen.OrderBy(n => n.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>What a test project tests: the brick or project whose csproj it is named after (Ocht.X.Tests tests Ocht.X).</summary>
    public Node? Tested(Node test)
    {
        string subject = test.Name.EndsWith(".Tests", StringComparison.Ordinal) ? test.Name[..^".Tests".Length] : test.Name;
        return Nodes.FirstOrDefault(n => n.Kind != NodeKind.Test && Path.GetFileNameWithoutExtension(n.Project.FullPath) == subject);
    }
}
