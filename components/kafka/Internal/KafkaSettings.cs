using Confluent.Kafka;
using Ocht.Document;
using Ocht.Model;

namespace Ocht.Kafka;

/// <summary>The connector's options as client settings: "properties" first, then what Ocht owns.</summary>
internal static class KafkaSettings
{
    /// <summary>Settings Ocht sets itself from its options or its guarantees; "properties" may not name them.</summary>
    public static readonly IReadOnlyDictionary<string, string> SourceOwned = new Dictionary<string, string>
    {
        ["bootstrap.servers"] = "it comes from \"brokers\"",
        ["metadata.broker.list"] = "it comes from \"brokers\"",
        ["group.id"] = "it comes from \"group\"",
        ["auto.offset.reset"] = "it comes from \"start\"",
        ["enable.auto.commit"] = "Ocht commits offsets itself, only once every sink has the records",
        ["enable.auto.offset.store"] = "Ocht commits offsets itself, only once every sink has the records",
        ["enable.partition.eof"] = "Ocht sets it for \"bounded\" reads",
    };

    public static readonly IReadOnlyDictionary<string, string> SinkOwned = new Dictionary<string, string>
    {
        ["bootstrap.servers"] = "it comes from \"brokers\"",
        ["metadata.broker.list"] = "it comes from \"brokers\"",
        ["enable.idempotence"] = "the sink is always an idempotent producer",
        ["acks"] = "the sink always waits for all in-sync replicas (acks=all)",
        ["request.required.acks"] = "the sink always waits for all in-sync replicas (acks=all)",
    };

    public static IReadOnlyDictionary<string, string> Owned(Roles role) => role == Roles.Source ? SourceOwned : SinkOwned;

    /// <summary>"properties" as text: strings as they are, numbers and booleans as written.</summary>
    public static IEnumerable<(string Key, string Value, DocNode Node)> Properties(Options options)
    {
        foreach (var (key, node) in options.Map("properties"))
        {
            string? text = node.Kind switch
            {
                DocKind.String or DocKind.Number => node.Text,
                DocKind.Bool => node.Bool ? "true" : "false",
                _ => null,
            };
            if (text is not null) yield return (key, text, node);
        }
    }

    public static ConsumerConfig Consumer(ConnectorConfig config)
    {
        var o = config.Options;
        var settings = new ConsumerConfig(Extra(config))
        {
            BootstrapServers = o.String("brokers"),
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = o.String("start") == "latest" ? AutoOffsetReset.Latest : AutoOffsetReset.Earliest,
            EnablePartitionEof = o.Bool("bounded"),
        };
        // Without a group (a bounded read of the whole topic) nothing is committed; librdkafka still wants an id.
        settings.GroupId = o.String("group") ?? "ocht-unbounded-" + Guid.NewGuid().ToString("N");
        return settings;
    }

    public static ProducerConfig Producer(ConnectorConfig config) => new(Extra(config))
    {
        BootstrapServers = config.Options.String("brokers"),
        EnableIdempotence = true,
        Acks = Acks.All,
        // Delivery reports carry only the outcome: no copies of keys and values back into .NET.
        DeliveryReportFields = "status",
    };

    private static Dictionary<string, string> Extra(ConnectorConfig config) =>
        Properties(config.Options).ToDictionary(p => p.Key, p => p.Value);
}
