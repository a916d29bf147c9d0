namespace Ocht.Streaming.Tests;

/// <summary>PostgreSQL going away under a running worker: short outages are retried, long ones stop it cleanly.</summary>
[Collection(StreamsCollection.Name)]
public sealed class OutageTests(Streams streams)
{
    [Fact]
    public async Task Postgres_restarted_mid_stream_the_worker_retries_and_the_table_is_complete()
    {
        var events = Orders.Events(30_000, seed: 11);
        int sales = Orders.Sales(events);
        var (topic, table, document) = streams.NewOrdersStream("restart", partitions: 2);
        streams.Produce(topic, events[..15_000]);

        using var worker = streams.StartWorker(document);
        await streams.WaitForRowsAsync(table, 1, TimeSpan.FromSeconds(60), worker);
        streams.PauseServer();
        try
        {
            streams.Produce(topic, events[15_000..]);
            await worker.WaitForLogAsync(lines => lines.Any(l => l.Contains("retrying", StringComparison.OrdinalIgnoreCase)));
        }
        finally
        {
            streams.ResumeServer();
        }
        await streams.WaitForRowsAsync(table, sales, TimeSpan.FromSeconds(120), worker, outage: true);
        worker.Signal("TERM");
        Assert.Equal(0, await worker.ExitAsync(TimeSpan.FromSeconds(15)));

        Assert.Equal(await streams.BatchRowsAsync("restart", events), await streams.RowsAsync(table, "id"));
    }

    [Fact]
    public async Task An_outage_longer_than_the_retry_budget_stops_the_worker_without_committing_offsets()
    {
        var events = Orders.Events(5_000, seed: 13);
        int sales = Orders.Sales(events);
        var (topic, table, document) = streams.NewOrdersStream("budget", partitions: 1);
        streams.Produce(topic, events);

        streams.PauseServer();
        int code;
        string log;
        try
        {
            using var worker = streams.StartWorker(document, "--Ocht:Retry:MaxAttempts=2");
            code = await worker.ExitAsync(TimeSpan.FromSeconds(120));
            log = worker.Log;
        }
        finally
        {
            streams.ResumeServer();
        }
        Assert.Equal(1, code);
        Assert.Contains("unavailable", log);
        Assert.Contains("budget", log);

        // Nothing was committed to Kafka: a worker started after the outage reads every record again.
        using var again = streams.StartWorker(document);
        await streams.WaitForRowsAsync(table, sales, TimeSpan.FromSeconds(90), again);
        again.Signal("TERM");
        Assert.Equal(0, await again.ExitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal(sales, await streams.CountAsync(table));
    }
}
