namespace Ocht.Workspace;

/// <summary>E8: project references that loop back (a → b → a). Each loop is reported once, at the
/// reference that leaves its alphabetically first member.</summary>
internal static class Cycles
{
    public static IEnumerable<Problem> Find(Tree tree)
    {
        var finished = new HashSet<Node>();
        var path = new List<Node>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<Problem>();

        void Visit(Node node)
        {
            path.Add(node);
            foreach (var next in node.ReferencedNodes)
            {
                int start = path.IndexOf(next);
                if (start >= 0) Report(path[start..]);
                else if (!finished.Contains(next)) Visit(next);
            }
            path.RemoveAt(path.Count - 1);
            finished.Add(node);
        }

        void Report(List<Node> loop)
        {
            int first = loop.IndexOf(loop.MinBy(n => n.Name, StringComparer.Ordinal)!);
            var ordered = loop.Skip(first).Concat(loop.Take(first)).ToList();
            string text = string.Join(" -> ", ordered.Append(ordered[0]).Select(n => n.Name));
            if (!reported.Add(text)) return;
            var edge = ordered[0].References.First(e => e.Target == (ordered.Count > 1 ? ordered[1] : ordered[0]));
            problems.Add(new Problem("E8", edge.Item.File, edge.Item.Line, $"dependency cycle: {text}"));
        }

        foreach (var node in tree.Nodes.Where(n => !finished.Contains(n))) Visit(node);
        return problems;
    }
}
