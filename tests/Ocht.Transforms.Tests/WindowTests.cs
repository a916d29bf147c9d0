using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Transforms.Tests;

public class WindowTests
{
    private static readonly DateTime Ten = new(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc);

    /// <summary>An event at 10:00 plus <paramref name="seconds"/>, its time as ISO-8601 text.</summary>
    private static Record At(double seconds, string? key = "a", Value value = default) =>
        Record.Of(("ts", Ten.AddSeconds(seconds).ToString("yyyy-MM-ddTHH:mm:ss.fffZ")), ("k", key), ("v", value));

    private static string Window(string start, string end, string rest) =>
        $$"""{"window_start":"2024-05-01T{{start}}Z","window_end":"2024-05-01T{{end}}Z",{{rest}}}""";

    [Fact]
    public void Tumbling_windows_aggregate_the_records_of_each_window()
    {
        var h = Harness.Run("""{"op": "window", "time": ":ts", "size": "1m", "fields": {"n": ["count"], "total": ["sum", ":v"]}}""",
            [At(5, value: 1), At(30, value: 2), At(70, value: 10), At(179, value: null)]);
        Assert.Equal(
        [
            Window("10:00:00", "10:01:00", "\"n\":2,\"total\":3"),
            Window("10:01:00", "10:02:00", "\"n\":1,\"total\":10"),
            Window("10:02:00", "10:03:00", "\"n\":1,\"total\":null"),
        ], h.Json);
        Assert.Equal(4, h.Merged);
        Assert.True(h.Balances(aggregating: true));
        Assert.Null(h.HeldAtEnd);
    }

    [Fact]
    public void A_record_counts_in_size_over_slide_sliding_windows_emitted_by_end()
    {
        var h = Harness.Run("""{"op": "window", "time": ":ts", "size": "1m", "slide": "30s", "fields": {"n": ["count"], "ids": ["sum", ":v"]}}""",
            [At(10, value: 1), At(40, value: 2)]);
        Assert.Equal(
        [
            Window("09:59:30", "10:00:30", "\"n\":1,\"ids\":1"),
            Window("10:00:00", "10:01:00", "\"n\":2,\"ids\":3"),
            Window("10:00:30", "10:01:30", "\"n\":1,\"ids\":2"),
        ], h.Json);
        Assert.True(h.Balances(aggregating: true));
    }

    [Fact]
    public void Groups_follow_the_window_and_appear_in_order_of_first_appearance_in_it()
    {
        var h = Harness.Run("""{"op": "window", "time": ":ts", "size": "1m", "by": ["k"], "fields": {"n": ["count"], "last": ["last", ":v"]}}""",
            [At(1, "b", 1), At(2, "a", 2), At(3, "b", 3), At(61, "a", 4), At(62, null, 5), At(63, "b", 6), At(64, null, 7)]);
        Assert.Equal(
        [
            Window("10:00:00", "10:01:00", "\"k\":\"b\",\"n\":2,\"last\":3"),
            Window("10:00:00", "10:01:00", "\"k\":\"a\",\"n\":1,\"last\":2"),
            Window("10:01:00", "10:02:00", "\"k\":\"a\",\"n\":1,\"last\":4"),
            Window("10:01:00", "10:02:00", "\"k\":null,\"n\":2,\"last\":7"),
            Window("10:01:00", "10:02:00", "\"k\":\"b\",\"n\":1,\"last\":6"),
        ], h.Json);
    }

    [Fact]
    public void A_record_within_the_allowed_lateness_still_counts()
    {
        var h = Harness.Run("""{"op": "window", "time": ":ts", "size": "1m", "allowed_lateness": "30s", "fields": {"n": ["count"], "ids": ["sum", ":v"]}}""",
            [At(10, value: 1), At(80, value: 2), At(50, value: 3), At(100, value: 4), At(59.999, value: 5)]);
        Assert.Equal(
        [
            Window("10:00:00", "10:01:00", "\"n\":2,\"ids\":4"),
            Window("10:01:00", "10:02:00", "\"n\":2,\"ids\":6"),
        ], h.Json);
        var late = Assert.Single(h.Rejections);
        Assert.Equal(("late", 6L, "window"), (late.Error, late.Line, late.Op!));
        Assert.Equal(5, late.Record!["v"].AsInt);
        Assert.Equal("event time 2024-05-01T10:00:59.999Z is behind the watermark 2024-05-01T10:01:10Z (latest event time 2024-05-01T10:01:40Z " +
            "minus allowed_lateness 30s): every window it falls in has been emitted, the last one ending 2024-05-01T10:01:00Z", late.Message);
        Assert.True(h.Balances(aggregating: true));
    }

    [Fact]
    public void Without_lateness_a_record_before_the_latest_window_end_is_rejected_as_late()
    {
        var h = Harness.Run("""{"op": "window", "time": ":ts", "size": "1m", "fields": {"n": ["count"]}}""",
            [At(10), At(60), At(59.999), At(60.5)], batchSize: 10);
        Assert.Equal([Window("10:00:00", "10:01:00", "\"n\":1"), Window("10:01:00", "10:02:00", "\"n\":2")], h.Json);
        Assert.Equal("late", Assert.Single(h.Rejections).Error);
        Assert.Equal(4L, h.Rejections[0].Line);
    }

    [Fact]
    public void A_late_record_still_counts_in_the_sliding_windows_that_are_open()
    {
        var h = Harness.Run("""{"op": "window", "time": ":ts", "size": "1m", "slide": "30s", "fields": {"n": ["count"]}}""",
            [At(10), At(65), At(35)]);
        // 10:01:05 closes [09:59:30, 10:00:30) and [10:00:00, 10:01:00); 10:00:35 still counts in [10:00:30, 10:01:30).
        Assert.Equal(
        [
            Window("09:59:30", "10:00:30", "\"n\":1"),
            Window("10:00:00", "10:01:00", "\"n\":1"),
            Window("10:00:30", "10:01:30", "\"n\":2"),
            Window("10:01:00", "10:02:00", "\"n\":1"),
        ], h.Json);
        Assert.Empty(h.Rejections);
    }

    [Fact]
    public void Closed_windows_are_emitted_while_the_stream_runs_and_held_input_is_reported()
    {
        var step = Harness.Compile("""{"op": "window", "time": ":ts", "size": "1m", "by": ["k"], "fields": {"n": ["count"]}}""");
        using var runner = step.CreateRunner(new StepResources { BatchSize = 10 });
        var output = new StepOutput();
        Batch Input(long sequence, params Record[] records)
        {
            var batch = Batch.FromRecords(records, 10, firstLine: 2).Single();
            batch.Sequence = sequence;
            return batch;
        }

        runner.Process(Input(1, At(10), At(20, "b")), output);
        Assert.Empty(output.Batches);
        Assert.Equal((2L, 1L), (output.Merged, runner.HoldsFrom!.Value));

        output.Clear();
        runner.Process(Input(2, At(30)), output);
        Assert.Empty(output.Batches);

        output.Clear();
        runner.Process(Input(3, At(61, "b")), output);
        var emitted = Assert.Single(output.Batches);
        Assert.Equal([Window("10:00:00", "10:01:00", "\"k\":\"a\",\"n\":2"), Window("10:00:00", "10:01:00", "\"k\":\"b\",\"n\":1")],
            emitted.Records().Select(r => r.ToString()));
        Assert.Equal(3L, runner.HoldsFrom);

        output.Clear();
        var rest = runner.Complete(output).SelectMany(b => b.Records()).Select(r => r.ToString()).ToArray();
        Assert.Equal([Window("10:01:00", "10:02:00", "\"k\":\"b\",\"n\":1")], rest);
        Assert.Null(runner.HoldsFrom);
    }

    [Fact]
    public void Event_times_may_be_timestamps_text_or_epoch_milliseconds_and_anything_else_is_a_type_error()
    {
        long epochMs = (long)(Ten.AddSeconds(20) - DateTime.UnixEpoch).TotalMilliseconds;
        Record[] records =
        [
            Record.Of(("ts", Ten.AddSeconds(10)), ("v", 1)),
            Record.Of(("ts", "2024-05-01T12:00:15+02:00"), ("v", 2)),
            Record.Of(("ts", epochMs), ("v", 3)),
            Record.Of(("ts", Value.Null), ("v", 4)),
            Record.Of(("ts", "yesterday"), ("v", 5)),
            Record.Of(("ts", 1.5m), ("v", 6)),
            Record.Of(("ts", long.MaxValue), ("v", 7)),
        ];
        var h = Harness.Run("""{"op": "window", "time": ":ts", "size": "1m", "fields": {"ids": ["sum", ":v"]}}""", records);
        Assert.Equal([Window("10:00:00", "10:01:00", "\"ids\":6")], h.Json);
        Assert.All(h.Rejections, r => Assert.Equal("type-error", r.Error));
        Assert.Equal(
        [
            "time: the event time is null",
            "time: \"yesterday\" is not an ISO-8601 timestamp",
            "time: the event time must be a timestamp, ISO-8601 text or an int of milliseconds since 1970, found 1.5 (decimal)",
            "time: 9223372036854775807 ms since 1970 is outside the timestamp range (years 1 to 9999)",
        ], h.Rejections.Select(r => r.Message));
        Assert.True(h.Balances(aggregating: true));
    }

    [Fact]
    public void A_time_expression_error_names_the_time_option()
    {
        var h = Harness.Run("""{"op": "window", "time": ["timestamp", ["+", ":ts", 1]], "size": "1s", "fields": {"n": ["count"]}}""",
            [Record.Of(("ts", "soon"))]);
        var r = Assert.Single(h.Rejections);
        Assert.Equal("type-error", r.Error);
        Assert.StartsWith("time: ", r.Message);
    }

    [Fact]
    public void A_record_that_fails_an_aggregate_leaves_no_window_or_group_behind()
    {
        var window = Harness.Run("""{"op": "window", "time": ":ts", "size": "1m", "slide": "30s", "by": ["k"], "fields": {"n": ["count"], "s": ["sum", ":v"]}}""",
            [At(10, "a", 1), At(40, "b", "oops"), At(41, "a", 2)]);
        Assert.Equal(
        [
            Window("09:59:30", "10:00:30", "\"k\":\"a\",\"n\":1,\"s\":1"),
            Window("10:00:00", "10:01:00", "\"k\":\"a\",\"n\":2,\"s\":3"),
            Window("10:00:30", "10:01:30", "\"k\":\"a\",\"n\":1,\"s\":2"),
        ], window.Json);
        Assert.StartsWith("s: ", Assert.Single(window.Rejections).Message);
        Assert.True(window.Balances(aggregating: true));

        var aggregate = Harness.Run("""{"op": "aggregate", "by": ["k"], "fields": {"s": ["sum", ":v"]}}""", [At(1, "a", "oops"), At(2, "b", 1)]);
        Assert.Equal(["""{"k":"b","s":1}"""], aggregate.Json);
    }

    [Fact]
    public void Windows_start_at_multiples_of_the_slide_since_the_epoch()
    {
        var h = Harness.Run("""{"op": "window", "time": ":ts", "size": "1d", "slide": "12h", "fields": {"n": ["count"]}}""",
            [Record.Of(("ts", "1969-12-31T23:00:00Z"))]);
        Assert.Equal(
        [
            """{"window_start":"1969-12-31T00:00:00Z","window_end":"1970-01-01T00:00:00Z","n":1}""",
            """{"window_start":"1969-12-31T12:00:00Z","window_end":"1970-01-01T12:00:00Z","n":1}""",
        ], h.Json);
    }

    [Fact]
    public void Window_knows_its_output_fields_and_explains_itself()
    {
        var step = Harness.Compile("""{"op": "window", "time": ":ts", "size": "90s", "slide": "30s", "allowed_lateness": "2m", "by": ["k"], "fields": {"n": ["count"]}}""",
            FieldScope.Of(["ts", "k", "v"]));
        Assert.Equal(["window_start", "window_end", "k", "n"], step.Output.Fields);
        Assert.Equal("sliding 90s every 30s windows on \":ts\", lateness 2m; by k: n = count()", step.Summary);
        Assert.Equal(["k", "ts"], step.InputNeeds(null)!.Order());
        Assert.Equal("tumbling 1h windows on \":ts\", lateness 0s; n = count()",
            Harness.Compile("""{"op": "window", "time": ":ts", "size": "60m", "fields": {"n": ["count"]}}""").Summary);
    }

    [Theory]
    [InlineData("""{"op": "window", "time": ":ts", "size": "5min", "fields": {"n": ["count"]}}""", "/size", "\"size\": unknown unit \"min\" in \"5min\"; did you mean \"5m\"?; units are ms, s, m, h, d")]
    [InlineData("""{"op": "window", "time": ":ts", "size": "5", "fields": {"n": ["count"]}}""", "/size", "\"size\": \"5\" needs a unit (ms, s, m, h, d), e.g. \"5s\"")]
    [InlineData("""{"op": "window", "time": ":ts", "size": "five minutes", "fields": {"n": ["count"]}}""", "/size", "\"size\": \"five minutes\" is not a duration; write a whole number and a unit (ms, s, m, h, d), e.g. \"30s\" or \"5m\"")]
    [InlineData("""{"op": "window", "time": ":ts", "size": "0s", "fields": {"n": ["count"]}}""", "/size", "\"size\" must be longer than zero, found \"0s\"")]
    [InlineData("""{"op": "window", "time": ":ts", "size": "36501d", "fields": {"n": ["count"]}}""", "/size", "\"size\": \"36501d\" is longer than the limit of 36500d (100 years)")]
    [InlineData("""{"op": "window", "time": ":ts", "size": "1m", "slide": "25s", "fields": {"n": ["count"]}}""", "/slide", "\"slide\" (25s) must divide \"size\" (1m) evenly, so every record counts in the same number of windows; e.g. \"30s\" or \"20s\"")]
    [InlineData("""{"op": "window", "time": ":ts", "size": "1m", "slide": "2m", "fields": {"n": ["count"]}}""", "/slide", "\"slide\" (2m) is longer than \"size\" (1m); windows would leave gaps. Use a slide of at most 1m")]
    [InlineData("""{"op": "window", "time": ":ts", "size": "1d", "slide": "1s", "fields": {"n": ["count"]}}""", "/slide", "\"size\" 1d with \"slide\" 1s puts every record in 86400 windows; at most 1000 are allowed")]
    [InlineData("""{"op": "window", "time": ":ts", "size": "1m", "allowed_lateness": "-5s", "fields": {"n": ["count"]}}""", "/allowed_lateness", "\"allowed_lateness\": \"-5s\" is not a duration; write a whole number and a unit (ms, s, m, h, d), e.g. \"30s\" or \"5m\"")]
    [InlineData("""{"op": "window", "time": ":ts", "size": "1m", "alowed_lateness": "5s", "fields": {"n": ["count"]}}""", "/alowed_lateness", "unknown option \"alowed_lateness\" for step \"window\"; did you mean \"allowed_lateness\"?")]
    [InlineData("""{"op": "window", "time": ":ts", "size": "1m", "by": ["window_start"], "fields": {"n": ["count"]}}""", "/by/0", "\"window_start\" is an output field of window (window_start, window_end); rename it first")]
    [InlineData("""{"op": "window", "time": ":ts", "size": "1m", "fields": {"window_end": ["max", ":ts"]}}""", "/fields/window_end", "\"window_end\" is an output field of window (window_start, window_end); choose another name")]
    [InlineData("""{"op": "window", "time": ":ts", "size": "1m", "fields": {"n": ["coutn"]}}""", "/fields/n/0", "unknown aggregate \"coutn\"; did you mean \"count\"?; aggregates are count, sum, avg, min, max, count-distinct, first, last")]
    [InlineData("""{"op": "window", "time": ":tss", "size": "1m", "fields": {"n": ["count"]}}""", "/time", "did you mean \"ts\"?")]
    [InlineData("""{"op": "window", "size": "1m", "fields": {"n": ["count"]}}""", "", "needs option \"time\"")]
    public void Bad_options_are_rejected_at_their_place(string step, string pointer, string message)
    {
        var problem = Assert.Single(Harness.Problems(step, FieldScope.Of(["ts", "k", "v", "window_start"])));
        Assert.Equal(pointer, problem.Pointer);
        Assert.Contains(message, problem.Message);
    }
}
