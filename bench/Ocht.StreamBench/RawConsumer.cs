using System.Diagnostics;
using Confluent.Kafka;

namespace Ocht.StreamBench;

/// <summary>The baseline: a plain Confluent.Kafka consume loop over every partition of the topic from the
/// beginning (assigned, no group to join), timed from the first message to the last, as the worker's streaming time is.</summary>
internal static class RawConsumer
{
    /// <summary>Messages the topic holds now (high − low watermark summed over partitions).</summary>
    public static long Held(string brokers, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(new ConsumerConfig { BootstrapServers = brokers, GroupId = "watermarks" }).Build();
        long held = 0;
        for (int p = 0; p < partitions; p++)
        {
            var marks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(30));
            held += marks.High.Value - marks.Low.Value;
        }
        return held;
    }

    public static TimeSpan Measure(string brokers, string topic, int partitions, int count)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = brokers,
            GroupId = "raw-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 6000,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        long bytes = 0;
        var first = consumer.Consume(TimeSpan.FromSeconds(60)) ?? throw new InvalidOperationException("the raw consumer got nothing in 60 s");
        var clock = Stopwatch.StartNew();
        bytes += first.Message.Value.Length;
        for (int seen = 1; seen < count;)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException($"the raw consumer stalled after {seen} messages");
            bytes += result.Message.Value.Length;
            seen++;
        }
        var elapsed = clock.Elapsed;
        GC.KeepAlive(bytes);
        return elapsed;
    }
}
