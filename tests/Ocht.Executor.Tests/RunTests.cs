using Ocht.Executor;
using Ocht.Values;

namespace Ocht.Executor.Tests;

public class RunTests
{
    [Theory]
    // derive adds two, select none, the second derive one more: room for three.
    [InlineData("""{"op": "filter", "where": [">", ":n", 1]}, {"op": "derive", "fields": {"x": 1, "y": 2}}, {"op": "select", "fields": ["x"]}, {"op": "derive", "fields": {"z": 3}}""", 3)]
    // Replacing a field adds none; what follows an aggregate is not the source's concern.
    [InlineData("""{"op": "derive", "fields": {"n": 1, "w": 2}}, {"op": "aggregate", "by": ["s"], "fields": {"c": ["count"]}}, {"op": "derive", "fields": {"q": 1}}""", 1)]
    [InlineData("""{"op": "sort", "by": [":n"]}, {"op": "derive", "fields": {"q": 1}}""", 0)]
    public void Sources_are_told_how_many_fields_the_steps_after_them_add(string steps, int added)
    {
        var fixture = new Fixture().Input("in", Fixture.Numbers(3));
        Assert.Equal(added, fixture.Plan(Fixture.Doc(steps)).FieldsAddedAfterSource);
    }

    [Fact]
    public async Task A_run_pulls_transforms_and_pushes_with_a_balanced_report()
    {
        var f = new Fixture().Input("in", Fixture.Numbers(10));
        var report = await f.RunAsync(Fixture.Doc("""{"op": "filter", "where": [">", ":n", 4]}, {"op": "derive", "fields": {"d": ["*", ":n", 2]}}"""));
        Assert.True(report.Succeeded, report.Error?.Message);
        Assert.Equal(new RecordCounts(10, 6, 4, 0), report.Records);
        Assert.Equal([(10L, 6L, 4L), (6L, 6L, 0L)], report.Steps.Select(s => (s.In, s.Out, s.Dropped)));
        Assert.Equal(6, f.Committed("out").Count);
        Assert.Equal("""{"n":5,"s":"5","d":10}""", f.Committed("out")[0]);
    }

    [Fact]
    public async Task Acks_follow_durable_writes_only()
    {
        var f = new Fixture().Input("in", Fixture.Numbers(10));
        await f.RunAsync(Fixture.Doc("", """, "options": {"batch_size": 3}""", sink: """{"connector": "memory", "name": "out", "durable": true}"""));
        // A backlog may share one flush, so the acks are some of 1..4 (in order, ending at 4), and the
        // records of every acknowledged batch (3 a batch, 10 in all) were committed before it.
        var acks = f.Store.Acks["in"];
        Assert.Equal(4L, acks[^1]);
        Assert.All(acks.Zip(acks.Skip(1)), p => Assert.True(p.First < p.Second));
        Assert.All(acks.Zip(f.Store.CommittedAtAck["in"]), a => Assert.True(a.Second >= Math.Min(10, 3 * a.First), $"ack {a.First} with {a.Second} records committed"));

        var files = new Fixture().Input("in", Fixture.Numbers(10));
        await files.RunAsync(Fixture.Doc("", """, "options": {"batch_size": 3}"""));
        Assert.Equal([4L], files.Store.Acks["in"]);
    }

    [Fact]
    public async Task Records_held_by_a_sort_are_not_acknowledged_before_they_are_written()
    {
        var f = new Fixture().Input("in", Fixture.Numbers(10));
        await f.RunAsync(Fixture.Doc("""{"op": "sort", "by": [["desc", ":n"]]}""", """, "options": {"batch_size": 3}""", sink: """{"connector": "memory", "name": "out", "durable": true}"""));
        Assert.Equal([4L], f.Store.Acks["in"]);
        Assert.Equal("""{"n":10,"s":"10"}""", f.Committed("out")[0]);
    }

    [Fact]
    public async Task A_window_emits_as_the_stream_runs_and_acknowledges_input_only_below_its_open_windows()
    {
        // One event a minute, 2-minute windows, 3 minutes of lateness, 3 events a batch: after each batch the
        // windows behind the watermark are written, and the source is acknowledged only up to the batch
        // before the one that opened the oldest window still open (a stateless run would ack 1, 2, 3, 4). A backlog
        // may share one flush, so the acks are some of 1, 2, 4 in order, but never 3.
        var events = Enumerable.Range(0, 12).Select(i => Record.Of(("ts", new DateTime(2024, 5, 1, 10, i, 0, DateTimeKind.Utc)), ("n", i)));
        var f = new Fixture().Input("in", events);
        var report = await f.RunAsync(Fixture.Doc("""{"op": "window", "time": ":ts", "size": "2m", "allowed_lateness": "3m", "fields": {"n": ["count"], "sum": ["sum", ":n"]}}""",
            """, "options": {"batch_size": 3}""", sink: """{"connector": "memory", "name": "out", "durable": true}"""));
        Assert.True(report.Succeeded, report.Error?.Message);
        var acks = f.Store.Acks["in"];
        Assert.Equal(4L, acks[^1]);
        Assert.All(acks, a => Assert.Contains(a, new[] { 1L, 2L, 4L }));
        Assert.Equal(acks.Distinct().Order(), acks);
        Assert.Equal(6, f.Committed("out").Count);
        Assert.Equal("""{"window_start":"2024-05-01T10:10:00Z","window_end":"2024-05-01T10:12:00Z","n":2,"sum":21}""", f.Committed("out")[^1]);
        Assert.Equal((12L, 6L, 12L), (report.Steps[0].In, report.Steps[0].Out, report.Steps[0].Merged));
    }

    [Fact]
    public async Task The_fail_policy_stops_at_the_first_rejection_and_commits_nothing()
    {
        var f = new Fixture().Input("in", Fixture.Numbers(20));
        var report = await f.RunAsync(Fixture.Doc("""{"op": "derive", "fields": {"x": ["*", ":s", 1]}}"""));
        Assert.False(report.Succeeded);
        Assert.Equal("type-error", report.Error!.Kind);
        Assert.Contains("line 3, step 0 (derive): x: \"*\" expects a number, but \"x\" is not a number (field \"s\")", report.Error.Message);
        Assert.Empty(f.Committed("out"));
        Assert.Equal(1, f.Store.Output("out").Aborts);
    }

    [Fact]
    public async Task Skip_counts_rejections_and_dead_letter_writes_them_in_the_contract_shape()
    {
        var skip = new Fixture().Input("in", Fixture.Numbers(9));
        var skipped = await skip.RunAsync(Fixture.Doc("""{"op": "derive", "fields": {"x": ["*", ":s", 1]}}""", """, "on_error": {"policy": "skip"}"""));
        Assert.Equal(new RecordCounts(9, 6, 0, 3), skipped.Records);

        var dl = new Fixture().Input("in", Fixture.Numbers(9));
        var report = await dl.RunAsync(Fixture.Doc("""{"op": "derive", "fields": {"x": ["*", ":s", 1]}}""",
            """, "on_error": {"policy": "dead-letter", "sink": {"connector": "memory", "name": "dead"}}"""));
        Assert.True(report.Succeeded);
        Assert.Equal(3, dl.Committed("dead").Count);
        Assert.Equal("""{"record":{"n":3,"s":"x"},"step":0,"op":"derive","error":"type-error","message":"x: \"*\" expects a number, but \"x\" is not a number (field \"s\")","line":3,"source":"memory:in"}""", dl.Committed("dead")[0]);
    }

    [Fact]
    public async Task More_rejections_than_max_fail_the_run()
    {
        var f = new Fixture().Input("in", Fixture.Numbers(30));
        var report = await f.RunAsync(Fixture.Doc("""{"op": "derive", "fields": {"x": ["*", ":s", 1]}}""", """, "on_error": {"policy": "skip", "max": 5}"""));
        Assert.Equal("too-many-rejections", report.Error!.Kind);
        Assert.Contains("6 records were rejected, more than on_error.max (5)", report.Error.Message);
        Assert.Empty(f.Committed("out"));
    }

    [Fact]
    public async Task Abort_cancels_an_unbounded_run_and_commits_nothing()
    {
        var f = new Fixture().Input("in", Fixture.Numbers(5));
        using var abort = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var report = await f.RunAsync(Fixture.Doc("", source: """{"connector": "memory", "name": "in", "unbounded": true}"""), abort.Token);
        Assert.Equal("cancelled", report.Error!.Kind);
        Assert.Empty(f.Committed("out"));
        Assert.Equal(1, f.Store.Output("out").Aborts);
    }

    [Fact]
    public async Task Stop_finishes_what_was_read_and_commits_it()
    {
        var f = new Fixture().Input("in", Fixture.Numbers(5));
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var report = await f.RunAsync(Fixture.Doc("""{"op": "aggregate", "fields": {"n": ["count"]}}""", source: """{"connector": "memory", "name": "in", "unbounded": true}"""), stop: stop.Token);
        Assert.True(report.Succeeded, report.Error?.Message);
        Assert.Equal(["""{"n":5}"""], f.Committed("out"));
    }

    [Fact]
    public async Task A_full_limit_stops_pulling()
    {
        var f = new Fixture().Input("in", Fixture.Numbers(100_000));
        var report = await f.RunAsync(Fixture.Doc("""{"op": "limit", "count": 5}""", """, "options": {"batch_size": 10}"""));
        Assert.True(report.Succeeded);
        Assert.Equal(5, f.Committed("out").Count);
        Assert.True(f.Store.BatchesRead["in"] < 100, $"read {f.Store.BatchesRead["in"]} batches");
        Assert.Equal(report.Records.Read, report.Records.Written + report.Records.Dropped);
    }

    [Fact]
    public async Task A_failing_sink_fails_the_run_and_aborts_the_others()
    {
        var f = new Fixture().Input("in", Fixture.Numbers(50));
        var report = await f.RunAsync($$"""
            {"ocht": 1, "name": "t", "source": {"connector": "memory", "name": "in"}, "options": {"batch_size": 10},
             "sinks": [{"connector": "memory", "name": "a"}, {"connector": "memory", "name": "b", "fail_after": 25}]}
            """);
        Assert.Equal("io-error", report.Error!.Kind);
        Assert.Contains("failed after 25", report.Error.Message);
        Assert.Empty(f.Committed("a"));
        Assert.Equal(1, f.Store.Output("a").Aborts);
    }

    [Fact]
    public async Task A_sink_outage_fails_the_run_as_unavailable_and_acknowledges_nothing_unwritten()
    {
        var f = new Fixture().Input("in", Fixture.Numbers(50));
        var report = await f.RunAsync("""
            {"ocht": 1, "name": "t", "source": {"connector": "memory", "name": "in"}, "options": {"batch_size": 10},
             "sinks": [{"connector": "memory", "name": "a", "fail_after": 25, "outage": true}]}
            """);
        Assert.Equal("unavailable", report.Error!.Kind);
        Assert.Contains("unavailable after 25", report.Error.Message);
        Assert.Empty(f.Committed("a"));
    }

    [Fact]
    public async Task Sinks_with_when_route_records_and_unrouted_records_count_as_dropped()
    {
        var f = new Fixture().Input("in", Fixture.Numbers(10));
        var report = await f.RunAsync("""
            {"ocht": 1, "name": "t", "source": {"connector": "memory", "name": "in"},
             "sinks": [{"connector": "memory", "name": "small", "when": ["<=", ":n", 3]}, {"connector": "memory", "name": "even", "when": ["=", ["%", ":n", 2], 0]}]}
            """);
        Assert.Equal(3, f.Committed("small").Count);
        Assert.Equal(5, f.Committed("even").Count);
        Assert.Equal(new RecordCounts(10, 7, 3, 0), report.Records);
    }

    [Fact]
    public async Task Inline_tests_report_differences()
    {
        var f = new Fixture();
        var plan = f.Plan(Fixture.Doc("""{"op": "derive", "fields": {"d": ["*", ":n", 2]}}""", """
            , "tests": [
              {"name": "doubles", "input": [{"n": 2}], "expect": [{"n": 2, "d": 4}]},
              {"name": "wrong", "input": [{"n": 2}, {"n": "x"}], "expect": [{"n": 2, "d": 5}]},
              {"name": "rejects text", "input": [{"n": 2}, {"n": "x"}], "expect": [{"n": 2, "d": 4}], "rejected": 1},
              {"name": "counts rejections", "input": [{"n": 2}], "expect": [{"n": 2, "d": 4}], "rejected": 1}]
            """));
        var outcomes = await Executor.TestAsync(plan, new RunEnvironment("t", TimeProvider.System));
        Assert.True(outcomes[0].Passed);
        Assert.False(outcomes[1].Passed);
        Assert.Contains("record 1: expected {\"n\":2,\"d\":5}, got {\"n\":2,\"d\":4}", outcomes[1].Differences);
        Assert.Contains(outcomes[1].Differences, d => d.StartsWith("rejected: input record 2, step 0 (derive)"));
        Assert.True(outcomes[2].Passed, string.Join("; ", outcomes[2].Differences));
        Assert.Equal(["expected 1 rejected record, got 0"], outcomes[3].Differences);
    }

    [Fact]
    public async Task Reports_render_as_the_summary_json_of_the_contract()
    {
        var f = new Fixture().Input("in", Fixture.Numbers(3));
        var report = await f.RunAsync(Fixture.Doc("""{"op": "filter", "where": [">", ":n", 1]}"""));
        string json = RunReports.ToJson(report with { DurationMs = 7, Steps = [report.Steps[0] with { Ms = 1 }] });
        Assert.Equal("""{"pipeline":"t","status":"succeeded","records":{"read":3,"written":2,"dropped":1,"rejected":0},"steps":[{"index":0,"op":"filter","in":3,"out":2,"dropped":1,"rejected":0,"ms":1,"merged":0}],"duration_ms":7,"error":null,"run_id":"run-1","sinks":[{"sink":"memory:out","written":2,"rejected":0}]}""", json);
    }
}
