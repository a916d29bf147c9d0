using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Ocht.Values;

namespace Ocht.Postgres.Tests;

/// <summary>The sink encodes binary COPY itself (CopyBuffer, PgNumeric): the server, reading the values back as
/// text, is the oracle that every column type arrives exactly as written.</summary>
public sealed class EncodingTests : IDisposable
{
    private readonly TestDatabase _db = new();

    private static string Doc(string table) => $$"""
        {"ocht": 1, "name": "load", "options": {"batch_size": 500}, "source": {"connector": "memory", "name": "in"},
         "sink": {"connector": "postgres", "connection": "${env:OCHT_PG}", "table": "{{table}}"} }
        """;

    [Fact]
    public async Task Every_column_type_takes_its_values_exactly()
    {
        _db.Execute("""
            CREATE TABLE every (i2 smallint, i4 integer, i8 bigint, n numeric, n62 numeric(6,2), f4 real, f8 double precision, b boolean,
                                t text, v varchar(5), c char(3), u uuid, d date, ts timestamp, tz timestamptz, j json, jb jsonb)
            """);
        var at = new DateTime(2024, 5, 17, 13, 45, 12, 345, DateTimeKind.Utc).AddTicks(6789);
        var map = MapValue.Of(("k", 1), ("list", Value.FromList([Value.FromString("é"), Value.Null])));
        _db.Store.Inputs["in"] =
        [
            Record.Of(("i2", -32768), ("i4", int.MaxValue), ("i8", long.MinValue), ("n", -12.3400m), ("n62", 1234.5m), ("f4", 1.5), ("f8", -2.25e-300),
                ("b", true), ("t", Value.FromString("ünïcode ✓ and \"quotes\"")), ("v", Value.FromString("abcde")), ("c", Value.FromString("xy")),
                ("u", Value.FromString("0f8fad5b-d9cb-469f-a165-70867728950e")), ("d", Value.FromTimestamp(new DateTime(1999, 12, 31, 0, 0, 0, DateTimeKind.Utc))),
                ("ts", Value.FromTimestamp(at)), ("tz", Value.FromTimestamp(new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc))), ("j", Value.FromMap(map)), ("jb", Value.FromString("s"))),
            Record.Of(("i2", Value.Null), ("i4", Value.Null), ("i8", 0), ("n", 0m), ("n62", -0.01m), ("f4", Value.Null), ("f8", 0.1), ("b", false),
                ("t", Value.FromString("")), ("v", Value.Null), ("c", Value.Null), ("u", Value.Null), ("d", Value.FromTimestamp(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc))),
                ("ts", Value.Null), ("tz", Value.FromTimestamp(at)), ("j", Value.Null), ("jb", Value.FromList([Value.FromInt(1), Value.FromDecimal(2.50m)]))),
        ];
        Assert.True((await _db.RunAsync(Doc("every"))).Succeeded);
        _db.Execute("SET TIME ZONE 'UTC'");
        var rows = _db.Json("""
            SELECT i2, i4, i8, n::text AS n, n62::text AS n62, f4, f8, b, t, v, c, u, d, ts::text AS ts, tz AT TIME ZONE 'UTC' AS tz, j::text AS j, jb
            FROM every ORDER BY i8 NULLS FIRST
            """);
        Assert.Equal(
        [
            """{"i2":-32768,"i4":2147483647,"i8":-9223372036854775808,"n":"-12.3400","n62":"1234.50","f4":1.5,"f8":-2.25e-300,"b":true,"t":"ünïcode ✓ and \"quotes\"","v":"abcde","c":"xy ","u":"0f8fad5b-d9cb-469f-a165-70867728950e","d":"1999-12-31","ts":"2024-05-17 13:45:12.345678","tz":"1900-01-01T00:00:00","j":"{\"k\":1,\"list\":[\"é\",null]}","jb":"s"}""",
            """{"i2":null,"i4":null,"i8":0,"n":"0","n62":"-0.01","f4":null,"f8":0.1,"b":false,"t":"","v":null,"c":null,"u":null,"d":"2000-01-01","ts":null,"tz":"2024-05-17T13:45:12.345678","j":null,"jb":[1, 2.50]}""",
        ], rows);
    }

    /// <summary>Any decimal: mantissa of up to 96 bits, scale 0-28, either sign (zero written unsigned, as it reads back).</summary>
    private static readonly Gen<decimal> Decimals =
        from lo in Gen.Choose(int.MinValue, int.MaxValue)
        from mid in Gen.Elements(0, 1, 7, -1, int.MaxValue, 123456789)
        from hi in Gen.Elements(0, 0, 0, 1, 42, -1)
        from scale in Gen.Choose(0, 28)
        from negative in Gen.Elements(false, true)
        select new decimal(lo, mid, hi, negative && (lo | mid | hi) != 0, (byte)scale);

    [Fact]
    public async Task Numerics_read_back_exactly_as_written()
    {
        decimal[] edges = [0m, 1m, -1m, 0.0001m, 0.00010m, 10000m, 9999.9999m, 1e-28m, decimal.MaxValue, decimal.MinValue, 12.50m, 100000000m, 0.1000m];
        var values = edges.Concat(Decimals.Sample(2000)).ToArray();
        _db.Execute("CREATE TABLE numbers (i bigint, n numeric)");
        _db.Store.Inputs["in"] = values.Select((d, i) => Record.Of(("i", i), ("n", d))).ToArray();
        Assert.True((await _db.RunAsync(Doc("numbers"))).Succeeded);
        var read = _db.Json("SELECT n::text AS n FROM numbers ORDER BY i").Select(j => j[6..^2]).ToArray();
        Assert.Equal(values.Select(d => d.ToString(CultureInfo.InvariantCulture)), read);
    }

    public void Dispose() => _db.Dispose();
}
