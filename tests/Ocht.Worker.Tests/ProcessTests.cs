using System.Text;
using Ocht.Cli;
using Ocht.Connectors;

namespace Ocht.Worker.Tests;

/// <summary>The real worker in its own process, over real files.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ocht-worker-").FullName;

    private string Write(string relative, string text)
    {
        string path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private const string OrdersCsv = """
        order_id,country,status,quantity,unit_price
        1,GB,paid,5,2.50
        2,US,open,7,1.00
        3,GB,paid,1,9.99
        4,DE,paid,12,0.75
        5,US,paid,x,1.00
        """;

    private const string PaidOrders = """
        {"ocht": 1, "name": "paid", "source": {"connector": "csv", "path": "../data/orders.csv"},
         "steps": [{"op": "filter", "where": ["=", ":status", "paid"]},
                   {"op": "derive", "fields": {"total": ["*", ":quantity", ":unit_price"]}}],
         "sink": {"connector": "csv", "path": "../out/paid.csv"},
         "on_error": {"policy": "dead-letter", "sink": {"connector": "jsonl", "path": "../out/rejects.jsonl"}}}
        """;

    private const string EventsByCountry = """
        {"ocht": 1, "name": "events", "source": {"connector": "jsonl", "path": "../data/events.jsonl"},
         "steps": [{"op": "aggregate", "by": ["country"], "fields": {"n": ["count"]}}],
         "sink": {"connector": "jsonl", "path": "../out/countries.jsonl"}}
        """;

    private const string EventsJsonl = """
        {"country": "GB", "kind": "click"}
        {"country": "US", "kind": "view"}
        {"country": "GB", "kind": "view"}
        """;

    /// <summary>Two documents in a folder, with their data, under <paramref name="root"/>.</summary>
    private void Workspace(string root)
    {
        Write($"{root}/data/orders.csv", OrdersCsv);
        Write($"{root}/data/events.jsonl", EventsJsonl);
        Write($"{root}/pipelines/paid.json", PaidOrders);
        Write($"{root}/pipelines/events.json", EventsByCountry);
    }

    [Fact]
    public async Task Bounded_pipelines_of_a_folder_run_and_exit_0_with_the_output_of_ocht_run()
    {
        Workspace("worker");
        Workspace("cli");
        var (code, log) = await WorkerProcess.RunAsync(_dir, ["worker/pipelines"]);
        Assert.True(code == 0, log);
        foreach (string doc in new[] { "paid", "events" })
        {
            var console = new CliConsole(new StringWriter(), new StringWriter(), new StandardStreams(() => new MemoryStream(), () => new MemoryStream()), false);
            Assert.Equal(0, await CliApp.RunAsync(["run", Path.Combine(_dir, "cli/pipelines", doc + ".json")], console));
        }
        foreach (string output in new[] { "paid.csv", "rejects.jsonl", "countries.jsonl" })
        {
            string expected = File.ReadAllText(Path.Combine(_dir, "cli/out", output));
            Assert.NotEmpty(expected);
            Assert.Equal(expected, File.ReadAllText(Path.Combine(_dir, "worker/out", output)));
        }
        Assert.Matches(@"\[paid run \w+\] summary paid: finished after 0 restarts; last run \w+: read 5, written 3, dropped 1, rejected 1", log);
        Assert.Matches(@"\[events run \w+\] summary events: finished after 0 restarts; last run \w+: read 3, written 2", log);
    }

    [Fact]
    public async Task Sigterm_stops_an_unbounded_pipeline_and_commits_everything_pulled_so_far()
    {
        Write("live.json", """
            {"ocht": 1, "name": "live", "source": {"connector": "jsonl", "path": "-"},
             "steps": [{"op": "derive", "fields": {"double": ["*", ":n", 2]}}], "sink": {"connector": "jsonl", "path": "out/live.jsonl"}}
            """);
        using var worker = new WorkerProcess(_dir, ["live.json", "--Serilog:MinimumLevel:Default", "Debug"]);
        const int lines = 50;
        for (int i = 1; i <= lines; i++)
        {
            await worker.Input.WriteLineAsync($"{{\"n\": {i}}}");
            if (i % 10 == 0) await worker.Input.FlushAsync();
        }
        // Every record pushed to the sink (not yet committed: a file is renamed into place on commit).
        await worker.WaitForLogAsync(log => log.Where(l => l.Contains(" pushed: ")).Sum(PushedRecords) == lines);
        Assert.False(File.Exists(Path.Combine(_dir, "out/live.jsonl")));
        worker.Signal("TERM");
        int code = await worker.ExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(code == 0, worker.Log);
        var written = File.ReadAllLines(Path.Combine(_dir, "out/live.jsonl"));
        Assert.Equal(Enumerable.Range(1, lines).Select(i => $"{{\"n\":{i},\"double\":{2 * i}}}"), written);
        Assert.Contains($"summary live: stopped after 0 restarts", worker.Log);
        Assert.Contains($"read {lines}, written {lines}", worker.Log);
        Assert.Contains("worker stopped", worker.Log);
    }

    private static long PushedRecords(string line)
    {
        // "... batch 3 pushed: 10 records"
        string tail = line[(line.IndexOf(" pushed: ", StringComparison.Ordinal) + 9)..];
        return long.Parse(tail[..tail.IndexOf(' ')], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Bad_documents_keep_the_worker_from_starting_with_every_diagnostic_and_exit_2()
    {
        Workspace("w");
        Write("w/pipelines/broken.json", """
            {"ocht": 1, "name": "broken", "source": {"connector": "jsonl", "path": "x.jsonl"},
             "steps": [{"op": "filtr", "where": true}], "sink": {"connector": "csvv", "path": "o.csv"}}
            """);
        var (code, log) = await WorkerProcess.RunAsync(_dir, ["w/pipelines"]);
        Assert.Equal(2, code);
        Assert.Contains("w/pipelines/broken.json:2:", log);
        Assert.Contains("filtr", log);
        Assert.Contains("did you mean \"filter\"", log);
        Assert.Contains("csvv", log);
        Assert.Contains("the worker did not start", log);
        Assert.False(Directory.Exists(Path.Combine(_dir, "w/out")), "no pipeline may run when one document is invalid");
    }

    [Fact]
    public async Task A_failing_pipeline_stops_the_worker_with_exit_1_and_a_clear_error()
    {
        Write("data/in.jsonl", "{\"n\": 1}\nnot json\n{\"n\": 3}\n");
        Write("strict.json", """
            {"ocht": 1, "name": "strict", "source": {"connector": "jsonl", "path": "data/in.jsonl"},
             "sink": {"connector": "jsonl", "path": "out/o.jsonl"}, "on_error": {"policy": "fail"}}
            """);
        var (code, log) = await WorkerProcess.RunAsync(_dir, ["strict.json"]);
        Assert.Equal(1, code);
        Assert.Contains("strict (strict.json) stopped the worker: run ", log);
        Assert.Contains("line 2", log);
        Assert.Contains("resumes from its last committed position", log);
        Assert.False(File.Exists(Path.Combine(_dir, "out/o.jsonl")), "a failed run commits nothing");
    }

    [Fact]
    public async Task Settings_come_from_appsettings_then_environment_then_command_line()
    {
        Write("data/in.jsonl", "{\"n\": 1}\n");
        Write("p.json", """
            {"ocht": 1, "name": "p", "source": {"connector": "jsonl", "path": "data/in.jsonl"},
             "sink": {"connector": "jsonl", "path": "out/${layer}.jsonl"}}
            """);
        Write("appsettings.json", """{"Ocht": {"Pipelines": ["p.json"], "Vars": {"layer": "appsettings"}}}""");
        var env = new Dictionary<string, string> { ["Ocht__Vars__layer"] = "environment" };

        Assert.Equal(0, (await WorkerProcess.RunAsync(_dir, [])).Code);
        Assert.True(File.Exists(Path.Combine(_dir, "out/appsettings.jsonl")));
        Assert.Equal(0, (await WorkerProcess.RunAsync(_dir, [], env)).Code);
        Assert.True(File.Exists(Path.Combine(_dir, "out/environment.jsonl")));
        Assert.Equal(0, (await WorkerProcess.RunAsync(_dir, ["--var", "layer=command-line"], env)).Code);
        Assert.True(File.Exists(Path.Combine(_dir, "out/command-line.jsonl")));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(_dir, "out")).Length);
    }

    [Fact]
    public async Task A_misspelt_setting_is_refused_with_exit_2()
    {
        Write("appsettings.json", """{"Ocht": {"Retry": {"MaxAtempts": 3}}}""");
        var (code, log) = await WorkerProcess.RunAsync(_dir, ["p.json"]);
        Assert.Equal(2, code);
        Assert.Contains("MaxAtempts", log);
    }

    [Fact]
    public async Task Json_log_format_writes_one_object_per_event_with_pipeline_and_run_id()
    {
        Write("data/in.jsonl", "{\"n\": 1}\n");
        Write("p.json", """{"ocht": 1, "name": "p", "source": {"connector": "jsonl", "path": "data/in.jsonl"}, "sink": {"connector": "jsonl", "path": "out/o.jsonl"}}""");
        var (code, log) = await WorkerProcess.RunAsync(_dir, ["p.json", "--Ocht:LogFormat=json"]);
        Assert.True(code == 0, log);
        var events = log.Split('\n').Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToArray();
        var started = Assert.Single(events, e => e.GetProperty("RenderedMessage").GetString() == "run of p started");
        Assert.Equal("p", started.GetProperty("Properties").GetProperty("Pipeline").GetString());
        Assert.Matches("^[0-9a-f]{12}$", started.GetProperty("Properties").GetProperty("RunId").GetString());
        Assert.Contains(events, e => e.GetProperty("RenderedMessage").GetString()!.StartsWith("summary p: finished", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
