using System.Diagnostics;
using System.Text;

namespace Ocht.Cli.Tests;

/// <summary>The real executable in its own process: streaming from a still-open stdin, and Ctrl-C.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ocht-process-").FullName;

    private Process Start(string pipelineJson, params string[] extra)
    {
        File.WriteAllText(Path.Combine(_dir, "p.json"), pipelineJson);
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dir,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ocht.dll"));
        foreach (var a in new[] { "run", "p.json" }.Concat(extra)) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    [Fact]
    public async Task Jsonl_from_stdin_is_written_to_stdout_while_stdin_is_still_open()
    {
        using var p = Start("""
            {"ocht": 1, "name": "live", "source": {"connector": "jsonl", "path": "-"},
             "steps": [{"op": "derive", "fields": {"double": ["*", ":n", 2]}}], "sink": {"connector": "jsonl", "path": "-"}}
            """);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.StandardInput.WriteLineAsync("{\"n\": 21}");
        await p.StandardInput.FlushAsync();
        string? first = await p.StandardOutput.ReadLineAsync(timeout.Token);
        Assert.Equal("{\"n\":21,\"double\":42}", first);
        Assert.False(p.HasExited);
        await p.StandardInput.WriteLineAsync("{\"n\": 1}");
        p.StandardInput.Close();
        Assert.Equal("{\"n\":1,\"double\":2}", await p.StandardOutput.ReadLineAsync(timeout.Token));
        await p.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, p.ExitCode);
    }

    [Fact]
    public async Task Ctrl_c_stops_the_run_and_commits_nothing()
    {
        using var p = Start("""
            {"ocht": 1, "name": "interrupted", "source": {"connector": "jsonl", "path": "-"}, "sink": {"connector": "csv", "path": "out/o.csv"}}
            """, "--verbose");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.StandardInput.WriteLineAsync("{\"n\": 1}");
        await p.StandardInput.FlushAsync();
        while (!(await p.StandardError.ReadLineAsync(timeout.Token))!.Contains("batch 1 pushed")) { }
        using (var kill = Process.Start("kill", ["-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync(timeout.Token);
        string rest = await p.StandardError.ReadToEndAsync(timeout.Token);
        await p.WaitForExitAsync(timeout.Token);
        Assert.Equal(1, p.ExitCode);
        Assert.Contains("error: cancelled: the run was cancelled; nothing was committed", rest);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")) && Directory.EnumerateFileSystemEntries(Path.Combine(_dir, "out")).Any(), "no output or temporary file may remain");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
