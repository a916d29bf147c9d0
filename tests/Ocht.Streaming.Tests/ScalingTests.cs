namespace Ocht.Streaming.Tests;

/// <summary>More worker instances in one consumer group (the README's way to scale): they share the partitions,
/// and when one dies the other takes its partitions over from their committed offsets.</summary>
[Collection(StreamsCollection.Name)]
public sealed class ScalingTests(Streams streams)
{
    [Fact]
    public async Task Two_workers_in_one_group_share_the_stream_and_one_takes_over_when_the_other_is_killed()
    {
        var events = Orders.Events(60_000, seed: 11);
        var (topic, streamed, document) = streams.NewOrdersStream("scale", partitions: 6);
        int produced = 0;
        void ProduceNext(int count)
        {
            count = Math.Min(count, events.Count - produced);
            streams.Produce(topic, events.GetRange(produced, count));
            produced += count;
        }

        ProduceNext(10_000);
        using var first = streams.StartWorker(document, "--Serilog:MinimumLevel:Default=Debug");
        await streams.WaitForRowsAsync(streamed, Orders.Sales(events.Take(produced)), TimeSpan.FromSeconds(120), first);

        // The second joins the group; events keep arriving until it has been given partitions and pushed some.
        using var second = streams.StartWorker(document, "--Serilog:MinimumLevel:Default=Debug");
        var joining = System.Diagnostics.Stopwatch.StartNew();
        while (!second.Log.Contains(" pushed: ", StringComparison.Ordinal))
        {
            Assert.True(joining.Elapsed < TimeSpan.FromSeconds(60) && produced < events.Count, $"the second worker never pushed a batch:\n{second.Log}");
            ProduceNext(500);
            await Task.Delay(200);
        }

        // The first dies; the second takes over its partitions once the group notices (session.timeout.ms).
        first.Signal("KILL");
        await first.ExitAsync(TimeSpan.FromSeconds(10));
        ProduceNext(events.Count);
        await streams.WaitForRowsAsync(streamed, Orders.Sales(events), TimeSpan.FromSeconds(120), second);
        second.Signal("TERM");
        Assert.Equal(0, await second.ExitAsync(TimeSpan.FromSeconds(15)));

        Assert.Equal(await streams.BatchRowsAsync("scale", events), await streams.RowsAsync(streamed, "id"));
    }
}
