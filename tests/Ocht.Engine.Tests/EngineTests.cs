using System.Text;
using FsCheck.Fluent;
using Ocht.Engine;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Engine.Tests;

public sealed class EngineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ocht-engine-").FullName;

    private string Write(string relative, string text)
    {
        string path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Relative_paths_resolve_against_the_pipeline_file_not_the_working_directory()
    {
        Write("job/data/in.csv", "id,name\n1,a\n2,b\n");
        string pipeline = Write("job/p.json", """
            {"ocht": 1, "name": "copy", "source": {"connector": "csv", "path": "data/in.csv"}, "sink": {"connector": "jsonl", "path": "out/o.jsonl"}}
            """);
        using var engine = new Engine();
        var report = await engine.RunAsync(engine.Load(pipeline).Plan!);
        Assert.True(report.Succeeded, report.Error?.Message);
        Assert.Equal("{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\"}\n", File.ReadAllText(Path.Combine(_dir, "job/out/o.jsonl")));
    }

    [Fact]
    public async Task A_failed_run_leaves_no_output_and_no_temporary_files()
    {
        Write("data/in.csv", "id,qty\n1,2\n2,x\n");
        Write("out/o.csv", "previous output\n");
        string pipeline = Write("p.json", """
            {"ocht": 1, "name": "f", "source": {"connector": "csv", "path": "data/in.csv", "types": {"qty": "string"}},
             "steps": [{"op": "derive", "fields": {"d": ["*", ":qty", 2]}}], "sink": {"connector": "csv", "path": "out/o.csv"}}
            """);
        using var engine = new Engine();
        var report = await engine.RunAsync(engine.Load(pipeline).Plan!);
        Assert.Equal("type-error", report.Error!.Kind);
        Assert.Equal("previous output\n", File.ReadAllText(Path.Combine(_dir, "out/o.csv")));
        Assert.Equal(["o.csv"], Directory.GetFiles(Path.Combine(_dir, "out")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_sort_that_spills_removes_its_temporary_files()
    {
        var rows = new StringBuilder("id,key\n");
        for (int i = 0; i < 60_000; i++) rows.Append(i).Append(',').Append((i * 7919) % 10007).Append('\n');
        Write("in.csv", rows.ToString());
        string spill = Directory.CreateDirectory(Path.Combine(_dir, "spill")).FullName;
        string pipeline = Write("p.json", """
            {"ocht": 1, "name": "s", "source": {"connector": "csv", "path": "in.csv"}, "steps": [{"op": "sort", "by": [":key", ":id"]}],
             "sink": {"connector": "csv", "path": "out.csv"}, "options": {"memory_mb": 16}}
            """);
        using var engine = new Engine(new EngineOptions { SpillDirectory = spill });
        var report = await engine.RunAsync(engine.Load(pipeline).Plan!);
        Assert.True(report.Succeeded, report.Error?.Message);
        Assert.Empty(Directory.GetFileSystemEntries(spill));
        var keys = File.ReadLines(Path.Combine(_dir, "out.csv")).Skip(1).Select(l => int.Parse(l.Split(',')[1])).ToArray();
        Assert.Equal(60_000, keys.Length);
        Assert.Equal(keys.Order(), keys);
    }

    [Fact]
    public void The_same_document_and_input_give_byte_identical_output() =>
        Properties.Check(Prop.ForAll(Generators.Records(Generators.Scalar, 60).ToArbitrary(), records =>
        {
            string run = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(run);
            File.WriteAllLines(Path.Combine(run, "in.jsonl"), records.Select(r => r.ToString()));
            File.WriteAllText(Path.Combine(run, "p.json"), """
                {"ocht": 1, "name": "d", "source": {"connector": "jsonl", "path": "in.jsonl"},
                 "steps": [{"op": "derive", "fields": {"x": ["*", ":n", 3]}}, {"op": "sort", "by": [":s", ":t"]},
                           {"op": "aggregate", "by": ["s"], "fields": {"n": ["count"], "sum": ["sum", ":x"], "last": ["last", ":t"]}}],
                 "sink": {"connector": "csv", "path": "out.csv"}, "on_error": {"policy": "skip"}, "options": {"batch_size": 7}}
                """);
            using var engine = new Engine();
            var plan = engine.Load(Path.Combine(run, "p.json")).Plan!;
            engine.RunAsync(plan).GetAwaiter().GetResult();
            byte[] first = File.ReadAllBytes(Path.Combine(run, "out.csv"));
            engine.RunAsync(plan).GetAwaiter().GetResult();
            return first.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(run, "out.csv")));
        }), 25);

    [Fact]
    public async Task A_csv_dead_letter_sink_takes_unreadable_rows_and_rejected_records_alike()
    {
        Write("in.csv", "id,qty\n1,2\n2,x\"y\n3,oops\n");
        string pipeline = Write("p.json", """
            {"ocht": 1, "name": "dl", "source": {"connector": "csv", "path": "in.csv", "types": {"qty": "string"}},
             "steps": [{"op": "derive", "fields": {"d": ["*", ":qty", 2]}}], "sink": {"connector": "csv", "path": "out.csv"},
             "on_error": {"policy": "dead-letter", "sink": {"connector": "csv", "path": "dead.csv"}}}
            """);
        using var engine = new Engine();
        var report = await engine.RunAsync(engine.Load(pipeline).Plan!);
        Assert.True(report.Succeeded, report.Error?.Message);
        var dead = File.ReadAllLines(Path.Combine(_dir, "dead.csv"));
        Assert.Equal("record,raw,step,op,error,message,line,source", dead[0]);
        Assert.Equal(3, dead.Length);
        Assert.StartsWith(",\"2,x\"\"y\",,source,parse-error,", dead[1]);
        Assert.StartsWith("\"{\"\"id\"\":3,\"\"qty\"\":\"\"oops\"\"}\",,0,derive,type-error,", dead[2]);
    }

    [Fact]
    public async Task An_empty_result_still_gets_its_csv_header_when_the_fields_are_known()
    {
        Write("in.csv", "id,qty\n1,2\n");
        string pipeline = Write("p.json", """
            {"ocht": 1, "name": "none", "source": {"connector": "csv", "path": "in.csv"},
             "steps": [{"op": "filter", "where": [">", ":qty", 100]}, {"op": "select", "fields": ["qty", "id"]}], "sink": {"connector": "csv", "path": "out.csv"}}
            """);
        using var engine = new Engine();
        Assert.True((await engine.RunAsync(engine.Load(pipeline).Plan!)).Succeeded);
        Assert.Equal("qty,id\n", File.ReadAllText(Path.Combine(_dir, "out.csv")));
    }

    [Fact]
    public async Task A_record_refused_by_several_sinks_counts_once()
    {
        Write("in.jsonl", "{\"a\":1}\n{\"a\":2}\n{\"a\":3,\"x\":1}\n{\"a\":4,\"y\":1}\n");
        string pipeline = Write("p.json", """
            {"ocht": 1, "name": "two", "source": {"connector": "jsonl", "path": "in.jsonl"}, "on_error": {"policy": "skip"},
             "sinks": [{"connector": "csv", "path": "a.csv", "when": ["!=", ":a", 4]}, {"connector": "csv", "path": "b.csv", "when": ["!=", ":a", 3]}]}
            """);
        using var engine = new Engine();
        var report = await engine.RunAsync(engine.Load(pipeline).Plan!);
        Assert.Equal(new Ocht.Executor.RecordCounts(4, 2, 0, 2), report.Records);
        Assert.Equal([(2L, 1L), (2L, 1L)], report.Sinks.Select(s => (s.Written, s.Rejected)));
    }

    [Fact]
    public void A_missing_pipeline_file_is_a_diagnostic()
    {
        using var engine = new Engine();
        var result = engine.Load(Path.Combine(_dir, "nope.json"));
        Assert.Contains("cannot read the pipeline: file not found", Assert.Single(result.Diagnostics).Message);
    }

    [Fact]
    public void A_window_over_a_jsonl_file_gives_the_same_windows_and_dead_letters_whatever_the_batch_size()
    {
        // Events about 1.3 s apart, up to two minutes out of order (some late), some without a time.
        var lines = new StringBuilder();
        for (int i = 0; i < 3000; i++)
        {
            long ms = 1_714_557_600_000L + i * 1300L - (i * 7919 % 13 == 0 ? (i * 31 % 120) * 1000L : 0);
            string ts = i % 97 == 0 ? "null" : i % 2 == 0 ? ms.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : $"\"{DateTime.UnixEpoch.AddMilliseconds(ms):yyyy-MM-ddTHH:mm:ss.fffZ}\"";
            lines.Append($$"""{"ts":{{ts}},"k":"{{"abc"[i % 3]}}","v":{{i % 17}}}""").Append('\n');
        }
        Write("in.jsonl", lines.ToString());
        string Run(int batchSize)
        {
            string pipeline = Write($"p{batchSize}.json", $$$"""
                {"ocht": 1, "name": "w", "source": {"connector": "jsonl", "path": "in.jsonl"},
                 "steps": [{"op": "window", "time": ":ts", "size": "1m", "slide": "20s", "allowed_lateness": "30s", "by": ["k"],
                            "fields": {"n": ["count"], "sum": ["sum", ":v"], "last": ["last", ":v"]}}],
                 "sink": {"connector": "jsonl", "path": "out{{{batchSize}}}.jsonl"},
                 "on_error": {"policy": "dead-letter", "sink": {"connector": "jsonl", "path": "dead{{{batchSize}}}.jsonl"}},
                 "options": {"batch_size": {{{batchSize}}}}}
                """);
            using var engine = new Engine();
            var report = engine.RunAsync(engine.Load(pipeline).Plan!).GetAwaiter().GetResult();
            Assert.True(report.Succeeded, report.Error?.Message);
            Assert.Equal(3000, report.Steps[0].Merged + report.Steps[0].Rejected);
            return File.ReadAllText(Path.Combine(_dir, $"out{batchSize}.jsonl")) + "--\n" + File.ReadAllText(Path.Combine(_dir, $"dead{batchSize}.jsonl"));
        }
        string whole = Run(4096);
        Assert.Equal(whole, Run(1));
        Assert.Equal(whole, Run(37));
        Assert.Contains("\"error\":\"late\"", whole);
        Assert.Contains("time: the event time is null", whole);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
