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
