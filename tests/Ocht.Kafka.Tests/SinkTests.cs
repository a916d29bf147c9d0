using Ocht.Document;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Kafka.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SinkTests(Cluster cluster)
{
    private readonly Harness _harness = new();

    private static string Sink(string brokers, string topic, string extra = "") =>
        $$"""{"connector": "kafka", "brokers": "{{brokers}}", "topic": "{{topic}}"{{extra}}}""";

    [Fact]
    public async Task The_key_expression_becomes_the_message_key_and_values_are_the_jsonl_encoding()
    {
        string topic = cluster.NewTopic("keyed", partitions: 3);
        _harness.Store.Inputs["in"] = new[] { """{"id":1,"customer":"ada","total":12.30,"at":"2024-05-17T13:45:12Z"}""", """{"id":2,"customer":"grace","total":0.5,"at":null}""", """{"id":3,"customer":"ada","total":7,"at":null}""" }
            .Select(ValueJson.ParseRecord).ToArray();
        var report = await _harness.RunAsync(Harness.Doc("""{"connector": "memory", "name": "in"}""", Sink(cluster.Brokers, topic, """, "key": ["upper", ":customer"]""")));

        Assert.True(report.Succeeded, report.Error?.Message);
        var messages = cluster.Messages(topic, partitions: 3);
        Assert.Equal(_harness.Store.Inputs["in"].Select(ValueJson.ToJson).Order(), messages.Select(m => m.Value).Order());
        Assert.All(messages, m => Assert.Equal(m.Value.Contains("ada") ? "ADA" : "GRACE", m.Key));
        // One key, one partition: ada's records keep their order.
        Assert.Single(messages.Where(m => m.Key == "ADA").Select(m => m.Partition).Distinct());
    }

    [Fact]
    public async Task A_key_that_cannot_be_evaluated_rejects_the_record_and_sends_the_rest()
    {
        string topic = cluster.NewTopic("badkey");
        _harness.Store.Inputs["in"] = new[] { """{"n":1,"d":1}""", """{"n":2,"d":0}""", """{"n":3,"d":3}""" }.Select(ValueJson.ParseRecord).ToArray();
        var report = await _harness.RunAsync(Harness.Doc("""{"connector": "memory", "name": "in"}""", Sink(cluster.Brokers, topic, """, "key": ["/", ":n", ":d"]"""),
            extra: """, "on_error": {"policy": "dead-letter", "sink": {"connector": "memory", "name": "dead"}}"""));

        Assert.True(report.Succeeded, report.Error?.Message);
        Assert.Equal(["1", "1"], cluster.Messages(topic).Select(m => m.Key));
        var dead = Assert.Single(_harness.Store.Output("dead").Committed);
        Assert.Equal("arithmetic-error", dead.Values[dead.Schema.IndexOf("error")].AsString);
        Assert.StartsWith("the message key: ", dead.Values[dead.Schema.IndexOf("message")].AsString);
    }

    [Fact]
    public async Task A_flush_with_the_broker_down_fails_as_unavailable_so_a_worker_retries()
    {
        using var own = new KafkaMockCluster();
        own.CreateTopic("down");
        var connector = KafkaConnectors.Create();
        var config = new ConnectorConfig(connector, DocParser.Parse(Sink(own.BootstrapServers, "down")).Root!, Roles.Sink, ".", Secrets.None);
        var logged = new System.Collections.Concurrent.ConcurrentQueue<(ConnectorLogLevel Level, string Message)>();
        await using var sink = connector.OpenSink(config, new SinkContext("t", 10, TimeProvider.System) { Log = (level, message) => logged.Enqueue((level, message)) });
        var batch = Batch.FromRecords([ValueJson.ParseRecord("""{"id":1}""")]).Single();
        await sink.WriteAsync(batch, new SinkRejections(), CancellationToken.None);
        Assert.True(await sink.FlushAsync(CancellationToken.None));

        own.SetBrokerDown(1);
        await sink.WriteAsync(batch, new SinkRejections(), CancellationToken.None);
        var e = await Assert.ThrowsAsync<ConnectorUnavailableException>(async () => await sink.FlushAsync(CancellationToken.None));
        Assert.Contains("kafka:down", e.Message);
        // librdkafka's own account of the outage reaches the run's log (not stderr), named after the sink. It logs from
        // its own threads: the warning may come after the failed flush (a CI run saw only an informational line by then).
        static bool Warned((ConnectorLogLevel Level, string Message) l) => l.Level >= ConnectorLogLevel.Warning && l.Message.StartsWith("kafka:down: librdkafka ", StringComparison.Ordinal);
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); !logged.Any(Warned) && waited.Elapsed < TimeSpan.FromSeconds(10);)
            await Task.Delay(50);
        Assert.Contains(logged, Warned);
    }
}
