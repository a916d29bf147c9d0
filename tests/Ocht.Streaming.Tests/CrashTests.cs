namespace Ocht.Streaming.Tests;

/// <summary>The worker killed (SIGKILL) mid-stream and restarted: the table ends equal to a batch run.</summary>
[Collection(StreamsCollection.Name)]
public sealed class CrashTests(Streams streams)
{
    [Fact]
    public async Task Killing_the_worker_five_times_loses_and_duplicates_nothing()
    {
        const int count = 100_000;
        var events = Orders.Events(count, seed: 7);
        int sales = Orders.Sales(events);
        var (topic, streamed, document) = streams.NewOrdersStream("crash", partitions: 3);
        streams.Produce(topic, events);

        // Five kills at random moments of the stream: each after a random share of the rows has landed
        // (never all of it), so every restart resumes from committed offsets with work still to do.
        var random = new Random(20261128);
        var marks = Enumerable.Range(0, 5).Select(_ => random.Next(1, sales * 9 / 10)).Order().ToArray();
        foreach (int mark in marks)
        {
            using var worker = streams.StartWorker(document);
            await streams.WaitForRowsAsync(streamed, mark, TimeSpan.FromSeconds(120), worker);
            worker.Signal("KILL");
            await worker.ExitAsync(TimeSpan.FromSeconds(10));
        }
        using (var last = streams.StartWorker(document))
        {
            await streams.WaitForRowsAsync(streamed, sales, TimeSpan.FromSeconds(180), last);
            // The earlier workers may have written every row already: stop this one only once it runs
            // (a SIGTERM before the host has started is the runtime's, exit 143).
            await last.WaitForLogAsync(lines => lines.Any(l => l.Contains("run of crash started", StringComparison.Ordinal)));
            last.Signal("TERM");
            Assert.Equal(0, await last.ExitAsync(TimeSpan.FromSeconds(15)));
        }

        var expected = await streams.BatchRowsAsync("crash", events);
        Assert.Equal(sales, expected.Count);
        Assert.Equal(expected, await streams.RowsAsync(streamed, "id"));
        Assert.False(await streams.ExistsAsync(streamed + "_rejects"), "no record was rejected, so no dead-letter table was made");
    }
}
