using System.Globalization;

namespace Ocht.Streaming.Tests;

/// <summary>The events and the document the end-to-end tests stream: Kafka → filter/derive → Postgres upsert.</summary>
internal static class Orders
{
    /// <summary><paramref name="count"/> order events as JSON lines; a tenth are refunds, which the document filters out.</summary>
    public static List<string> Events(int count, int seed)
    {
        var random = new Random(seed);
        var events = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            string kind = random.Next(10) == 0 ? "refund" : "sale";
            string amount = (random.Next(1, 1_000_000) / 100m).ToString(CultureInfo.InvariantCulture);
            events.Add($$"""{"id": {{i}}, "customer": "c{{random.Next(500)}}", "kind": "{{kind}}", "amount": {{amount}}, "quantity": {{random.Next(1, 20)}}}""");
        }
        return events;
    }

    public static int Sales(IEnumerable<string> events) => events.Count(e => e.Contains("\"sale\"", StringComparison.Ordinal));

    /// <summary>A short session timeout: a killed worker's group membership expires in 6 s, not librdkafka's
    /// default 45 s, so a restarted worker gets its partitions back quickly.</summary>
    public static string KafkaSource(string topic, string group) =>
        $$"""{"connector": "kafka", "brokers": "${env:KAFKA_BROKERS}", "topic": "{{topic}}", "group": "{{group}}", "start": "earliest", "properties": {"session.timeout.ms": "6000"} }""";

    public static string FileSource(string path) => $$"""{"connector": "jsonl", "path": "{{path}}"}""";

    /// <summary>The same steps and sink whatever the source: so a stream and a batch can be compared.</summary>
    /// <summary>Dead letters go to Postgres too (table + "_rejects"): a file sink is durable only when a run
    /// ends, which would hold back every acknowledgement — and so every offset commit — of a stream.</summary>
    public static string Document(string name, string source, string table) => $$"""
        {
          "ocht": 1,
          "name": "{{name}}",
          "source": {{source}},
          "steps": [
            {"op": "filter", "where": ["=", ":kind", "sale"]},
            {"op": "derive", "fields": {"total": ["*", ":amount", ":quantity"]} },
            {"op": "select", "fields": ["id", "customer", "quantity", "total"]}
          ],
          "sink": {"connector": "postgres", "connection": "${env:OCHT_PG}", "table": "{{table}}", "mode": "upsert", "key": ["id"], "create": true},
          "on_error": {"policy": "dead-letter", "sink": {"connector": "postgres", "connection": "${env:OCHT_PG}", "table": "{{table}}_rejects", "create": true} },
          "options": {"batch_size": 2000}
        }
        """;
}
