using Npgsql;

namespace Ocht.Streaming.Tests;

/// <summary>Poison messages and records Postgres cannot take: dead letters with their place and reason, the rest lands.</summary>
[Collection(StreamsCollection.Name)]
public sealed class BadInputTests(Streams streams)
{
    [Fact]
    public async Task Poison_messages_and_wrongly_typed_records_become_dead_letters_and_the_stream_goes_on()
    {
        var (topic, table, document) = streams.NewOrdersStream("poison", partitions: 1);
        // A typed table made beforehand: "quantity" is an integer column.
        await streams.ExecuteAsync($"CREATE TABLE \"{table}\" (id bigint PRIMARY KEY, customer text, quantity integer, total numeric)");
        var events = Orders.Events(1_000, seed: 17).Select(e => e.Replace("\"kind\": \"refund\"", "\"kind\": \"sale\"")).ToList();
        events[100] = "{\"id\": 100, \"customer\": ";                                    // not JSON
        events[200] = "[1, 2, 3]";                                                         // JSON, but not an object
        events[300] = "{\"id\": 300, \"customer\": \"c1\", \"kind\": \"sale\", \"amount\": 1.5, \"quantity\": \"many\"}"; // text in an integer column
        streams.Produce(topic, events);

        using var worker = streams.StartWorker(document);
        await streams.WaitForRowsAsync(table, 997, TimeSpan.FromSeconds(60), worker);
        await streams.WaitForRowsAsync(table + "_rejects", 3, TimeSpan.FromSeconds(30), worker);
        worker.Signal("TERM");
        Assert.Equal(0, await worker.ExitAsync(TimeSpan.FromSeconds(15)));

        Assert.Equal(997, await streams.CountAsync(table));
        var rejects = await streams.RowsAsync(table + "_rejects", "1");
        Assert.Equal(3, rejects.Count);
        string all = string.Join("\n", rejects);
        Assert.Contains("offset 100", all);
        Assert.Contains("offset 200", all);
        Assert.Contains("many", all);
        Assert.Contains(topic, all);
    }
}
