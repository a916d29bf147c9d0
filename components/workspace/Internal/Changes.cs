namespace Ocht.Workspace;

/// <summary>What a set of changed files means for the workspace: the nodes whose files changed, and every
/// node that builds on one of them, each with the chain that explains why.</summary>
internal sealed class Changes
{
    /// <summary>Files that shape how every project below their folder builds.</summary>
    private static readonly string[] BuildFiles = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json"];

    private readonly Dictionary<Node, string> _reasons = [];

    public Changes(Tree tree, IReadOnlyList<string> files)
    {
        Files = files;
        var changed = tree.Nodes.Where(n => files.Any(f => Paths.InFolder(f, n.Folder) || IsBuildFileAbove(f, n))).ToList();
        foreach (var node in changed) _reasons[node] = "changed";

        var dependents = tree.Nodes.SelectMany(n => n.ReferencedNodes.Select(target => (target, n))).ToLookup(e => e.target, e => e.n);
        var queue = new Queue<Node>(changed);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var dependent in dependents[node].Where(d => !_reasons.ContainsKey(d)))
            {
                _reasons[dependent] = _reasons[node] == "changed" ? $"depends on {node.Name} (changed)" : $"depends on {node.Name}, which {_reasons[node]}";
                queue.Enqueue(dependent);
            }
        }
    }

    public IReadOnlyList<string> Files { get; }

    public bool Changed(Node node) => _reasons.GetValueOrDefault(node) == "changed";
    public bool Affected(Node node) => _reasons.ContainsKey(node);
    /// <summary>"changed", or "depends on x, which depends on y (changed)"; null when untouched.</summary>
    public string? Reason(Node node) => _reasons.GetValueOrDefault(node);

    private static bool IsBuildFileAbove(string file, Node node)
    {
        if (!BuildFiles.Contains(Path.GetFileName(file))) return false;
        string folder = Path.GetDirectoryName(file)?.Replace('\\', '/') ?? "";
        return folder.Length == 0 || Paths.InFolder(node.Folder + "/", folder);
    }
}
