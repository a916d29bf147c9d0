using Npgsql;
using Ocht.Document;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Postgres.Tests;

/// <summary>Validation messages, secrets kept out of every message, and outages reported as such.</summary>
public sealed class SafetyTests : IDisposable
{
    private readonly TestDatabase _db = new();

    private static string Source(string options) => $$"""
        {"ocht": 1, "name": "p", "source": {"connector": "postgres", "connection": "${env:OCHT_PG}", {{options}} }, "sink": {"connector": "memory", "name": "out"} }
        """;

    private static string Sink(string options) => $$"""
        {"ocht": 1, "name": "p", "source": {"connector": "memory", "name": "in"}, "sink": {"connector": "postgres", "connection": "${env:OCHT_PG}", {{options}} } }
        """;

    [Theory]
    [InlineData("""{"table": "a", "query": "SELECT 1"}""", true, "/source/query", "give \"table\" or \"query\", not both")]
    [InlineData("""{}""", true, "/source", "a postgres source needs \"table\" or \"query\"")]
    [InlineData("""{"table": "a.b.c"}""", true, "/source/table", "bad \"table\": \"a.b.c\" has more than one dot; write \"table\" or \"schema.table\" (names containing a dot are not supported)")]
    [InlineData("""{"table": "s."}""", true, "/source/table", "bad \"table\": a name cannot be empty")]
    [InlineData("""{"query": " ; "}""", true, "/source/query", "\"query\" is empty")]
    [InlineData("""{"table": "t", "checkpoint": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""", true, "/source/checkpoint", "bad \"checkpoint\" field: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" is 68 bytes long; PostgreSQL names hold at most 63")]
    [InlineData("""{"table": "t", "mode": "upsert"}""", false, "/sink/mode", "mode \"upsert\" needs \"key\": the fields that identify a row, e.g. \"key\": [\"id\"]")]
    [InlineData("""{"table": "t", "key": ["id"]}""", false, "/sink/key", "\"key\" applies only to mode \"upsert\" (mode is \"insert\")")]
    [InlineData("""{"table": "t", "mode": "upsert", "key": []}""", false, "/sink/key", "\"key\" needs at least one field")]
    [InlineData("""{"table": "t", "mode": "upsert", "key": ["id", "id"]}""", false, "/sink/key", "field \"id\" is listed twice in \"key\"")]
    [InlineData("""{"mode": "insert"}""", false, "/sink", "a postgres sink needs \"table\"")]
    public void Bad_options_are_rejected_at_their_pointer(string options, bool source, string pointer, string message)
    {
        string inner = options.Trim()[1..^1];
        var loaded = _db.Load(source ? Source(inner) : Sink(inner));
        Assert.False(loaded.Ok);
        Assert.Contains(loaded.Diagnostics, d => d.Pointer == pointer && d.Message == message);
    }

    [Fact]
    public void A_malformed_connection_string_is_rejected_without_quoting_it()
    {
        var loaded = _db.Load(Source("\"table\": \"t\""), connection: "Host=x;Password=s3cret;this is not a pair");
        var d = Assert.Single(loaded.Diagnostics);
        Assert.Equal("/source/connection", d.Pointer);
        Assert.DoesNotContain("s3cret", d.Message);
        Assert.StartsWith("\"connection\" is not a valid Npgsql connection string", d.Message);
    }

    [Fact]
    public void Describe_names_the_table_and_never_the_connection()
    {
        var loaded = _db.Load(Source("\"table\": \"public.orders\""));
        Assert.Equal("postgres:public.orders", loaded.Plan!.Source.Describe());
        Assert.DoesNotContain(_db.Password, Explain.Render(loaded.Plan));
    }

    [Fact]
    public async Task The_connection_string_never_appears_in_run_errors()
    {
        string wrongPassword = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Password = "Wr0ngPassw0rd" }.ConnectionString;
        var report = await _db.RunAsync(Source("\"table\": \"t\""), wrongPassword);
        Assert.Equal("io-error", report.Error!.Kind);
        Assert.Contains("postgres:t: cannot connect: password authentication failed for user \"ocht\" (SQLSTATE 28P01)", report.Error.Message);
        Assert.DoesNotContain("Wr0ngPassw0rd", report.Error.Message);

        // Even when the document spells it out instead of ${env:...}, the connector redacts it from what it reports.
        var literal = $$"""{"ocht": 1, "name": "p", "source": {"connector": "postgres", "connection": "{{_db.ConnectionString}}", "query": "SELECT '{{_db.ConnectionString}}'::int"}, "sink": {"connector": "memory", "name": "out"} }""";
        var failed = await _db.RunAsync(literal);
        Assert.False(failed.Succeeded);
        Assert.DoesNotContain(_db.Password, failed.Error!.Message);
        Assert.Contains("***", failed.Error.Message);
    }

    [Fact]
    public async Task A_closed_port_is_an_outage_not_a_failure()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
        string closed = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Port = port, Timeout = 3 }.ConnectionString;
        var report = await _db.RunAsync(Source("\"table\": \"t\""), closed);
        Assert.Equal("unavailable", report.Error!.Kind);
        Assert.StartsWith("postgres:t: cannot connect:", report.Error.Message);
        Assert.DoesNotContain(_db.Password, report.Error.Message);

        _db.Input("in", """{"id": 1}""");
        var sink = await _db.RunAsync(Sink("\"table\": \"t\""), closed);
        Assert.Equal("unavailable", sink.Error!.Kind);
    }

    [Fact]
    public async Task A_server_closing_the_connection_mid_run_is_an_outage()
    {
        _db.Execute("CREATE TABLE t (id bigint)");
        var connector = PostgresConnectors.Create();
        var json = $$"""{"connector": "postgres", "connection": "{{_db.ConnectionString}}", "table": "t"}""";
        var config = new ConnectorConfig(connector, DocParser.Parse(json).Root!, Roles.Sink, ".", Secrets.None);
        await using var sink = connector.OpenSink(config, new SinkContext("outage", 10, TimeProvider.System));
        var rejected = new SinkRejections();
        // Two batches: the sink writes them on its two connections in turn, so both are open.
        foreach (int id in new[] { 1, 2 })
        {
            var batch = Batch.FromRecords([Record.Of(("id", id))]).Single();
            rejected.Begin(batch);
            await sink.WriteAsync(batch, rejected, CancellationToken.None);
            Assert.True(await sink.FlushAsync(CancellationToken.None));
        }
        // What a server restart does to its sessions: terminate them (SQLSTATE 57P01).
        _db.Execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ocht:outage'");
        var next = Batch.FromRecords([Record.Of(("id", 3))]).Single();
        rejected.Begin(next);
        var e = await Assert.ThrowsAsync<ConnectorUnavailableException>(async () =>
        {
            await sink.WriteAsync(next, rejected, CancellationToken.None);
            await sink.FlushAsync(CancellationToken.None);
        });
        Assert.StartsWith("postgres:t: ", e.Message);
        await sink.AbortAsync();
        Assert.Equal(2L, _db.Scalar<long>("SELECT count(*) FROM t"));
    }

    public void Dispose() => _db.Dispose();
}
