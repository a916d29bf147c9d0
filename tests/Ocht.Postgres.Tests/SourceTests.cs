using Ocht.Document;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Postgres.Tests;

public sealed class SourceTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private static readonly IConnector Postgres = PostgresConnectors.Create();

    private async Task<(List<Batch> Batches, List<Record> Records, List<Rejection> Rejections)> ReadAsync(string options, int batchSize = 100)
    {
        var json = $$"""{"connector": "postgres", "connection": "{{_db.ConnectionString}}", {{options}} }""";
        var config = new ConnectorConfig(Postgres, DocParser.Parse(json).Root!, Roles.Source, ".", Secrets.None);
        await using var source = Postgres.OpenSource(config, new SourceContext("src", batchSize, TimeProvider.System));
        var batches = new List<Batch>();
        var records = new List<Record>();
        var rejections = new List<Rejection>();
        while (await source.ReadAsync(CancellationToken.None) is { } batch)
        {
            batches.Add(batch);
            records.AddRange(batch.Records());
            rejections.AddRange(batch.Rejections ?? []);
        }
        return (batches, records, rejections);
    }

    [Fact]
    public async Task Column_types_map_to_Ocht_values()
    {
        _db.Execute("""
            CREATE TABLE types (i2 smallint, i4 integer, i8 bigint, n numeric(10,2), f4 real, f8 double precision, b boolean,
                t text, v varchar(5), c char(3), u uuid, d date, ts timestamp, tz timestamptz, j json, jb jsonb, nothing integer);
            INSERT INTO types VALUES (-2, 40000, 9000000000, 12.50, 0.5, 1e300, true, 'é ß', 'abc', 'x', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
                '2024-05-17', '2024-05-17 13:45:12.5', '2024-05-17 15:45:12+02', '{"a": [1, 2.5, "x"]}', '{"b": null}', NULL);
            """);
        var (_, records, rejections) = await ReadAsync(""" "table": "types" """);
        Assert.Empty(rejections);
        Assert.Equal("""{"i2":-2,"i4":40000,"i8":9000000000,"n":12.50,"f4":0.5,"f8":1E+300,"b":true,"t":"é ß","v":"abc","c":"x  ","u":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","d":"2024-05-17T00:00:00Z","ts":"2024-05-17T13:45:12.5Z","tz":"2024-05-17T13:45:12Z","j":{"a":[1,2.5,"x"]},"jb":{"b":null},"nothing":null}""",
            Assert.Single(records).ToString());
        var kinds = records[0].Values.ToArray().Select(v => v.Kind).ToArray();
        Assert.Equal([ValueKind.Int, ValueKind.Int, ValueKind.Int, ValueKind.Decimal, ValueKind.Float, ValueKind.Float, ValueKind.Bool], kinds[..7]);
    }

    [Fact]
    public async Task A_large_result_streams_in_batches_of_the_batch_size()
    {
        _db.Execute("CREATE TABLE big AS SELECT g AS id, md5(g::text) AS h FROM generate_series(1, 10007) g");
        var (batches, records, _) = await ReadAsync(""" "query": "SELECT id, h FROM big ORDER BY id;" """, batchSize: 1000);
        Assert.Equal(11, batches.Count);
        Assert.All(batches, b => Assert.InRange(b.Count, 1, 1000));
        Assert.Equal(Enumerable.Range(1, 10007).Select(i => (long)i), records.Select(r => r["id"].AsInt));
        Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), batches.Select(b => b.Sequence));
    }

    [Fact]
    public async Task A_row_that_cannot_be_read_is_rejected_with_its_row_number_and_column()
    {
        _db.Execute("""CREATE TABLE wide (id int, amount numeric, doc jsonb); INSERT INTO wide VALUES (1, 1, '{}'), (2, 1e40, '{}'), (3, 2, '{"x": 1e400}'), (4, 'NaN', '[]')""");
        var (_, records, rejections) = await ReadAsync(""" "query": "SELECT * FROM wide ORDER BY id" """);
        Assert.Equal([1L], records.Select(r => r["id"].AsInt));
        Assert.Equal([2L, 3L, 4L], rejections.Select(r => r.Line));
        Assert.Contains("column \"amount\" (numeric) cannot be read", rejections[0].Message);
        Assert.Contains("column \"doc\" (jsonb) cannot be read", rejections[1].Message);
        Assert.Contains("column \"amount\" (numeric) cannot be read", rejections[2].Message);
        Assert.Equal(2, rejections[0].Record!["id"].AsInt);
    }

    [Fact]
    public async Task An_unsupported_column_type_fails_with_a_hint_to_cast_it()
    {
        _db.Execute("CREATE TABLE hosts (name text, addr inet); INSERT INTO hosts VALUES ('a', '10.0.0.1')");
        var e = await Assert.ThrowsAsync<PermanentFailure>(() => ReadAsync(""" "table": "hosts" """));
        Assert.Equal("postgres:hosts: column \"addr\" has type inet, which Ocht cannot read; cast it in a \"query\" (e.g. \"addr\"::text)", e.Message);
        var (_, records, _) = await ReadAsync(""" "query": "SELECT name, addr::text AS addr FROM hosts" """);
        Assert.Equal("""{"name":"a","addr":"10.0.0.1/32"}""", Assert.Single(records).ToString());
    }

    [Fact]
    public async Task A_result_naming_a_column_twice_fails_clearly()
    {
        var e = await Assert.ThrowsAsync<PermanentFailure>(() => ReadAsync(""" "query": "SELECT 1 AS a, 2 AS a" """));
        Assert.Contains("two columns named \"a\"", e.Message);
    }

    [Fact]
    public async Task A_missing_table_fails_as_a_permanent_error_with_the_server_message()
    {
        var e = await Assert.ThrowsAsync<PermanentFailure>(() => ReadAsync(""" "table": "public.nope" """));
        Assert.StartsWith("postgres:public.nope: reading: relation \"public.nope\" does not exist (SQLSTATE 42P01)", e.Message);
    }

    public void Dispose() => _db.Dispose();
}
