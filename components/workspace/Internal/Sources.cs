namespace Ocht.Workspace;

/// <summary>The parsed C# files of each brick (build output folders left out), read once per run.</summary>
internal sealed class Sources(Tree tree)
{
    private readonly Dictionary<Node, IReadOnlyList<SourceFile>> _files = [];

    public IReadOnlyList<SourceFile> Of(Node brick)
    {
        if (_files.TryGetValue(brick, out var files)) return files;
        string folder = Path.Combine(tree.Root, brick.Folder);
        files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(Paths.Relative(folder, path)))
            .Order(StringComparer.Ordinal)
            .Select(path => SourceFile.Parse(tree.Root, path))
            .ToArray();
        _files[brick] = files;
        return files;
    }

    public bool InInterface(Node brick, SourceFile file) =>
        brick.InterfaceFolder is { } folder && Paths.InFolder(file.RelativePath, folder);

    /// <summary>Public types of the brick's interface: the names other bricks may use.</summary>
    public IReadOnlySet<string> InterfaceTypes(Node brick) =>
        Of(brick).Where(f => InInterface(brick, f)).SelectMany(f => f.Types).Where(t => t.IsPublic).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

    private static bool IsBuildOutput(string relative) =>
        relative.Split('/').Any(segment => segment is "obj" or "bin");
}
