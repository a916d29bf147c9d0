using Ocht.Model;

namespace Ocht.Kafka;

/// <summary>The kafka brick: the kafka connector of §5 (Confluent.Kafka over the system librdkafka).</summary>
public static class KafkaConnectors
{
    /// <summary>The kafka connector, for a host's catalog.</summary>
    public static IConnector Create() => new KafkaConnector();

    /// <summary>Maps Confluent.Kafka's native library to the system's librdkafka.so.1 (once, thread-safe).
    /// The connector and <see cref="KafkaMockCluster"/> do this themselves; code that builds its own
    /// Confluent.Kafka clients (a benchmark's raw consumer) calls it first.</summary>
    public static void UseSystemLibrary() => Librdkafka.EnsureLoaded();
}
