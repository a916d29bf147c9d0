using System.Globalization;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;

namespace Ocht.Streaming.Tests;

/// <summary>
/// The same window document over the same events gives the same windows whether the events stream in from
/// Kafka in small batches or are read as a batch from a JSONL file (issue: "in a batch run the same
/// document gives the same windows").
/// </summary>
[Collection(StreamsCollection.Name)]
public sealed class WindowParityTests(Streams streams)
{
    public sealed record Case(int Seed, int Events, int SizeSeconds, int SlideDivisor, int LatenessSeconds, int StreamBatch);

    private static readonly Gen<Case> Cases =
        from seed in Gen.Choose(0, 1_000_000)
        from events in Gen.Choose(1, 300)
        from size in Gen.Elements(1, 2, 5, 10, 30, 60)
        from divisor in Gen.Elements(1, 1, 2, 5)
        from lateness in Gen.Elements(0, 0, 1, 3, 20)
        from batch in Gen.Choose(1, 40)
        select new Case(seed, events, size, divisor, lateness, batch);

    [Fact]
    public void Windows_over_a_kafka_stream_equal_windows_over_the_same_events_as_a_file()
    {
        Prop.ForAll(Cases.ToArbitrary(), c => SameWindows(c).GetAwaiter().GetResult())
            .Check(Config.QuickThrowOnFailure.WithMaxTest(12));
    }

    private async Task<bool> SameWindows(Case c)
    {
        var events = Events(c);
        string name = streams.NewName("window");
        string topic = streams.NewTopic(name, partitions: 1); // one partition: the stream keeps the file's order
        streams.Produce(topic, events);
        string file = streams.WriteLines($"{name}.jsonl", events);
        string streamed = Path.Combine(streams.Folder, $"{name}-stream.jsonl"), batch = Path.Combine(streams.Folder, $"{name}-batch.jsonl");
        string kafka = $$"""{"connector": "kafka", "brokers": "${env:KAFKA_BROKERS}", "topic": "{{topic}}", "bounded": true}""";
        string jsonl = $$"""{"connector": "jsonl", "path": "{{file}}"}""";
        await streams.RunBatchAsync(streams.Write($"{name}-stream.json", Document(c, kafka, streamed, c.StreamBatch)));
        await streams.RunBatchAsync(streams.Write($"{name}-batch.json", Document(c, jsonl, batch, 4096)));
        string expected = File.ReadAllText(batch), actual = File.ReadAllText(streamed);
        Assert.True(expected.Length > 0, "the batch run wrote no windows");
        Assert.Equal(expected, actual);
        Assert.Equal(Rejections(batch + ".rejects"), Rejections(streamed + ".rejects"));
        return true;
    }

    /// <summary>Each dead letter's record, error and message: its source and place differ by design (a file
    /// line, a Kafka offset).</summary>
    private static List<string> Rejections(string path) =>
        File.Exists(path)
            ? File.ReadAllLines(path).Select(line =>
            {
                using var letter = JsonDocument.Parse(line);
                var root = letter.RootElement;
                return $"{root.GetProperty("record").GetRawText()} {root.GetProperty("error").GetString()} {root.GetProperty("message").GetString()}";
            }).ToList()
            : [];

    /// <summary>Events mostly in time order with some out of order (late or within the lateness), and a few
    /// without a time (rejected by the window step in both runs).</summary>
    private static List<string> Events(Case c)
    {
        var random = new Random(c.Seed);
        var start = new DateTime(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);
        var events = new List<string>(c.Events);
        double clock = 0;
        for (int i = 0; i < c.Events; i++)
        {
            clock += random.NextDouble() * 2;
            double at = random.Next(8) == 0 ? clock - random.NextDouble() * 30 : clock;
            string time = random.Next(40) == 0 ? "null" : $"\"{start.AddSeconds(at):yyyy-MM-ddTHH:mm:ss.fffZ}\"";
            events.Add($$"""{"id": {{i}}, "at": {{time}}, "key": "{{(char)('a' + random.Next(3))}}", "amount": {{random.Next(1, 10_000) / 100m}}}""");
        }
        return events;
    }

    private static string Document(Case c, string source, string output, int batchSize)
    {
        string slide = c.SlideDivisor == 1 || c.SizeSeconds % c.SlideDivisor != 0 ? "" : $", \"slide\": \"{(c.SizeSeconds * 1000 / c.SlideDivisor).ToString(CultureInfo.InvariantCulture)}ms\"";
        return $$"""
            {
              "ocht": 1,
              "name": "window-parity",
              "source": {{source}},
              "steps": [
                {"op": "window", "time": ":at", "size": "{{c.SizeSeconds}}s"{{slide}}, "allowed_lateness": "{{c.LatenessSeconds}}s", "by": ["key"],
                 "fields": {"n": ["count"], "total": ["sum", ":amount"], "first_id": ["first", ":id"], "last_id": ["last", ":id"]} }
              ],
              "sink": {"connector": "jsonl", "path": "{{output}}"},
              "on_error": {"policy": "dead-letter", "sink": {"connector": "jsonl", "path": "{{output}}.rejects"} },
              "options": {"batch_size": {{batchSize}} }
            }
            """;
    }
}
