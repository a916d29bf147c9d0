using System.Text;
using CsvHelper;
using FsCheck.Fluent;
using Ocht.Testkit;

namespace Ocht.Connectors.Tests;

public class RecordBoundaryTests
{
    private static readonly string[] Fields = ["a", "", "x y", "\"q,uoted\"", "\"multi\nline\"", "\"es\"\"caped\"", "st\"ray", "\"closed\"after", "\"\"", "12.50", "\"\r\n\""];

    private static List<string> Parse(ReadOnlySpan<byte> csv)
    {
        var rows = new List<string>();
        var bytes = csv.ToArray();
        using var reader = CsvReader.Create(bytes.AsMemory(), new CsvReaderOptions { HasHeader = false, MalformedData = CsvMalformedDataHandling.Skip, FieldCountMismatch = CsvFieldCountHandling.Allow, OnMalformedRecord = m => rows.Add("malformed:" + m.RawRecord) });
        while (reader.Read())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => Encoding.UTF8.GetString(reader.GetSpan(i)))));
        return rows;
    }

    [Fact]
    public void Cutting_at_a_found_boundary_reads_the_same_records_as_reading_it_whole()
    {
        var row = Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Gen.Elements(Fields), n)).Select(f => string.Join(",", f));
        var doc = Gen.Zip(Gen.ArrayOf(row, 12), Gen.Elements("\n", "\r\n", "\r")).Select(t => string.Join(t.Item2, t.Item1) + t.Item2);
        Properties.Check(Prop.ForAll(Gen.Zip(doc, Gen.Choose(0, 1000)).ToArbitrary(), t =>
        {
            var bytes = Encoding.UTF8.GetBytes(t.Item1);
            int cut = t.Item2 % (bytes.Length + 1);
            int end = RecordBoundaries.LastEnd(bytes.AsSpan(0, cut), (byte)',');
            if (end < 0) return true;
            var whole = Parse(bytes);
            var split = Parse(bytes.AsSpan(0, end)).Concat(Parse(bytes.AsSpan(end))).ToList();
            if (!whole.SequenceEqual(split))
                throw new Xunit.Sdk.XunitException($"cut at {end} of {Encoding.UTF8.GetString(bytes).Replace("\n", "\\n")}:\nwhole {string.Join(" / ", whole)}\nsplit {string.Join(" / ", split)}");
            return true;
        }), 1000);
    }

    [Fact]
    public void The_last_record_end_is_the_one_found_by_searching_every_stretch()
    {
        // Up to 200 rows, many with quoted fields (some holding line breaks), so the stretches outside quotes
        // often outnumber those kept and the last ones may have no line end.
        var row = Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Gen.Elements(Fields), n)).Select(f => string.Join(",", f));
        var doc = Gen.Zip(Gen.Choose(1, 200).SelectMany(n => Gen.ArrayOf(row, n)), Gen.Elements("\n", "\r\n", "\r")).Select(t => string.Join(t.Item2, t.Item1) + t.Item2);
        int found = 0;
        Properties.Check(Prop.ForAll(Gen.Zip(doc, Gen.Choose(0, 100_000)).ToArbitrary(), t =>
        {
            var bytes = Encoding.UTF8.GetBytes(t.Item1);
            var cut = bytes.AsSpan(0, t.Item2 % (bytes.Length + 1));
            int end = RecordBoundaries.LastEnd(cut, (byte)',');
            found += end >= 0 ? 1 : 0;
            return end == RecordBoundaries.LastEndSearchingEveryStretch(cut, (byte)',');
        }), 1000);
        Assert.True(found > 500, $"only {found} cuts had a record end");
    }

    [Fact]
    public void A_record_of_many_quoted_fields_after_the_last_line_end_does_not_hide_it()
    {
        // 100 quoted fields (each one a stretch outside quotes after it) follow the only line end.
        var text = "id,note\n" + string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"n{i}\""));
        Assert.Equal(8, RecordBoundaries.LastEnd(Encoding.UTF8.GetBytes(text), (byte)','));
        Assert.Equal(-1, RecordBoundaries.LastEnd(Encoding.UTF8.GetBytes(text[8..]), (byte)','));
    }

    [Fact]
    public void The_first_record_end_skips_line_breaks_inside_quotes()
    {
        Assert.Equal(10, RecordBoundaries.FirstEnd("a,\"b\nc\",d\ne,f\n"u8, (byte)','));
        Assert.Equal(-1, RecordBoundaries.FirstEnd("a,\"b\nc"u8, (byte)','));
        Assert.Equal(6, RecordBoundaries.FirstEnd("a,b\"c\nd\n"u8, (byte)','));
    }

    [Fact]
    public void A_lone_cr_ends_a_line_once_the_next_byte_shows_no_lf_follows()
    {
        Assert.Equal(4, RecordBoundaries.FirstEnd("a,b\rc,d\r"u8, (byte)','));
        Assert.Equal(5, RecordBoundaries.FirstEnd("a,b\r\nc"u8, (byte)','));
        Assert.Equal(-1, RecordBoundaries.FirstEnd("a,b\r"u8, (byte)','));
        Assert.Equal(4, RecordBoundaries.LastEnd("a,b\rc,d\r"u8, (byte)','));
        Assert.Equal(9, RecordBoundaries.LastEnd("a,b\rc,d\r\n"u8, (byte)','));
        Assert.Equal(3, RecordBoundaries.LastEnd("a\r\nb\r"u8, (byte)',')); // the last CR may yet be a CRLF
        Assert.Equal(3, RecordBoundaries.CountLines("a\rb\r\nc\nd"u8));
        Assert.Equal(4, RecordBoundaries.CountLines("a\rb\r\nc\nd\re"u8));
    }

    [Fact]
    public void Lines_are_counted_alike_however_the_ends_fall_on_the_blocks() =>
        Properties.Check(Prop.ForAll(Gen.Choose(0, 200).SelectMany(n => Gen.ArrayOf(Gen.Elements((byte)'a', (byte)'\r', (byte)'\n'), n)).ToArbitrary(), bytes =>
        {
            var text = Encoding.Latin1.GetString(bytes);
            long expected = text.Replace("\r\n", "\n").Count(c => c is '\n' or '\r');
            return RecordBoundaries.CountLinesInOnePass(bytes) == expected && RecordBoundaries.CountLinesByCounting(bytes) == expected;
        }), 1000);

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task A_file_of_many_chunks_keeps_every_record_and_line_number(string lineEnd)
    {
        string dir = Directory.CreateTempSubdirectory("ocht-chunks-").FullName;
        var text = new StringBuilder("id,note" + lineEnd);
        for (int i = 1; i <= 60_000; i++)
            text.Append(i).Append(',').Append(i % 7 == 0 ? $"\"two{lineEnd}lines, quoted\"" : i == 50_000 ? "bro\"ken,extra" : "plain text " + i).Append(lineEnd);
        File.WriteAllText(Path.Combine(dir, "big.csv"), text.ToString());
        var csv = Connectors.All().Single(c => c.Spec.Name == "csv");
        var config = new Ocht.Model.ConnectorConfig(csv, Ocht.Document.DocParser.Parse("""{"connector": "csv", "path": "big.csv"}""").Root!, Ocht.Document.Roles.Source, dir, Ocht.Document.Secrets.None);
        await using var source = (Ocht.Model.IChunkedSource)csv.OpenSource(config, new Ocht.Model.SourceContext("t", 4096, TimeProvider.System));
        var chunks = new List<Ocht.Model.SourceChunk>();
        while (await source.ReadChunkAsync(CancellationToken.None) is { } chunk) chunks.Add(chunk);
        Assert.True(chunks.Count > 1, "the file should span several chunks");
        var batches = chunks.AsParallel().AsOrdered().SelectMany(source.Decode).ToList();
        var records = batches.SelectMany(b => b.Records().Select((r, i) => (r, line: b.LineOf(i)))).ToList();
        Assert.Equal(59_999, records.Count);
        Assert.Equal(Enumerable.Range(1, 60_000).Where(i => i != 50_000).Select(i => (long)i), records.Select(x => x.r["id"].AsInt));
        long expectedLine(long id) => 2 + (id - 1) + (id - 1) / 7;
        Assert.All(records.Where(x => x.r["id"].AsInt % 997 == 0), x => Assert.Equal(expectedLine(x.r["id"].AsInt), x.line));
        var rejected = Assert.Single(batches.SelectMany(b => b.Rejections ?? []));
        Assert.Equal(expectedLine(50_000), rejected.Line);
        Assert.Equal(batches.Select(b => b.Sequence).Order(), batches.Select(b => b.Sequence));
        Directory.Delete(dir, recursive: true);
    }
}
