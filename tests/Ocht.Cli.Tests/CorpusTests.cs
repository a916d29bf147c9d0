using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ocht.Cli;
using Ocht.Connectors;
using Ocht.Testkit;

namespace Ocht.Cli.Tests;

/// <summary>
/// The bad-input corpus: one folder per case under corpus/, described by corpus/cases.json. Each case runs
/// the CLI in-process and checks the exit code, message fragments on both streams, fragments of the files
/// the run produced, files it must not have produced, and that nothing printed a stack trace.
/// </summary>
/// <remarks>
/// Manifest entry: <c>{"name", "args", "exit", "stdin"?, "stderr": [...], "stdout": [...],
/// "files": {"path": [...]}, "absent": ["path"]?, "note"?}</c>. "files" must exist and hold every fragment;
/// "absent" paths must not exist after the run; "note" is for people (a case that records a product bug says so).
/// Paths are relative to the case folder; the pipeline argument (args[1]) is made absolute, so connectors
/// resolve their paths against the case folder.
/// </remarks>
public sealed partial class CorpusTests
{
    private static readonly string Corpus = Path.Combine(Golden.RepositoryRoot(), "tests", "Ocht.Cli.Tests", "corpus");

    public sealed record Case(string Name, string[] Args, int Exit, string? Stdin,
        string[] Stderr, string[] Stdout, Dictionary<string, string[]> Files, string[] Absent);

    private static IReadOnlyList<Case> Manifest()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Corpus, "cases.json")));
        var cases = new List<Case>();
        foreach (var c in doc.RootElement.EnumerateArray())
        {
            string[] Strings(string key) => c.TryGetProperty(key, out var a) ? a.EnumerateArray().Select(e => e.GetString()!).ToArray() : [];
            var files = new Dictionary<string, string[]>(StringComparer.Ordinal);
            if (c.TryGetProperty("files", out var f))
                foreach (var p in f.EnumerateObject())
                    files[p.Name] = p.Value.EnumerateArray().Select(e => e.GetString()!).ToArray();
            cases.Add(new Case(
                c.GetProperty("name").GetString()!,
                Strings("args"),
                c.GetProperty("exit").GetInt32(),
                c.TryGetProperty("stdin", out var s) ? s.GetString() : null,
                Strings("stderr"),
                Strings("stdout"),
                files,
                Strings("absent")));
        }
        return cases;
    }

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Manifest()) data.Add(c.Name);
        return data;
    }

    [Fact]
    public void The_manifest_has_at_least_30_cases_each_with_its_own_folder()
    {
        var cases = Manifest();
        Assert.True(cases.Count >= 30, $"the corpus has {cases.Count} cases; at least 30 expected");
        var duplicate = cases.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        Assert.True(duplicate is null, $"case \"{duplicate?.Key}\" appears twice in cases.json");
        foreach (var c in cases)
        {
            Assert.True(Directory.Exists(Path.Combine(Corpus, c.Name)), $"case \"{c.Name}\" has no folder corpus/{c.Name}");
            Assert.True(c.Args.Length > 0, $"case \"{c.Name}\" has no args");
            Assert.True(c.Exit is 0 or 1 or 2, $"case \"{c.Name}\": exit must be 0, 1 or 2");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case_behaves_as_the_manifest_says(string name)
    {
        var c = Manifest().Single(x => x.Name == name);
        string dir = Path.Combine(Corpus, c.Name);
        string outDir = Path.Combine(dir, "out");
        if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);

        var args = (string[])c.Args.Clone();
        if (args.Length > 1 && !args[1].StartsWith('-')) args[1] = Path.Combine(dir, args[1]);
        byte[] stdinBytes = c.Stdin is null ? [] : await File.ReadAllBytesAsync(Path.Combine(dir, c.Stdin));

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var streams = new StandardStreams(() => new MemoryStream(stdinBytes), () => new MemoryStream());
        int code = await CliApp.RunAsync(args, new CliConsole(stdout, stderr, streams, false));
        string err = stderr.ToString(), @out = stdout.ToString();

        var problems = new List<string>();
        if (code != c.Exit) problems.Add($"exit code {code}, expected {c.Exit}");
        foreach (var (stream, text) in new[] { ("stderr", err), ("stdout", @out) })
        {
            if (StackFrame().Match(text) is { Success: true } frame) problems.Add($"{stream} has a stack trace line: {frame.Value.Trim()}");
            if (ExceptionName().Match(text) is { Success: true } ex) problems.Add($"{stream} names an exception type: {ex.Value}");
        }
        foreach (var f in c.Stderr)
            if (!err.Contains(f, StringComparison.Ordinal)) problems.Add($"stderr lacks: {f}");
        foreach (var f in c.Stdout)
            if (!@out.Contains(f, StringComparison.Ordinal)) problems.Add($"stdout lacks: {f}");
        foreach (var (path, fragments) in c.Files)
        {
            string full = Path.Combine(dir, path);
            if (!File.Exists(full))
            {
                problems.Add($"the run did not produce {path}");
                continue;
            }
            string content = (await File.ReadAllTextAsync(full)).Replace("\r\n", "\n");
            foreach (var f in fragments)
                if (!content.Contains(f, StringComparison.Ordinal)) problems.Add($"{path} lacks: {f}");
        }
        foreach (var path in c.Absent)
        {
            string full = Path.Combine(dir, path);
            if (File.Exists(full) || Directory.Exists(full)) problems.Add($"{path} exists but should not");
        }

        if (problems.Count > 0)
        {
            var report = new StringBuilder();
            report.AppendLine($"corpus case {c.Name} ({string.Join(' ', c.Args)}):");
            foreach (var p in problems) report.AppendLine("  - " + p);
            report.AppendLine("--- stdout ---").AppendLine(@out);
            report.AppendLine("--- stderr ---").AppendLine(err);
            foreach (var path in c.Files.Keys.Where(p => File.Exists(Path.Combine(dir, p))))
                report.AppendLine($"--- {path} ---").AppendLine(File.ReadAllText(Path.Combine(dir, path)));
            Assert.Fail(report.ToString());
        }
    }

    /// <summary>A .NET stack frame: "   at Namespace.Type.Method(...)".</summary>
    [GeneratedRegex(@"^\s+at \S+\(", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    /// <summary>An exception type name such as NullReferenceException or System.IO.IOException.</summary>
    [GeneratedRegex(@"\b[A-Z]\w*Exception\b")]
    private static partial Regex ExceptionName();
}
