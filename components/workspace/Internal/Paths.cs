namespace Ocht.Workspace;

/// <summary>Paths as the workspace names them: relative to the root, with forward slashes on every OS.</summary>
internal static class Paths
{
    public static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    public static bool IsWithin(string directory, string path) =>
        Same(directory, path) || Path.GetFullPath(path).StartsWith(Path.GetFullPath(directory).TrimEnd('/', '\\') + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    public static bool Same(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd('/', '\\'), Path.GetFullPath(b).TrimEnd('/', '\\'), StringComparison.Ordinal);

    /// <summary>True when a workspace-relative file path lies in a workspace-relative folder.</summary>
    public static bool InFolder(string file, string folder) => file.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);
}
