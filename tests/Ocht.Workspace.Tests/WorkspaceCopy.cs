using System.Diagnostics;
using Ocht.Testkit;

namespace Ocht.Workspace.Tests;

/// <summary>A copy of this repository's workspace (workspace.json, build files, csproj files and sources)
/// in a temporary folder, to inject violations into and run the workspace tool over.</summary>
internal sealed class WorkspaceCopy : IDisposable
{
    private static readonly string[] Folders = ["components", "bases", "projects", "tests", "development"];
    private static readonly string[] Extensions = [".cs", ".csproj", ".props", ".csx"];

    public WorkspaceCopy()
    {
        Root = Directory.CreateTempSubdirectory("ocht-workspace-").FullName;
        string source = Golden.RepositoryRoot();
        foreach (string file in new[] { "workspace.json", "Directory.Build.props", "Directory.Packages.props" })
            File.Copy(Path.Combine(source, file), Path.Combine(Root, file));
        foreach (string folder in Folders)
            foreach (string file in Directory.EnumerateFiles(Path.Combine(source, folder), "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(source, file);
                if (!Extensions.Contains(Path.GetExtension(file)) || relative.Split(Path.DirectorySeparatorChar).Any(s => s is "obj" or "bin")) continue;
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Root, relative))!);
                File.Copy(file, Path.Combine(Root, relative));
            }
    }

    public string Root { get; }

    public IReadOnlyList<Problem> Check() => Workspace.Check(Root);

    public void Write(string relative, string text)
    {
        string path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    /// <summary>Appends a line to a file; returns its line number.</summary>
    public int Append(string relative, string line)
    {
        string text = Read(relative).TrimEnd('\n') + "\n";
        Write(relative, text + line + "\n");
        return text.Count(c => c == '\n') + 1;
    }

    /// <summary>Adds an item to the first ItemGroup of a csproj; returns its line number.</summary>
    public int AddItem(string csproj, string item)
    {
        string text = Read(csproj);
        int at = text.IndexOf("<ItemGroup>\n", StringComparison.Ordinal) + "<ItemGroup>\n".Length;
        Write(csproj, text[..at] + "    " + item + "\n" + text[at..]);
        return text[..at].Count(c => c == '\n') + 1;
    }

    /// <summary>The line number of the first line containing <paramref name="text"/>.</summary>
    public int LineOf(string relative, string text) =>
        Read(relative).Split('\n').Select((line, i) => (line, i)).First(l => l.line.Contains(text, StringComparison.Ordinal)).i + 1;

    public void Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "init.defaultBranch=main" }.Concat(args))
            start.ArgumentList.Add(arg);
        using var git = Process.Start(start)!;
        string error = git.StandardError.ReadToEnd();
        git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', args)}: {error}");
    }

    /// <summary>Makes the copy a git repository with one commit of everything.</summary>
    public void Commit(string message = "snapshot")
    {
        if (!Directory.Exists(Path.Combine(Root, ".git"))) Git("init", "-q");
        Git("add", "-A");
        Git("commit", "-q", "-m", message);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
