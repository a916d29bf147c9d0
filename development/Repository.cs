using System.Reflection;

namespace Ocht.Development;

/// <summary>Where the notebook takes relative paths from: the repository root (the folder holding
/// workspace.json), found above this assembly or else above the current directory, because REPLs
/// load <c>#r</c> assemblies from a shadow copy in a temporary folder.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Resolve(string path) => Path.GetFullPath(path, Root);

    /// <summary>This project's build output (artifacts/bin/Ocht.Development/debug or release), where the
    /// assemblies it depends on are.</summary>
    internal static string BuildOutput
    {
        get
        {
            string configuration = typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            return Path.Combine(Root, "artifacts", "bin", "Ocht.Development", configuration.ToLowerInvariant());
        }
    }

    private static string FindRoot()
    {
        string? own = Path.GetDirectoryName(typeof(Repository).Assembly.Location);
        foreach (string start in new[] { own, Environment.CurrentDirectory }.OfType<string>().Where(s => s.Length > 0))
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "workspace.json"))) return dir.FullName;
        throw new InvalidOperationException($"no workspace.json above {own} or {Environment.CurrentDirectory}: start the REPL inside the Ocht repository");
    }
}
