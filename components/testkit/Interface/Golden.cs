using System.Runtime.CompilerServices;
using Xunit;

namespace Ocht.Testkit;

/// <summary>
/// Golden files: expected output kept next to the test as a file. A mismatch fails with both texts;
/// set OCHT_UPDATE_GOLDEN=1 to rewrite the files from the actual output (then review the diff).
/// </summary>
public static class Golden
{
    public static bool Updating => Environment.GetEnvironmentVariable("OCHT_UPDATE_GOLDEN") == "1";

    /// <summary>Compares <paramref name="actual"/> with golden/<paramref name="name"/> beside the calling test file.</summary>
    public static void Verify(string name, string actual, [CallerFilePath] string caller = "")
    {
        string path = Path.Combine(Path.GetDirectoryName(SourcePath(caller))!, "golden", name);
        VerifyFile(path, actual);
    }

    /// <summary>Compares <paramref name="actual"/> with the file at <paramref name="path"/> (rewritten when updating).</summary>
    public static void VerifyFile(string path, string actual)
    {
        actual = actual.Replace("\r\n", "\n");
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"golden file {path} is missing; run the tests with OCHT_UPDATE_GOLDEN=1 to create it");
        string expected = File.ReadAllText(path).Replace("\r\n", "\n");
        Assert.Equal(expected, actual);
    }

    /// <summary>The repository root (the directory holding Ocht.sln), found above the test assembly.</summary>
    /// <remarks>Not from [CallerFilePath]: CI builds map source paths to "/_/" (ContinuousIntegrationBuild).</remarks>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ocht.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Ocht.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A compiler-recorded source path on disk, undoing the "/_/" path map of CI builds.</summary>
    private static string SourcePath(string caller) =>
        caller.StartsWith("/_/", StringComparison.Ordinal) ? Path.Combine(RepositoryRoot(), caller[3..]) : caller;
}
