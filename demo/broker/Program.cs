// The demo's Kafka side: starts librdkafka's mock cluster, prints "KAFKA_BROKERS=<address>" on standard
// output, then produces sample order events to the topic "orders" at a steady rate until standard input
// closes or the process is stopped. usage: Ocht.DemoBroker [events per second, default 200]
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Ocht.Kafka;

int rate = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out int r) && r > 0 ? r : 200;
using var cluster = new KafkaMockCluster();
KafkaConnectors.UseSystemLibrary();
cluster.CreateTopic("orders", partitions: 4);
Console.WriteLine($"KAFKA_BROKERS={cluster.BootstrapServers}");
Console.Out.Flush();

var stop = new CancellationTokenSource(); // not disposed: ProcessExit may still fire after Main returns
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
_ = Task.Run(() => { while (Console.In.Read() >= 0) { } stop.Cancel(); }); // the demo script closes our stdin to stop us

string[] countries = ["DE", "FR", "GB", "NL", "PL", "SE", "US"];
string[] statuses = ["paid", "paid", "paid", "pending", "refunded"];
var random = new Random(7);
using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 5 }).Build();
var started = DateTime.UtcNow;
long sent = 0;
var text = new StringBuilder();
while (!stop.IsCancellationRequested)
{
    // Steady load: event n leaves at n / rate seconds after the start.
    var due = started + TimeSpan.FromSeconds((double)sent / rate);
    if (due > DateTime.UtcNow) await Task.Delay(due - DateTime.UtcNow > TimeSpan.FromMilliseconds(1) ? due - DateTime.UtcNow : TimeSpan.FromMilliseconds(1));
    long id = ++sent;
    text.Clear();
    // Every 50th event is not JSON at all: the pipelines send it to their dead letters.
    if (id % 50 == 0) text.Append("{\"order_id\": ").Append(id).Append(", \"country\": ");
    else text.Append(CultureInfo.InvariantCulture,
        $$"""{"order_id": {{id}}, "at": "{{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}}", "country": "{{countries[random.Next(countries.Length)]}}", "status": "{{statuses[random.Next(statuses.Length)]}}", "quantity": {{random.Next(1, 10)}}, "unit_price": {{random.Next(100, 20_000) / 100m}}}""");
    producer.Produce("orders", new Message<string, string> { Key = id.ToString(CultureInfo.InvariantCulture), Value = text.ToString() });
    if (id % (rate * 5) == 0) Console.Error.WriteLine($"demo broker: {id:N0} events sent");
}
producer.Flush(TimeSpan.FromSeconds(5));
