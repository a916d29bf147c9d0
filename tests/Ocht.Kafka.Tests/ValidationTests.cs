using Ocht.Model;

namespace Ocht.Kafka.Tests;

public sealed class ValidationTests
{
    private readonly Harness _harness = new();

    private List<string> Problems(string source = """{"connector": "kafka", "brokers": "localhost:9092", "topic": "orders", "group": "g"}""",
        string sink = """{"connector": "memory", "name": "out"}""")
    {
        var result = _harness.Load(Harness.Doc(source, sink));
        Assert.False(result.Ok);
        return result.Diagnostics.Select(d => $"{d.Pointer}: {d.Message}").ToList();
    }

    [Fact]
    public void A_streaming_source_needs_a_group()
    {
        var problem = Assert.Single(Problems("""{"connector": "kafka", "brokers": "localhost:9092", "topic": "orders"}"""));
        Assert.Equal("/source: a kafka source needs \"group\" (where its offsets are committed) unless it is \"bounded\"", problem);
        Assert.True(_harness.Load(Harness.Doc("""{"connector": "kafka", "brokers": "localhost:9092", "topic": "orders", "bounded": true}""")).Ok);
    }

    [Fact]
    public void Brokers_and_topics_are_checked_where_they_are_written()
    {
        Assert.Equal(["/source/brokers: broker \"kafka:90x2\" has port \"90x2\"; a port is a number from 1 to 65535"],
            Problems("""{"connector": "kafka", "brokers": "kafka:90x2", "topic": "orders", "group": "g"}"""));
        Assert.Equal(["/source/brokers: \"brokers\" has an empty entry in \"a:1,,b:2\""],
            Problems("""{"connector": "kafka", "brokers": "a:1,,b:2", "topic": "orders", "group": "g"}"""));
        Assert.Equal(["/sink/topic: topic \"or ders\" contains ' '; topic names use only letters a-z and A-Z, digits, '.', '_' and '-'"],
            Problems(sink: """{"connector": "kafka", "brokers": "b:9092", "topic": "or ders"}""").Where(p => p.StartsWith("/sink")).ToList());
    }

    [Fact]
    public void Properties_may_not_set_what_Ocht_owns_and_are_checked_by_librdkafka()
    {
        var problems = Problems("""{"connector": "kafka", "brokers": "b:9092", "topic": "orders", "group": "g", "properties": {"enable.auto.commit": "true", "sasl.mechanismz": "PLAIN", "security.protocol": "carrier-pigeon", "session.timeout.ms": 6000, "x": [1]}}""");
        Assert.Equal(4, problems.Count);
        Assert.Contains("/source/properties/enable.auto.commit: \"enable.auto.commit\" cannot be set in \"properties\": Ocht commits offsets itself, only once every sink has the records", problems);
        Assert.Contains("/source/properties/sasl.mechanismz: No such configuration property: \"sasl.mechanismz\"", problems);
        Assert.Contains("/source/properties/security.protocol: Invalid value \"carrier-pigeon\" for configuration property \"security.protocol\"", problems);
        Assert.Contains("/source/properties/x: librdkafka setting \"x\" must be text, a number or a boolean, found an array", problems);
        Assert.DoesNotContain(problems, p => p.Contains("session.timeout.ms"));
    }

    [Fact]
    public void The_sink_key_is_an_expression_checked_at_validation()
    {
        var problems = Problems(sink: """{"connector": "kafka", "brokers": "b:9092", "topic": "t", "key": ["uper", ":id"]}""");
        Assert.Contains(problems, p => p.StartsWith("/sink/key") && p.Contains("did you mean \"upper\""));
        Assert.Contains(Problems(sink: """{"connector": "kafka", "brokers": "b:9092", "topic": "t", "group": "g"}"""), p => p.Contains("unknown option \"group\" for connector \"kafka\" as a sink"));
    }

    [Fact]
    public void Kafka_connectors_describe_themselves_by_topic()
    {
        var plan = _harness.Plan(Harness.Doc("""{"connector": "kafka", "brokers": "b:9092", "topic": "orders", "group": "g"}""", """{"connector": "kafka", "brokers": "b:9092", "topic": "paid", "key": ":id"}"""));
        Assert.Equal("kafka:orders", plan.Source.Describe());
        Assert.Equal("kafka:paid", plan.Sinks.Single().Target.Describe());
    }
}
