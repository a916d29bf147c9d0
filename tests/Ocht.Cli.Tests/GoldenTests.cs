using Ocht.Testkit;

namespace Ocht.Cli.Tests;

/// <summary>What the CLI prints, kept as golden files (update with OCHT_UPDATE_GOLDEN=1, then review the diff).</summary>
public class GoldenTests
{
    [Fact]
    public async Task Run_prints_the_summary_json_of_the_contract_on_stdout()
    {
        var (code, stdout, stderr, _) = await CliRunner.RunAsync("run", CliRunner.Example("paid-orders"), "--summary", "json");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Golden.Verify("run-summary.json", stdout);
    }

    [Fact]
    public async Task Run_prints_a_readable_summary_on_stderr()
    {
        var (code, stdout, stderr, _) = await CliRunner.RunAsync("run", CliRunner.Example("paid-orders"));
        Assert.Equal(0, code);
        Assert.Equal("", stdout);
        Golden.Verify("run-summary.txt", stderr);
        Golden.Verify("paid-orders-out.csv", File.ReadAllText(Path.Combine(CliRunner.Root, "examples/paid-orders/out/paid.csv")));
    }

    [Fact]
    public async Task Validate_reports_every_problem_with_pointer_position_and_suggestion()
    {
        string typos = Path.Combine(CliRunner.Root, "tests/Ocht.Cli.Tests/cases/typos.json");
        var (code, stdout, stderr, _) = await CliRunner.RunAsync("validate", typos);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("<root>/tests/Ocht.Cli.Tests/cases/typos.json:7:13: /steps/0/op: unknown operator \"fitler\"; did you mean \"filter\"?", stderr);
        Golden.Verify("validate-typos.txt", stderr);
    }

    [Fact]
    public async Task Validate_accepts_a_good_document()
    {
        var (code, stdout, _, _) = await CliRunner.RunAsync("validate", CliRunner.Example("paid-orders"));
        Assert.Equal(0, code);
        Assert.EndsWith("pipeline.json: valid (paid-orders: csv -> 3 steps -> csv)\n", stdout.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task Explain_shows_the_plan()
    {
        var (code, stdout, _, _) = await CliRunner.RunAsync("explain", CliRunner.Example("paid-orders"), "--var", "min_qty=7");
        Assert.Equal(0, code);
        Golden.Verify("explain.txt", stdout);
    }

    [Fact]
    public async Task Test_runs_the_inline_tests()
    {
        var (code, stdout, _, _) = await CliRunner.RunAsync("test", CliRunner.Example("paid-orders"));
        Assert.Equal(0, code);
        Golden.Verify("test.txt", stdout);
    }

    [Fact]
    public async Task List_shows_the_catalog()
    {
        var (code, stdout, _, _) = await CliRunner.RunAsync("list");
        Assert.Equal(0, code);
        Golden.Verify("list.txt", stdout);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("run")]
    [InlineData("run x.json --summary yaml")]
    [InlineData("list widgets")]
    [InlineData("run x.json --var novalue")]
    public async Task Usage_errors_exit_2_with_one_readable_line(string commandLine)
    {
        var (code, _, stderr, _) = await CliRunner.RunAsync(commandLine.Split(' '));
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Summary_json_and_a_stdout_sink_cannot_share_standard_output()
    {
        string dir = Directory.CreateTempSubdirectory("ocht-cli-").FullName;
        File.WriteAllText(Path.Combine(dir, "in.jsonl"), "{\"a\":1}\n");
        File.WriteAllText(Path.Combine(dir, "p.json"), """{"ocht": 1, "name": "p", "source": {"connector": "jsonl", "path": "in.jsonl"}, "sink": {"connector": "jsonl", "path": "-"}}""");
        var (code, _, stderr, data) = await CliRunner.RunAsync("run", Path.Combine(dir, "p.json"), "--summary", "json");
        Assert.Equal(2, code);
        Assert.Contains("--summary json prints on standard output", stderr);
        var ok = await CliRunner.RunAsync("run", Path.Combine(dir, "p.json"));
        Assert.Equal((0, "{\"a\":1}\n"), (ok.Code, ok.Data));
        Directory.Delete(dir, recursive: true);
    }
}
