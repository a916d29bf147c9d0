using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Ocht.StreamBench;

/// <summary>Order events as JSON messages: as fast as possible, or at a steady rate stamped with their send time.</summary>
internal static class Events
{
    /// <summary>A producer for <see cref="Produce"/>: batching for bulk loads, sending at once for a steady rate.</summary>
    public static IProducer<byte[]?, byte[]> Producer(string brokers, bool steady) =>
        new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = brokers, LingerMs = steady ? 1 : 20, QueueBufferingMaxMessages = 1_000_000 }).Build();

    public static (TimeSpan Elapsed, int Sales) Produce(string brokers, string topic, int count)
    {
        using var producer = Producer(brokers, steady: false);
        return Produce(producer, topic, count, ratePerSecond: null, stampTime: false);
    }

    public static (TimeSpan Elapsed, int Sales) Produce(IProducer<byte[]?, byte[]> producer, string topic, int count, int? ratePerSecond, bool stampTime, int firstId = 0)
    {
        var random = new Random(42);
        var clock = Stopwatch.StartNew();
        var text = new StringBuilder(160);
        int sales = 0;
        for (int i = 0; i < count; i++)
        {
            if (ratePerSecond is int rate)
            {
                // Steady offered load: event i leaves at i / rate seconds, not in bursts.
                var due = TimeSpan.FromSeconds((double)i / rate);
                while (clock.Elapsed < due) Thread.SpinWait(50);
            }
            text.Clear();
            int id = firstId + i;
            string kind = random.Next(10) == 0 ? "refund" : "sale";
            if (kind == "sale") sales++;
            text.Append(CultureInfo.InvariantCulture, $$"""{"id": {{id}}, "customer": "c{{random.Next(5000)}}", "kind": "{{kind}}", "amount": {{random.Next(1, 100_000) / 100m}}, "quantity": {{random.Next(1, 20)}}""");
            if (stampTime) text.Append(CultureInfo.InvariantCulture, $", \"sent_us\": {UnixMicros()}");
            text.Append('}');
            var message = new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(id.ToString(CultureInfo.InvariantCulture)), Value = Encoding.UTF8.GetBytes(text.ToString()) };
            while (true)
            {
                try
                {
                    producer.Produce(topic, message);
                    break;
                }
                catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }
        if (producer.Flush(TimeSpan.FromSeconds(120)) != 0) throw new InvalidOperationException("the producer could not deliver every event");
        return (clock.Elapsed, sales);
    }

    public static long UnixMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
