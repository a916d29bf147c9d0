using System.Diagnostics;

namespace Ocht.Workspace;

/// <summary>What changes are measured against: a commit-ish and how to say which one it is.</summary>
internal sealed record Baseline(string Revision, string Description);

/// <summary>The few git questions the tool asks, answered by the git command line.</summary>
internal static class Git
{
    public const string StableTagPattern = "stable-*";

    /// <summary>The given revision; without one the latest stable-* tag; without such a tag the root commit.</summary>
    public static Baseline Resolve(string root, string? since)
    {
        if (since is not null)
        {
            Run(root, "rev-parse", "--verify", "--quiet", since + "^{commit}");
            return new Baseline(since, since);
        }
        string? tag = Lines(Run(root, "tag", "--list", StableTagPattern, "--sort=-creatordate")).FirstOrDefault();
        if (tag is not null) return new Baseline(tag, $"{tag} (the latest {StableTagPattern} tag)");
        string first = Lines(Run(root, "rev-list", "--max-parents=0", "HEAD")).Last();
        return new Baseline(first, $"{first[..7]} (no {StableTagPattern} tag yet, so the root commit)");
    }

    /// <summary>Files that differ from <paramref name="revision"/> in the working tree (committed or not), and
    /// new files git does not ignore; paths relative to <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> ChangedFiles(string root, string revision) =>
        Lines(Run(root, "diff", "--name-only", "--relative", revision, "--"))
            .Concat(Lines(Run(root, "ls-files", "--others", "--exclude-standard")))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Run(string root, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var git = Process.Start(start) ?? throw new WorkspaceException("cannot start git");
        var error = git.StandardError.ReadToEndAsync();
        string output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        if (git.ExitCode != 0)
            throw new WorkspaceException($"git {string.Join(' ', args)} failed{(error.Result.Trim() is { Length: > 0 } e ? ": " + e : "")}");
        return output;
    }
}
