using Ocht.Executor;

namespace Ocht.Kafka.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SourceTests(Cluster cluster)
{
    private readonly Harness _harness = new();

    [Fact]
    public async Task Offsets_are_committed_only_after_the_sinks_took_the_records_so_a_restart_loses_nothing()
    {
        string topic = cluster.NewTopic("orders");
        cluster.Produce(topic, Harness.Orders(1, 30));
        string source = Harness.Source(cluster, topic, "restart");

        // Batches of 2; the sink is durable at each flush and fails on the batch that takes it past 21 records.
        // The executor flushes at least every 4 batches, so some batches were durable, and committed, before that.
        var failed = await _harness.RunAsync(Harness.Doc(source, """{"connector": "memory", "name": "first", "durable": true, "fail_after": 21}"""));
        Assert.False(failed.Succeeded);
        var first = _harness.Committed("first");
        Assert.True(first.Count is >= 8 and <= 20 && first.Count % 2 == 0, $"{first.Count} records durable");
        Assert.Equal(first.Count, cluster.Committed("restart", topic));

        var second = await _harness.RunAsync(Harness.Doc(source, """{"connector": "memory", "name": "second", "durable": true}"""));
        Assert.True(second.Succeeded, second.Error?.Message);
        Assert.Equal(Harness.Orders(1, 30), first.Concat(_harness.Committed("second")));
        Assert.Equal(30, cluster.Committed("restart", topic));
    }

    [Fact]
    public async Task A_second_run_of_the_group_reads_only_what_arrived_after_the_first_committed()
    {
        string topic = cluster.NewTopic("resume");
        cluster.Produce(topic, Harness.Orders(1, 5));
        string source = Harness.Source(cluster, topic, "resume");
        var first = await _harness.RunAsync(Harness.Doc(source, """{"connector": "memory", "name": "first"}"""));
        Assert.True(first.Succeeded, first.Error?.Message);
        cluster.Produce(topic, Harness.Orders(6, 8));

        var second = await _harness.RunAsync(Harness.Doc(source, """{"connector": "memory", "name": "second"}"""));
        Assert.True(second.Succeeded, second.Error?.Message);
        Assert.Equal(Harness.Orders(1, 5), _harness.Committed("first"));
        Assert.Equal(Harness.Orders(6, 8), _harness.Committed("second"));
        Assert.Equal(8, cluster.Committed("resume", topic));
    }

    [Fact]
    public async Task A_message_that_is_not_a_json_object_is_a_dead_letter_with_topic_partition_and_offset_and_still_committed()
    {
        string topic = cluster.NewTopic("poison");
        cluster.Produce(topic, ["""{"id":1}""", "not json", "[1,2]", null, """{"id":2}"""]);
        var report = await _harness.RunAsync(Harness.Doc(Harness.Source(cluster, topic, "poison"),
            extra: """, "on_error": {"policy": "dead-letter", "sink": {"connector": "memory", "name": "dead"}}"""));

        Assert.True(report.Succeeded, report.Error?.Message);
        Assert.Equal(new RecordCounts(5, 2, 0, 3), report.Records);
        Assert.Equal(["""{"id":1}""", """{"id":2}"""], _harness.Committed("out"));
        var dead = _harness.Store.Output("dead").Committed;
        Assert.Equal(["not json", "[1,2]", ""], dead.Select(d => d.Values[d.Schema.IndexOf("raw")].AsString));
        Assert.All(dead, d => Assert.Equal("parse-error", d.Values[d.Schema.IndexOf("error")].AsString));
        Assert.All(dead, d => Assert.Equal("kafka:" + topic, d.Values[d.Schema.IndexOf("source")].AsString));
        var messages = dead.Select(d => d.Values[d.Schema.IndexOf("message")].AsString).ToList();
        Assert.StartsWith($"topic {topic}, partition 0, offset 1: invalid JSON", messages[0]);
        Assert.Equal($"topic {topic}, partition 0, offset 2: expected a JSON object, found an array", messages[1]);
        Assert.Equal($"topic {topic}, partition 0, offset 3: the message has no value (a tombstone)", messages[2]);
        Assert.Equal(5, cluster.Committed("poison", topic));
    }

    [Fact]
    public async Task A_streaming_read_takes_every_partition_as_messages_arrive_until_it_is_stopped()
    {
        string topic = cluster.NewTopic("stream", partitions: 3);
        using var stop = new CancellationTokenSource();
        var run = _harness.RunAsync(Harness.Doc(Harness.Source(cluster, topic, "stream", bounded: false), batchSize: 100), stop.Token);
        for (int p = 0; p < 3; p++) cluster.Produce(topic, Harness.Orders(p * 10 + 1, p * 10 + 10), partition: p);
        var output = _harness.Store.Output("out");
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (output.Committed.Count < 30 && !run.IsCompleted) await Task.Delay(50, patience.Token);
        stop.Cancel();
        var report = await run;

        Assert.True(report.Succeeded, report.Error?.Message);
        Assert.Equal(Harness.Orders(1, 30).Order(), _harness.Committed("out").Order());
        for (int p = 0; p < 3; p++) Assert.Equal(10, cluster.Committed("stream", topic, p));
        // Order holds within a partition.
        var ids = _harness.Store.Output("out").Committed.Select(r => r.Values[0].AsInt).ToList();
        for (int p = 0; p < 3; p++)
            Assert.Equal(Enumerable.Range(p * 10 + 1, 10).Select(i => (long)i), ids.Where(i => (i - 1) / 10 == p));
    }

    [Fact]
    public async Task A_bounded_read_without_a_group_reads_the_whole_topic_and_commits_nothing()
    {
        string topic = cluster.NewTopic("whole", partitions: 2);
        cluster.Produce(topic, Harness.Orders(1, 3), partition: 0);
        cluster.Produce(topic, Harness.Orders(4, 5), partition: 1);
        var report = await _harness.RunAsync(Harness.Doc(Harness.Source(cluster, topic, group: null)));
        Assert.True(report.Succeeded, report.Error?.Message);
        Assert.Equal(Harness.Orders(1, 5).Order(), _harness.Committed("out").Order());
    }

    [Fact]
    public async Task A_topic_that_does_not_exist_fails_the_run_with_its_name()
    {
        var report = await _harness.RunAsync(Harness.Doc(Harness.Source(cluster, "missing-" + Guid.NewGuid().ToString("N"), group: null)));
        Assert.False(report.Succeeded);
        Assert.Contains("does not exist", report.Error!.Message);
    }
}
