using Ocht.Document;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Postgres.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public CheckpointTests() => _db.Execute("CREATE TABLE events (id bigint, at timestamptz NOT NULL, what text)");

    private void Add(int from, int to) =>
        _db.Execute($"INSERT INTO events SELECT g, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute', 'e' || g FROM generate_series({from}, {to}) g");

    private static string Doc(string checkpoint = "at", string sink = """{"connector": "memory", "name": "out", "durable": true}""", string steps = "") => $$"""
        {"ocht": 1, "name": "incremental", "options": {"batch_size": 3},
         "source": {"connector": "postgres", "connection": "${env:OCHT_PG}", "table": "events", "checkpoint": "{{checkpoint}}"},
         "steps": [{{steps}}], "sink": {{sink}} }
        """;

    private string? Stored() => _db.Scalar<string?>("SELECT value FROM ocht_checkpoints WHERE pipeline = 'incremental'");

    [Fact]
    public async Task A_second_run_reads_only_the_rows_added_since_the_first()
    {
        Add(1, 7);
        Assert.True((await _db.RunAsync(Doc())).Succeeded);
        Assert.Equal(7, _db.Store.Output("out").Committed.Count);
        Assert.Equal("2024-01-01T00:07:00Z", Stored());

        Add(8, 10);
        var second = await _db.RunAsync(Doc());
        Assert.True(second.Succeeded);
        Assert.Equal(3, second.Records.Read);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"e{i}"), _db.Store.Output("out").Committed.Select(r => r["what"].AsString));

        var third = await _db.RunAsync(Doc());
        Assert.Equal(0, third.Records.Read);
    }

    [Fact]
    public async Task A_failed_run_stores_no_checkpoint_and_the_next_run_reads_everything()
    {
        Add(1, 5);
        // A file-like sink: nothing is durable before the run commits, so nothing is acknowledged.
        var failed = await _db.RunAsync(Doc(sink: """{"connector": "memory", "name": "out", "fail_after": 4}"""));
        Assert.False(failed.Succeeded);
        Assert.Null(Stored());
        var retried = await _db.RunAsync(Doc(sink: """{"connector": "memory", "name": "out"}"""));
        Assert.True(retried.Succeeded);
        Assert.Equal(5, retried.Records.Read);
    }

    [Fact]
    public async Task A_failed_run_keeps_the_checkpoint_of_batches_already_durable()
    {
        Add(1, 30);
        // Batches of 3; the 9th fails. The executor flushes at least every 4 batches, so 4 or 8 of them
        // (more when the sink kept up) were durable and acknowledged before the failure.
        var failed = await _db.RunAsync(Doc(sink: """{"connector": "memory", "name": "out", "durable": true, "fail_after": 25}"""));
        Assert.False(failed.Succeeded);
        int stored = DateTime.Parse(Stored()!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal).Minute;
        Assert.True(stored is >= 12 and <= 24 && stored % 3 == 0, $"checkpoint at event {stored}");
        Assert.Equal(Events(1, stored), _db.Store.Output("out").Committed.Select(r => r["what"].AsString).Take(stored));
        var resumed = await _db.RunAsync(Doc(sink: """{"connector": "memory", "name": "again", "durable": true}"""));
        Assert.True(resumed.Succeeded);
        Assert.Equal(Events(stored + 1, 30), _db.Store.Output("again").Committed.Select(r => r["what"].AsString));
    }

    private static IEnumerable<string> Events(int from, int to) => Enumerable.Range(from, to - from + 1).Select(i => $"e{i}");

    [Fact]
    public async Task A_tie_split_across_batches_is_read_again_rather_than_skipped()
    {
        _db.Execute("CREATE TABLE ties (n int, v text); INSERT INTO ties VALUES (1, 'a'), (2, 'b'), (2, 'c'), (2, 'd'), (3, 'e')");
        var connector = PostgresConnectors.Create();
        var json = $$"""{"connector": "postgres", "connection": "{{_db.ConnectionString}}", "table": "ties", "checkpoint": "n"}""";
        var config = new ConnectorConfig(connector, DocParser.Parse(json).Root!, Roles.Source, ".", Secrets.None);
        var context = new SourceContext("ties", 2, TimeProvider.System);
        await using (var source = connector.OpenSource(config, context))
        {
            var first = await source.ReadAsync(CancellationToken.None);
            Assert.Equal(["a", "b"], first!.Records().Select(r => r["v"].AsString));
            await source.AcknowledgeAsync(first.Sequence, CancellationToken.None);
        }
        Assert.Equal("1", _db.Scalar<string>("SELECT value FROM ocht_checkpoints WHERE pipeline = 'ties'"));
        await using (var source = connector.OpenSource(config, context))
        {
            var rest = new List<string>();
            while (await source.ReadAsync(CancellationToken.None) is { } batch)
            {
                rest.AddRange(batch.Records().Select(r => r["v"].AsString));
                await source.AcknowledgeAsync(batch.Sequence, CancellationToken.None);
            }
            Assert.Equal(["b", "c", "d", "e"], rest);
        }
        Assert.Equal("3", _db.Scalar<string>("SELECT value FROM ocht_checkpoints WHERE pipeline = 'ties'"));
    }

    [Fact]
    public async Task Checkpoints_work_over_a_query_and_over_numbers_and_text()
    {
        _db.Execute("CREATE TABLE prices (sku text, amount numeric); INSERT INTO prices VALUES ('a', 1.10), ('b', 2.25), ('c', 10.5)");
        string doc = """
            {"ocht": 1, "name": "incremental", "source": {"connector": "postgres", "connection": "${env:OCHT_PG}",
              "query": "SELECT sku, amount FROM prices WHERE sku <> 'z'", "checkpoint": "amount"},
             "sink": {"connector": "memory", "name": "out"} }
            """;
        Assert.True((await _db.RunAsync(doc)).Succeeded);
        Assert.Equal("10.5", Stored());
        _db.Execute("INSERT INTO prices VALUES ('d', 9.99), ('e', 10.51)");
        Assert.Equal(1, (await _db.RunAsync(doc)).Records.Read);
        Assert.Equal("10.51", Stored());
    }

    [Fact]
    public async Task Rows_with_a_null_checkpoint_are_rejected_not_dropped()
    {
        _db.Execute("CREATE TABLE loose (id int, v text); INSERT INTO loose VALUES (1, 'a'), (NULL, 'b')");
        string doc = """
            {"ocht": 1, "name": "incremental", "source": {"connector": "postgres", "connection": "${env:OCHT_PG}", "table": "loose", "checkpoint": "id"},
             "sink": {"connector": "memory", "name": "out"}, "on_error": {"policy": "dead-letter", "sink": {"connector": "memory", "name": "dead"}} }
            """;
        var report = await _db.RunAsync(doc);
        Assert.True(report.Succeeded);
        Assert.Equal(1, report.Records.Rejected);
        Assert.Contains("checkpoint field \\\"id\\\" is null", Assert.Single(_db.Output("dead")));
    }

    public void Dispose() => _db.Dispose();
}
