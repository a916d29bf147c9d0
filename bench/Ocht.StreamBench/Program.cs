// The streaming benchmark: 1M order events in librdkafka's mock cluster, consumed (1) by a raw
// Confluent.Kafka loop and (2) by ocht-worker running Kafka → filter/derive → Postgres upsert; then the
// end-to-end latency of the worker at a steady offered load. Prints one table (bench/stream --help).
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Ocht.Kafka;
using Ocht.StreamBench;

var settings = Settings.Parse(args);
if (settings is null) return 2;

using var postgres = new PostgresCluster();
using var kafka = new KafkaMockCluster();
KafkaConnectors.UseSystemLibrary();
Console.Error.WriteLine($"bench: Kafka mock cluster {kafka.BootstrapServers}, PostgreSQL {postgres.Describe}");

string topic = "orders";
kafka.CreateTopic(topic, settings.Partitions);
var (produced, sales) = Events.Produce(kafka.BootstrapServers, topic, settings.Records);
Console.Error.WriteLine($"bench: produced {settings.Records:N0} events ({sales:N0} sales) in {produced.TotalSeconds:F2} s");
long held = RawConsumer.Held(kafka.BootstrapServers, topic, settings.Partitions);
if (held != settings.Records)
{
    Console.Error.WriteLine($"bench: the topic holds {held:N0} of {settings.Records:N0} events (the mock cluster drops the oldest past its per-partition limit): use more --partitions");
    return 1;
}

var rows = new List<Row>();
for (int run = 1; run <= settings.Runs; run++)
{
    var raw = RawConsumer.Measure(kafka.BootstrapServers, topic, settings.Partitions, settings.Records);
    Console.Error.WriteLine($"bench: raw consume run {run}: {raw.TotalSeconds:F2} s");
    rows.Add(new Row("raw", raw.TotalSeconds, null));
    var worker = await WorkerRun.ThroughputAsync(settings, kafka.BootstrapServers, postgres, topic, $"bench_{run}", sales);
    Console.Error.WriteLine($"bench: worker run {run}: {worker.Streaming:F2} s streaming, {worker.Total:F2} s with start-up");
    rows.Add(new Row("worker", worker.Streaming, worker.Total));
}
var latency = await WorkerRun.LatencyAsync(settings, kafka.BootstrapServers, postgres, kafka);

Report.Print(settings, rows, latency);
return 0;

internal sealed record Row(string Tool, double Seconds, double? WithStartup);
