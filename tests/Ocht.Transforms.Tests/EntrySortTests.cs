using FsCheck.Fluent;
using Ocht.Document;
using Ocht.Expressions;
using Ocht.Testkit;
using Ocht.Transforms;
using Ocht.Values;

namespace Ocht.Transforms.Tests;

/// <summary>The run sort (introsort, heap sort past its depth limit) orders entries as the keys say, ties by input order.</summary>
public class EntrySortTests
{
    private static readonly SortKeys Keys = ParseKeys("""[":a", ["desc", ":b"]]""");

    [Theory]
    [InlineData(64)]  // partitions, then insertion sort
    [InlineData(1)]   // heap sort after one partition
    [InlineData(0)]   // heap sort only
    public void Entries_come_out_in_key_order_then_input_order(int depthLimit) =>
        Properties.Check(Prop.ForAll(Gen.Zip(Generators.SortKey, Generators.SortKey).ArrayOf().ToArbitrary(), rows =>
        {
            var keys = rows.SelectMany(r => new[] { r.Item1, r.Item2 }).ToArray();
            var entries = new SortEntry[rows.Length];
            bool prefixed = true;
            for (int i = 0; i < rows.Length; i++) prefixed &= SortEntry.TryCreate(Keys, keys.AsSpan(2 * i, 2), i, out entries[i]);
            // Shuffled first, so the input order the tie-break restores is not the order the sort is given.
            var shuffled = entries.OrderBy(e => (e.Index * 7919) % 101).ToArray();
            EntrySort.Sort(shuffled, new SortEntry.Order(Keys, keys, prefixed), depthLimit);
            var expected = Enumerable.Range(0, rows.Length)
                .OrderBy(i => keys[2 * i], Comparer<Value>.Create((x, y) => SortKeys.CompareOne(x, y, false)))
                .ThenBy(i => keys[2 * i + 1], Comparer<Value>.Create((x, y) => SortKeys.CompareOne(x, y, true)))
                .ThenBy(i => i);
            return shuffled.Select(e => e.Index).SequenceEqual(expected);
        }), 300);

    private static SortKeys ParseKeys(string json)
    {
        var diagnostics = new Diagnostics();
        var keys = SortKeys.Parse(DocParser.Parse(json).Root!, FieldScope.Unknown, diagnostics);
        Assert.Empty(diagnostics.Items);
        return keys!;
    }
}
