using Ocht.Document;
using Ocht.Model;
using Ocht.Testkit;

namespace Ocht.Kafka.Tests;

/// <summary>The connector contract over topics of one partition (order is kept per partition). Sources
/// read bounded and without a group, so the suite needs no group joins.</summary>
[Collection(ClusterCollection.Name)]
public sealed class KafkaContractTests(Cluster cluster) : ConnectorContract
{
    private readonly Dictionary<string, string> _topics = new();

    protected override IConnector Connector { get; } = KafkaConnectors.Create();

    /// <summary>Kafka messages are visible once delivered: the sink is durable at every flush.</summary>
    protected override bool VisibleBeforeCommit => true;

    private string Topic(string name)
    {
        if (!_topics.TryGetValue(name, out string? topic)) _topics[name] = topic = cluster.NewTopic(name);
        return topic;
    }

    protected override string Location(string name) => Location(name, Roles.Sink);

    protected override string Location(string name, Roles role) => role == Roles.Source
        ? $$"""{"connector": "kafka", "brokers": "{{cluster.Brokers}}", "topic": "{{Topic(name)}}", "bounded": true}"""
        : $$"""{"connector": "kafka", "brokers": "{{cluster.Brokers}}", "topic": "{{Topic(name)}}"}""";

    protected override long PlantUnreadable(string name, int badRecord)
    {
        cluster.Produce(Topic(name), Enumerable.Range(1, 3).Select(i => i == badRecord ? "{\"id\": " + i + ", " : $$"""{"id": {{i}}}"""));
        return 0; // Kafka rejections carry topic, partition and offset in the message, not a line.
    }

    protected override IEnumerable<string> Leftovers(string name) =>
        _topics.TryGetValue(name, out string? topic) ? cluster.Messages(topic).Select(m => m.Value) : [];
}
