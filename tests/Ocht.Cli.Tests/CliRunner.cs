using System.Text;
using System.Text.RegularExpressions;
using Ocht.Cli;
using Ocht.Connectors;
using Ocht.Testkit;

namespace Ocht.Cli.Tests;

/// <summary>Runs the CLI in-process with captured streams, and normalises what varies between runs.</summary>
internal static partial class CliRunner
{
    public static readonly string Root = Golden.RepositoryRoot();

    public static string Example(string name) => Path.Combine(Root, "examples", name, "pipeline.json");

    public static async Task<(int Code, string Out, string Err, string Data)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var data = new MemoryStream();
        var streams = new StandardStreams(() => new MemoryStream(), () => data);
        int code = await CliApp.RunAsync(args, new CliConsole(stdout, stderr, streams, ErrorIsTerminal: false));
        return (code, Normalize(stdout.ToString()), Normalize(stderr.ToString()), Encoding.UTF8.GetString(data.ToArray()));
    }

    /// <summary>Durations, run ids and this checkout's path differ between runs; golden files hold placeholders.</summary>
    public static string Normalize(string text)
    {
        text = text.Replace(Root, "<root>");
        text = MsJson().Replace(text, "\"$1\":0");
        text = RunId().Replace(text, "\"run_id\":\"<run>\"");
        text = Seconds().Replace(text, "in 0.00 s (run <run>)");
        return Ms().Replace(text, "(0 ms)");
    }

    [GeneratedRegex("\"(ms|duration_ms)\":\\d+")]
    private static partial Regex MsJson();

    [GeneratedRegex("\"run_id\":\"[0-9a-f]+\"")]
    private static partial Regex RunId();

    [GeneratedRegex(@"in \d+\.\d\d s \(run [0-9a-f]+\)")]
    private static partial Regex Seconds();

    [GeneratedRegex(@"\([\d,]+ ms\)")]
    private static partial Regex Ms();
}
