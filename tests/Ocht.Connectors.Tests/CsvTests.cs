using System.Text;
using Ocht.Document;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Connectors.Tests;

public sealed class CsvTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ocht-csv-").FullName;
    private static readonly IConnector Csv = Connectors.All().Single(c => c.Spec.Name == "csv");

    private ConnectorConfig Config(string json, Roles role) =>
        new(Csv, DocParser.Parse(json).Root!, role, _dir, Secrets.None);

    private async Task<(List<Record> Records, List<Rejection> Rejections)> Read(string csv, string options = "", int batchSize = 100)
    {
        File.WriteAllBytes(Path.Combine(_dir, "in.csv"), Encoding.UTF8.GetBytes(csv));
        await using var source = Csv.OpenSource(Config($$"""{"connector": "csv", "path": "in.csv" {{options}} }""", Roles.Source), new SourceContext("t", batchSize, TimeProvider.System));
        var records = new List<Record>();
        var rejections = new List<Rejection>();
        while (await source.ReadAsync(CancellationToken.None) is { } b)
        {
            records.AddRange(b.Records());
            rejections.AddRange(b.Rejections ?? []);
        }
        return (records, rejections);
    }

    [Fact]
    public async Task Column_types_are_inferred_the_way_a_person_reads_them()
    {
        var (records, _) = await Read("i,d,mixed,f,b,ts,zip,day,text,empty\n1,1.50,1,1e3,true,2024-05-17T13:45:12Z,007,2024-05-17,x,\n-2,0.25,2.5,2E-1,false,2024-05-18T00:00:00+02:00,010,2024-05-18,y,\n");
        var kinds = records[0].Values.ToArray().Select(v => v.Kind).ToArray();
        Assert.Equal([ValueKind.Int, ValueKind.Decimal, ValueKind.Decimal, ValueKind.Float, ValueKind.Bool, ValueKind.Timestamp, ValueKind.String, ValueKind.String, ValueKind.String, ValueKind.Null], kinds);
        Assert.Equal("""{"i":-2,"d":0.25,"mixed":2.5,"f":0.2,"b":false,"ts":"2024-05-17T22:00:00Z","zip":"010","day":"2024-05-18","text":"y","empty":null}""", records[1].ToString());
    }

    [Fact]
    public async Task Inference_can_be_switched_off_or_overridden()
    {
        var (text, _) = await Read("a,b\n1,2.5\n", """, "infer": false""");
        Assert.Equal("""{"a":"1","b":"2.5"}""", text[0].ToString());
        var (typed, _) = await Read("a,b\n007,2.5\n", """, "types": {"a": "int", "b": "string"}""");
        Assert.Equal("""{"a":7,"b":"2.5"}""", typed[0].ToString());
    }

    [Fact]
    public async Task Empty_fields_are_null_and_quoted_empty_fields_are_empty_text()
    {
        var (records, _) = await Read("a,b\n,\"\"\n");
        Assert.Equal("""{"a":null,"b":""}""", records[0].ToString());
    }

    [Fact]
    public async Task A_value_that_does_not_fit_its_inferred_column_is_rejected_with_line_and_raw_text()
    {
        var (records, rejections) = await Read("id,qty\n1,5\n2,6\n3,seven\n4,8\n", """, "infer_rows": 2""");
        Assert.Equal(3, records.Count);
        var r = Assert.Single(rejections);
        Assert.Equal(("type-error", 4L, "3,seven"), (r.Error, r.Line, r.Raw));
        Assert.Contains("column \"qty\" is int (inferred from the first 2 rows; set \"types\" to override), but \"seven\" is not an int", r.Message);
    }

    [Theory]
    [InlineData("a,b\n1,2\n3\n5,6\n", 3, "the row has 1 field but there are 2 columns")]
    [InlineData("a,b\n1,2\n3,4,5\n5,6\n", 3, "the row has 3 fields but there are 2 columns")]
    [InlineData("a,b\n1,2\n3,x\"y\n5,6\n", 3, "a quote inside an unquoted field")]
    [InlineData("a,b\n1,2\n3,\"x\"y\n5,6\n", 3, "text after a closing quote")]
    public async Task Malformed_rows_are_rejected_with_their_line(string csv, long line, string why)
    {
        var (records, rejections) = await Read(csv);
        Assert.Equal(2, records.Count);
        var r = Assert.Single(rejections);
        Assert.Equal(line, r.Line);
        Assert.Equal("parse-error", r.Error);
        Assert.Contains(why, r.Message);
        Assert.NotNull(r.Raw);
    }

    [Fact]
    public async Task Invalid_utf8_is_rejected_not_replaced()
    {
        File.WriteAllBytes(Path.Combine(_dir, "in.csv"), [.. "a,b\n1,ok\n2,"u8.ToArray(), 0xC3, 0x28, (byte)'\n']);
        await using var source = Csv.OpenSource(Config("""{"connector": "csv", "path": "in.csv"}""", Roles.Source), new SourceContext("t", 100, TimeProvider.System));
        var batch = (await source.ReadAsync(CancellationToken.None))!;
        Assert.Equal(1, batch.Count);
        Assert.Contains("not valid UTF-8", Assert.Single(batch.Rejections!).Message);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_column_the_pipeline_does_not_read_still_rejects_the_row()
    {
        File.WriteAllBytes(Path.Combine(_dir, "in.csv"), [.. "a,b\n1,ok\n2,"u8.ToArray(), 0xC3, 0x28, (byte)'\n', .. "3,fine\n"u8.ToArray()]);
        var context = new SourceContext("t", 100, TimeProvider.System) { Fields = ["a"] };
        await using var source = Csv.OpenSource(Config("""{"connector": "csv", "path": "in.csv"}""", Roles.Source), context);
        var batch = (await source.ReadAsync(CancellationToken.None))!;
        Assert.Equal([1L, 3L], Enumerable.Range(0, batch.Count).Select(i => batch[i, 0].AsInt));
        var rejection = Assert.Single(batch.Rejections!);
        Assert.Equal(3L, rejection.Line);
        Assert.Contains("column \"b\" is not valid UTF-8", rejection.Message);
    }

    [Fact]
    public async Task Ints_read_the_same_wherever_they_lie_quoted_signed_or_first_in_the_file()
    {
        // The first field of the file has fewer than 8 bytes before its end; quoted and signed ones take the digit loop.
        File.WriteAllText(Path.Combine(_dir, "in.csv"), "a,b\n7,\"12345678\"\n-3,00000042\n+5,x9\n123456789,\"1\"\"2\"\n40,9\n");
        var context = new SourceContext("t", 100, TimeProvider.System);
        await using var source = Csv.OpenSource(Config("""{"connector": "csv", "path": "in.csv", "types": {"a": "int", "b": "int"}}""", Roles.Source), context);
        var batch = (await source.ReadAsync(CancellationToken.None))!;
        Assert.Equal(["7,12345678", "-3,42", "40,9"], Enumerable.Range(0, batch.Count).Select(i => $"{batch[i, 0].AsInt},{batch[i, 1].AsInt}"));
        Assert.Equal([4L, 5L], batch.Rejections!.Select(r => r.Line));
        Assert.Contains("\"x9\" is not an int", batch.Rejections![0].Message);
        Assert.Contains("\"1\"2\" is not an int", batch.Rejections![1].Message);
    }

    [Theory]
    [InlineData("i", "x1", "column \"i\" is int, but \"x1\" is not an int")]
    [InlineData("i", "99999999999999999999", "is not an int")]
    [InlineData("t", "2024-02-30T00:00:00Z", "column \"t\" is timestamp, but \"2024-02-30T00:00:00Z\" is not a timestamp")]
    [InlineData("d", "1.2.3", "column \"d\" is decimal, but \"1.2.3\" is not a decimal")]
    [InlineData("f", "one", "column \"f\" is float, but \"one\" is not a float")]
    [InlineData("b", "maybe", "column \"b\" is bool, but \"maybe\" is not a bool")]
    public async Task A_bad_value_rejects_the_row_whether_or_not_the_pipeline_reads_its_column(string column, string bad, string message)
    {
        string[] columns = ["k", "i", "t", "d", "f", "b"];
        string[] good = ["0", "-7", "2024-02-29T23:59:59Z", "12.50", "1.5e3", "true"];
        var badRow = good.Select((v, c) => columns[c] == column ? bad : v).ToArray();
        File.WriteAllText(Path.Combine(_dir, "in.csv"), $"{string.Join(',', columns)}\n{string.Join(',', good)}\n{string.Join(',', badRow)}\n{string.Join(',', good)}\n");
        const string options = """{"connector": "csv", "path": "in.csv", "types": {"i": "int", "t": "timestamp", "d": "decimal", "f": "float", "b": "bool"}}""";
        foreach (var fields in new[] { ["k"], columns })
        {
            var context = new SourceContext("t", 100, TimeProvider.System) { Fields = fields, SpareFields = 1 };
            await using var source = Csv.OpenSource(Config(options, Roles.Source), context);
            var batch = (await source.ReadAsync(CancellationToken.None))!;
            Assert.Equal(2, batch.Count);
            Assert.Equal(fields.Length, batch.Width);
            Assert.Equal(fields.Length + 1, batch.Stride); // room for what later steps add
            Assert.Equal([2L, 4L], batch.Lines.ToArray());
            if (fields.Length == columns.Length)
                Assert.Equal("""{"k":0,"i":-7,"t":"2024-02-29T23:59:59Z","d":12.50,"f":1500,"b":true}""", batch.GetRecord(1).ToString());
            var rejection = Assert.Single(batch.Rejections!);
            Assert.Equal(3L, rejection.Line);
            Assert.Contains(message, rejection.Message);
        }
    }

    [Fact]
    public async Task Blank_lines_are_skipped_and_later_lines_keep_their_numbers()
    {
        File.WriteAllText(Path.Combine(_dir, "in.csv"), "a,b\n1,x\n\n2,y\n\n\n3,\"bad\"q\n4,z\n\n");
        await using var source = Csv.OpenSource(Config("""{"connector": "csv", "path": "in.csv"}""", Roles.Source), new SourceContext("t", 100, TimeProvider.System));
        var batch = (await source.ReadAsync(CancellationToken.None))!;
        Assert.Equal([1L, 2L, 4L], Enumerable.Range(0, batch.Count).Select(i => batch[i, 0].AsInt));
        Assert.Equal([2L, 4L, 8L], batch.Lines.ToArray());
        Assert.Equal(7L, Assert.Single(batch.Rejections!).Line);
    }

    [Fact]
    public async Task Lines_count_physical_lines_through_quoted_line_breaks_crlf_and_bom()
    {
        var (records, rejections) = await Read("\uFEFFa,b\r\n1,\"two\r\nlines\"\r\n2,x\"y\r\n3,z\r\n");
        Assert.Equal(2, records.Count);
        Assert.Equal("a", records[0].Schema[0]);
        Assert.Equal(4L, Assert.Single(rejections).Line);
    }

    [Fact]
    public async Task Headerless_files_name_columns_and_other_delimiters_work()
    {
        var (records, _) = await Read("1;x\n2;y\n", """, "header": false, "delimiter": ";" """);
        Assert.Equal("""{"column1":2,"column2":"y"}""", records[1].ToString());
    }

    [Fact]
    public async Task A_repeated_header_name_fails_and_empty_names_get_numbers()
    {
        var (records, _) = await Read("a,,c\n1,2,3\n");
        Assert.Equal("""{"a":1,"column2":2,"c":3}""", records[0].ToString());
        var e = await Assert.ThrowsAsync<IOException>(() => Read("a,b,a\n1,2,3\n"));
        Assert.Contains("names column \"a\" twice (columns 1 and 3)", e.Message);
    }

    [Fact]
    public async Task Empty_and_header_only_files_have_no_records()
    {
        Assert.Empty((await Read("")).Records);
        Assert.Empty((await Read("a,b\n")).Records);
    }

    [Fact]
    public void Probing_reads_the_header_only()
    {
        File.WriteAllText(Path.Combine(_dir, "in.csv"), "id,country\n1,US\n");
        Assert.Equal(["id", "country"], Csv.Probe(Config("""{"connector": "csv", "path": "in.csv"}""", Roles.Source)).Fields);
        Assert.False(Csv.Probe(Config("""{"connector": "csv", "path": "missing.csv"}""", Roles.Source)).IsKnown);
    }

    [Fact]
    public async Task The_sink_quotes_minimally_and_rejects_fields_outside_its_columns()
    {
        await using var sink = Csv.OpenSink(Config("""{"connector": "csv", "path": "out/o.csv"}""", Roles.Sink), new SinkContext("t", 10, TimeProvider.System));
        var rejected = new SinkRejections();
        foreach (var batch in new[] { Batch.FromRecords([Record.Of(("a", "x,y"), ("b", 1.50m)), Record.Of(("a", "say \"hi\""), ("b", Value.Null))]).Single(), Batch.FromRecords([Record.Of(("a", ""), ("c", 1))]).Single() })
        {
            rejected.Begin(batch);
            await sink.WriteAsync(batch, rejected, CancellationToken.None);
        }
        await sink.CommitAsync(CancellationToken.None);
        Assert.Equal("a,b\n\"x,y\",1.50\n\"say \"\"hi\"\"\",\n", File.ReadAllText(Path.Combine(_dir, "out/o.csv")));
        Assert.Contains("field \"c\" is not one of the CSV columns", Assert.Single(rejected.Items).Message);
    }

    [Fact]
    public async Task Sink_fields_choose_and_order_columns()
    {
        await using var sink = Csv.OpenSink(Config("""{"connector": "csv", "path": "o.csv", "fields": ["b", "a"]}""", Roles.Sink), new SinkContext("t", 10, TimeProvider.System));
        var rejected = new SinkRejections();
        foreach (var batch in Batch.FromRecords([Record.Of(("a", 1), ("b", 2), ("c", 3)), Record.Of(("a", 4))]))
        {
            rejected.Begin(batch);
            await sink.WriteAsync(batch, rejected, CancellationToken.None);
        }
        await sink.CommitAsync(CancellationToken.None);
        Assert.Equal("b,a\n2,1\n,4\n", File.ReadAllText(Path.Combine(_dir, "o.csv")));
        Assert.Empty(rejected.Items);
    }

    [Fact]
    public async Task The_sink_writes_any_text_as_utf8_and_quotes_it_when_needed()
    {
        string[] texts = ["plain", "é 日本 😀", "a;b", "line\nbreak", "cr\r", "q\"uote", "bad \uD800 surrogate", new string('x', 2000) + ";", "\uD83D"];
        await using (var sink = Csv.OpenSink(Config("""{"connector": "csv", "path": "t.csv", "delimiter": ";", "header": false}""", Roles.Sink), new SinkContext("t", 100, TimeProvider.System)))
        {
            var rejected = new SinkRejections();
            foreach (var batch in Batch.FromRecords(texts.Select(t => Record.Of(("t", t)))))
            {
                rejected.Begin(batch);
                await sink.WriteAsync(batch, rejected, CancellationToken.None);
            }
            await sink.CommitAsync(CancellationToken.None);
        }
        string Expected(string t)
        {
            var utf8 = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(t)); // lone surrogates become U+FFFD
            return utf8.IndexOfAny([';', '"', '\r', '\n']) >= 0 ? "\"" + utf8.Replace("\"", "\"\"") + "\"" : utf8;
        }
        Assert.Equal(string.Concat(texts.Select(t => Expected(t) + "\n")), File.ReadAllText(Path.Combine(_dir, "t.csv")));
    }

    [Theory]
    [InlineData(",", "-5,9223372036854775807,12.00,-0.5,79228162514264337593543950335,1.5,1E+300,true,2024-02-29T23:59:59Z,\n")]
    // A delimiter that numbers and timestamps contain quotes them.
    [InlineData("-", "\"-5\"-9223372036854775807-12.00-\"-0.5\"-79228162514264337593543950335-1.5-1E+300-true-\"2024-02-29T23:59:59Z\"-\n")]
    [InlineData(".", "-5.9223372036854775807.\"12.00\".\"-0.5\".79228162514264337593543950335.\"1.5\".1E+300.true.2024-02-29T23:59:59Z.\n")]
    public async Task The_sink_writes_every_scalar_kind_as_its_text(string delimiter, string expected)
    {
        var record = Record.Of(("i", -5), ("max", long.MaxValue), ("d", 12.00m), ("neg", -0.5m), ("wide", decimal.MaxValue), ("f", 1.5),
            ("big", 1e300), ("b", true), ("ts", new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc)), ("none", Value.Null));
        await using (var sink = Csv.OpenSink(Config($$"""{"connector": "csv", "path": "k.csv", "delimiter": "{{delimiter}}", "header": false}""", Roles.Sink), new SinkContext("t", 10, TimeProvider.System)))
        {
            var rejected = new SinkRejections();
            foreach (var batch in Batch.FromRecords([record]))
            {
                rejected.Begin(batch);
                await sink.WriteAsync(batch, rejected, CancellationToken.None);
            }
            await sink.CommitAsync(CancellationToken.None);
        }
        Assert.Equal(expected, File.ReadAllText(Path.Combine(_dir, "k.csv")));
    }

    [Fact]
    public void Bad_options_are_validation_errors()
    {
        var d = new Diagnostics();
        Csv.Validate(Config("""{"connector": "csv", "path": "x", "delimiter": "ab", "types": {"a": "integer"}}""", Roles.Source), d);
        Assert.Equal(2, d.Count);
        Assert.Contains(d.Items, x => x.Message.Contains("did you mean \"int\""));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
