using System.Diagnostics;
using Confluent.Kafka;

namespace Ocht.StreamBench;

/// <summary>The baseline: a plain Confluent.Kafka consume loop over the whole topic (a fresh group, from the
/// earliest offset), timed from the first message to the last, as the worker's streaming time is.</summary>
internal static class RawConsumer
{
    public static TimeSpan Measure(string brokers, string topic, int count)
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
        consumer.Subscribe(topic);
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
        consumer.Close();
        GC.KeepAlive(bytes);
        return elapsed;
    }
}
