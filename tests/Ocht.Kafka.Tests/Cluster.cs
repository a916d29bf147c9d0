using System.Text;
using Confluent.Kafka;

namespace Ocht.Kafka.Tests;

/// <summary>One mock cluster for the whole test assembly; each test uses topics and groups of its own.</summary>
public sealed class Cluster : IDisposable
{
    public KafkaMockCluster Mock { get; } = new();
    public string Brokers => Mock.BootstrapServers;

    /// <summary>A new topic with a name no other test uses.</summary>
    public string NewTopic(string name, int partitions = 1)
    {
        string topic = $"{name}-{Guid.NewGuid():N}";
        Mock.CreateTopic(topic, partitions);
        return topic;
    }

    /// <summary>Produces raw message values (UTF-8 text) with optional keys to one partition, in order.</summary>
    public void Produce(string topic, IEnumerable<string?> values, int partition = 0)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = Brokers }).Build();
        foreach (string? value in values)
            producer.Produce(new TopicPartition(topic, partition), new Message<byte[]?, byte[]?> { Value = value is null ? null : Encoding.UTF8.GetBytes(value) });
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Every message of a topic as (partition, key, value), without a consumer group.</summary>
    public List<(int Partition, string? Key, string Value)> Messages(string topic, int partitions = 1)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(new ConsumerConfig { BootstrapServers = Brokers, GroupId = "reader-" + Guid.NewGuid().ToString("N"), EnablePartitionEof = true }).Build();
        var result = new List<(int, string?, string)>();
        for (int p = 0; p < partitions; p++)
        {
            var marks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(30));
            if (marks.High.Value == marks.Low.Value) continue;
            consumer.Assign(new TopicPartitionOffset(topic, p, marks.Low));
            while (consumer.Consume(TimeSpan.FromSeconds(30)) is { } message)
            {
                if (message.IsPartitionEOF) break;
                result.Add((p, message.Message.Key is null ? null : Encoding.UTF8.GetString(message.Message.Key), Encoding.UTF8.GetString(message.Message.Value)));
            }
        }
        return result;
    }

    /// <summary>The committed offset of a group on partition 0 (or -1001 when nothing is committed).</summary>
    public long Committed(string group, string topic, int partition = 0)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = Brokers, GroupId = group }).Build();
        return consumer.Committed([new TopicPartition(topic, partition)], TimeSpan.FromSeconds(30)).Single().Offset.Value;
    }

    public void Dispose() => Mock.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<Cluster>
{
    public const string Name = "kafka mock cluster";
}
