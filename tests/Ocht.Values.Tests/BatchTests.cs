using FsCheck.Fluent;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Values.Tests;

public class BatchTests
{
    [Fact]
    public void Compact_keeps_flagged_rows_in_order_with_their_lines()
    {
        var batch = new Batch(Schema.Of("n"), 4);
        for (int i = 1; i <= 4; i++) batch.AddRow([i], line: i + 1);
        batch.Compact([true, false, true, false]);
        Assert.Equal(2, batch.Count);
        Assert.Equal([1L, 3L], batch.Records().Select(r => r["n"].AsInt));
        Assert.Equal([2L, 4L], batch.Lines.ToArray());
    }

    [Fact]
    public void Compact_keeps_exactly_the_flagged_rows_and_leaves_clear_cells_behind() =>
        Properties.Check(Prop.ForAll(Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(Gen.Elements(true, false), n)).ToArbitrary(), Gen.Choose(0, 2).ToArbitrary(), (keep, spare) =>
        {
            var batch = new Batch(Schema.Of("a", "b", "c"), 48, spare);
            for (int r = 0; r < keep.Length; r++)
            {
                var cells = batch.AddRow(100 + r);
                cells[0] = Value.FromInt(r);
                cells[1] = Value.FromString($"row {r}");
                cells[2] = r % 3 == 0 ? Value.Null : Value.FromScaled(r, 1);
            }
            batch.Compact(keep);
            var kept = Enumerable.Range(0, keep.Length).Where(r => keep[r]).ToArray();
            if (batch.Count != kept.Length) return false;
            for (int i = 0; i < kept.Length; i++)
            {
                var row = batch.Row(i);
                if (row[0].AsInt != kept[i] || row[1].AsString != $"row {kept[i]}" || batch.LineOf(i) != 100 + kept[i]) return false;
            }
            while (!batch.IsFull)
                foreach (var cell in batch.AddRow(0))
                    if (!cell.IsNull) return false;
            return true;
        }), 500);

    [Theory]
    [InlineData(6, 7, 4096, 0)]   // the pooled array has room: rows move apart in place
    [InlineData(6, 8, 4096, 0)]
    [InlineData(6, 9, 4096, 0)]   // no room: a new array
    [InlineData(3, 4, 5, 0)]
    [InlineData(2, 2, 3, 0)]
    [InlineData(6, 7, 4096, 1)]   // the rows have room: nothing moves
    [InlineData(6, 7, 4096, 3)]
    [InlineData(6, 8, 4096, 1)]   // more than the room: rows move apart
    [InlineData(6, 9, 4096, 1)]
    [InlineData(3, 5, 5, 2)]
    public void Widening_keeps_every_row_and_adds_null_fields(int from, int to, int capacity, int spare)
    {
        var names = Enumerable.Range(0, to).Select(i => $"f{i}").ToArray();
        var batch = new Batch(Schema.Of(names[..from]), capacity, spare);
        Assert.Equal(from + spare, batch.Stride);
        int rows = capacity - 1;
        for (int r = 0; r < rows; r++)
        {
            var cells = batch.AddRow(r + 1);
            for (int c = 0; c < from; c++) cells[c] = c % 2 == 0 ? Value.FromInt(r * 100 + c) : Value.FromString($"{r}:{c}");
        }
        batch.Widen(Schema.Of(names));
        Assert.Equal(to, batch.Width);
        Assert.Equal(Math.Max(to, from + spare), batch.Stride);
        for (int r = 0; r < rows; r++)
        {
            var row = batch.Row(r);
            for (int c = 0; c < from; c++) Assert.Equal(c % 2 == 0 ? $"{r * 100 + c}" : $"{r}:{c}", row[c].ToString());
            for (int c = from; c < to; c++) Assert.True(row[c].IsNull, $"row {r} field {c} is {row[c]}");
            Assert.Equal(r + 1, batch.LineOf(r));
        }
        var added = batch.AddRow(0);
        foreach (var cell in added) Assert.True(cell.IsNull);
        Assert.Throws<ArgumentException>(() => batch.Widen(Schema.Of(names[..(from - 1)])));
    }

    [Fact]
    public void Rows_with_room_keep_it_clear_through_growing_compacting_and_truncating()
    {
        var batch = new Batch(Schema.Of("a", "b"), 2, spareFields: 2);
        for (int r = 0; r < 9; r++) batch.AddRow([r, $"t{r}"], line: r + 1); // grows twice
        batch.Compact(Enumerable.Range(0, 9).Select(r => r % 3 != 1).ToArray());
        batch.Truncate(5);
        batch.AddRow([99, "t99"], line: 100);
        batch.RemoveLastRow();
        batch.Widen(Schema.Of("a", "b", "c", "d"));
        Assert.Equal(4, batch.Stride);
        Assert.Equal(["""{"a":0,"b":"t0","c":null,"d":null}""", """{"a":2,"b":"t2","c":null,"d":null}""", """{"a":3,"b":"t3","c":null,"d":null}""",
            """{"a":5,"b":"t5","c":null,"d":null}""", """{"a":6,"b":"t6","c":null,"d":null}"""], batch.Records().Select(r => r.ToString()));
        Assert.Equal([1L, 3L, 4L, 6L, 7L], batch.Lines.ToArray());
        Assert.Equal(5 * 4, batch.Cells.Length);
        Assert.Equal("t5", batch[3, 1].AsString);
    }

    [Fact]
    public void Batches_from_records_cut_where_the_fields_change()
    {
        var records = new[]
        {
            Record.Of(("a", 1)), Record.Of(("a", 2)), Record.Of(("b", 3)), Record.Of(("a", 4)), Record.Of(("a", 5)), Record.Of(("a", 6)),
        };
        var batches = Batch.FromRecords(records, batchSize: 2).ToList();
        Assert.Equal([2, 1, 2, 1], batches.Select(b => b.Count));
        Assert.Equal(records.Select(r => r.ToString()), batches.SelectMany(b => b.Records()).Select(r => r.ToString()));
    }

    [Fact]
    public void A_row_of_the_wrong_width_is_refused()
    {
        var batch = new Batch(Schema.Of("a", "b"), 1);
        Assert.Throws<ArgumentException>(() => batch.AddRow([1], 0));
    }

    [Fact]
    public void Schemas_refuse_duplicate_fields_and_find_fields_when_wide()
    {
        Assert.Throws<ArgumentException>(() => Schema.Of("a", "b", "a"));
        var wide = Schema.Of(Enumerable.Range(0, 20).Select(i => $"f{i}").ToArray());
        Assert.Equal(13, wide.IndexOf("f13"));
        Assert.Equal(-1, wide.IndexOf("f99"));
        Assert.Throws<ArgumentException>(() => Schema.Of(Enumerable.Range(0, 20).Select(i => $"f{i % 19}").ToArray()));
    }

    [Fact]
    public void The_schema_cache_interns_equal_field_lists()
    {
        var cache = new SchemaCache();
        var a = cache.Get(["x", "y"]);
        var b = cache.Get(["y", "x"]);
        Assert.Same(a, cache.Get(["x", "y"]));
        Assert.Same(b, cache.Get(["y", "x"]));
        Assert.NotSame(a, b);
    }
}
