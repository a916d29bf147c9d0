using FsCheck.Fluent;
using Ocht.Testkit;
using Ocht.Transforms;
using Ocht.Values;

namespace Ocht.Transforms.Tests;

public class PropertyTests
{
    private static int KeyOrder(Value a, Value b, bool desc)
    {
        if (a.IsNull || b.IsNull) return a.IsNull == b.IsNull ? 0 : (a.IsNull ? 1 : -1) * (desc ? -1 : 1);
        int c = ValueOrder.Compare(a, b);
        return desc ? -c : c;
    }

    /// <summary>A stable reference sort (LINQ OrderBy is stable) by (n asc, s desc).</summary>
    private static IEnumerable<string> ReferenceSort(Record[] records) =>
        records.OrderBy(r => r["n"], Comparer<Value>.Create((a, b) => KeyOrder(a, b, false)))
               .ThenBy(r => r["s"], Comparer<Value>.Create((a, b) => KeyOrder(a, b, true)))
               .Select(r => r.ToString());

    [Fact]
    public void Sort_equals_a_stable_reference_sort_in_memory() =>
        Properties.Check(Prop.ForAll(Generators.Records(Generators.SortKey, 80).ToArbitrary(), records =>
        {
            var h = Harness.Run("""{"op": "sort", "by": [":n", ["desc", ":s"]]}""", records, batchSize: 7);
            return h.Json.SequenceEqual(ReferenceSort(records)) && h.Spill.Created == 0 && h.Balances();
        }), 200);

    [Fact]
    public void Sort_equals_a_stable_reference_sort_when_it_spills() =>
        Properties.Check(Prop.ForAll(Generators.Records(Generators.SortKey, 120).ToArbitrary(), records =>
        {
            var h = Harness.Run("""{"op": "sort", "by": [":n", ["desc", ":s"]]}""", records, batchSize: 5, memoryBytes: 1500);
            bool spilled = records.Length < 20 || h.Spill.Created > 0;
            return h.Json.SequenceEqual(ReferenceSort(records)) && spilled && h.Spill.Live == 0 && h.Balances();
        }), 200);

    /// <summary>Keys that are cells are not stored twice in a run: rows of two schemas (one without ":k" and ":s")
    /// sorted by a computed key, a field both have and a field only one has still come back in reference order.</summary>
    [Fact]
    public void Sort_with_computed_and_missing_field_keys_equals_a_reference_sort_when_it_spills() =>
        Properties.Check(Prop.ForAll(Generators.Records(Generators.SortKey, 100).ToArbitrary(), records =>
        {
            var other = Schema.Of("n", "x");
            var mixed = records.Select((r, i) => i % 3 == 0 ? new Record(other, [r["n"], Value.FromInt(i)]) : r).ToArray();
            var h = Harness.Run("""{"op": "sort", "by": [["coalesce", ":s", "zz"], ":n", ["desc", ":k"]]}""", mixed, batchSize: 4, memoryBytes: 1500);
            var expected = mixed
                .OrderBy(r => r["s"].IsNull ? Value.FromString("zz") : r["s"], Comparer<Value>.Create((a, b) => KeyOrder(a, b, false)))
                .ThenBy(r => r["n"], Comparer<Value>.Create((a, b) => KeyOrder(a, b, false)))
                .ThenBy(r => r["k"], Comparer<Value>.Create((a, b) => KeyOrder(a, b, true)))
                .Select(r => r.ToString());
            return h.Json.SequenceEqual(expected) && (mixed.Length < 20 || h.Spill.Created > 0) && h.Spill.Live == 0 && h.Balances();
        }), 80);

    [Fact]
    public void Sort_merges_in_several_passes_when_there_are_many_runs()
    {
        var records = Enumerable.Range(0, 3000).Select(i => Record.Of(("n", (i * 7919) % 1000), ("s", $"r{i}"))).ToArray();
        var h = Harness.Run("""{"op": "sort", "by": [":n"]}""", records, batchSize: 10, memoryBytes: 2000);
        Assert.True(h.Spill.Created > 64, $"expected more runs than one merge takes, got {h.Spill.Created}");
        var expected = records.OrderBy(r => r["n"].AsInt).Select(r => r.ToString());
        Assert.Equal(expected, h.Json);
        Assert.Equal(0, h.Spill.Live);
    }

    [Fact]
    public void Spilled_rows_come_back_with_every_value_unchanged()
    {
        // Text longer than the spill buffer (64 KiB) and values of every kind, so fields straddle buffer refills.
        string[] texts = ["DE", "é", "\uD800 lone surrogate", "\uD83D\uDE00", "", "x\0y", new string('w', 300), new string('ü', 40_000)];
        var records = Enumerable.Range(0, 400).Select(i => Record.Of(
            ("n", i % 13), ("s", texts[i % texts.Length]),
            ("l", Value.FromList([Value.FromString(texts[(i + 1) % texts.Length]), Value.FromDecimal(i / 8m)])),
            ("m", Value.FromMap(MapValue.Of(("neg", -i * 1_000_003L), ("f", i / 3.0), ("b", i % 2 == 0), ("none", Value.Null),
                ("at", Value.FromTimestampTicks(638_000_000_000_000_000L + i * 10_000_019L)), ("big", Value.FromDecimal(-79228162514264337593543950335m / (i + 1)))))))).ToArray();
        var h = Harness.Run("""{"op": "sort", "by": [":n", ":s"]}""", records, batchSize: 10, memoryBytes: 4000);
        Assert.True(h.Spill.Created > 1);
        var expected = records.OrderBy(r => r["n"].AsInt).ThenBy(r => r["s"], Comparer<Value>.Create((a, b) => ValueOrder.Compare(a, b))).Select(r => r.ToString());
        Assert.Equal(expected, h.Json);
        Assert.Contains(h.Output, r => r["s"].AsString == "\uD800 lone surrogate");
    }

    [Theory]
    [InlineData(8L << 20)]   // in memory, past an eighth of the budget: rows encoded into room reserved at once
    [InlineData(1_200_000)]  // spilled: the first run reserves room, the next starts as large as it grew
    public void A_sort_that_reserves_room_for_its_runs_keeps_every_row_in_order(long memoryBytes)
    {
        string[] texts = ["US", "DE", "paid", "é", "", new string('n', 40)];
        var records = Enumerable.Range(0, 12_000).Select(i => Record.Of(
            ("t", texts[i % texts.Length]), ("k", (i * 7919L) % 12_007), ("c", i % 3 == 0 ? Value.Null : Value.FromDecimal(i / 100m)))).ToArray();
        var h = Harness.Run("""{"op": "sort", "by": [":k", ["desc", ":t"]]}""", records, batchSize: 500, memoryBytes: memoryBytes);
        Assert.True(memoryBytes > 2 << 20 ? h.Spill.Created == 0 : h.Spill.Created > 1, $"{h.Spill.Created} runs");
        Assert.Equal(records.OrderBy(r => r["k"].AsInt).Select(r => r.ToString()), h.Json);
    }

    /// <summary>The aggregate of §4 computed the obvious way, with LINQ.</summary>
    private static IEnumerable<string> ReferenceAggregate(Record[] records) =>
        records.GroupBy(r => r["k"]).Select(g =>
        {
            var values = g.Select(r => r["n"]).Where(v => !v.IsNull).ToArray();
            Value sum = values.Length == 0 ? Value.Null : values.Aggregate((a, b) => Ocht.Expressions.Expressions.Add(a, b));
            Value avg = values.Length == 0 ? Value.Null : Ocht.Expressions.Expressions.Divide(
                values.Select(v => v.Kind == ValueKind.Int ? Value.FromDecimal(v.AsInt) : v).Aggregate((a, b) => Ocht.Expressions.Expressions.Add(a, b)), values.Length);
            Value min = values.Length == 0 ? Value.Null : values.Aggregate((a, b) => ValueOrder.Compare(b, a) < 0 ? b : a);
            Value max = values.Length == 0 ? Value.Null : values.Aggregate((a, b) => ValueOrder.Compare(b, a) > 0 ? b : a);
            return new Record(Schema.Of("k", "n", "c", "sum", "avg", "min", "max", "distinct", "first", "last"),
                [g.Key, g.Count(), values.Length, sum, avg, min, max, values.Distinct().Count(), g.First()["s"], g.Last()["s"]]).ToString();
        });

    [Theory]
    [InlineData(false, 6)]
    [InlineData(true, 64)]
    public void Aggregate_equals_a_reference_implementation(bool exactNumbersOnly, int batchSize) =>
        // Floats make sums leave the exact form, so batches of them go record by record; ints, decimals and
        // nulls alone keep every batch column-wise.
        Properties.Check(Prop.ForAll(Generators.Records(exactNumbersOnly ? ExactNumberOrNull : Generators.NumberOrNull, 80).ToArbitrary(), records =>
        {
            var h = Harness.Run("""
                {"op": "aggregate", "by": ["k"], "fields": {"n": ["count"], "c": ["count", ":n"], "sum": ["sum", ":n"], "avg": ["avg", ":n"],
                 "min": ["min", ":n"], "max": ["max", ":n"], "distinct": ["count-distinct", ":n"], "first": ["first", ":s"], "last": ["last", ":s"]}}
                """, records, batchSize: batchSize);
            var expected = ReferenceAggregate(records).ToArray();
            if (!h.Json.SequenceEqual(expected))
                throw new Xunit.Sdk.XunitException($"expected\n{string.Join("\n", expected)}\ngot\n{string.Join("\n", h.Json)}");
            return h.Balances(aggregating: true);
        }), 200);

    private static readonly FsCheck.Gen<Value> ExactNumberOrNull = Gen.Frequency((1, Gen.Constant(Value.Null)), (4, Generators.Int), (3, Generators.Decimal));

    /// <summary>Numbers that make sums leave the exact form or fail part-way: ints near the 64-bit edges,
    /// decimal zeros (whose sign a first value keeps), floats, text numbers and text that is no number;
    /// and decimals equal to the edge ints (min and max keep the first of equals).</summary>
    private static readonly FsCheck.Gen<Value> AwkwardNumber = Gen.Frequency(
        (3, Generators.NumberOrNull),
        (2, Gen.Elements(long.MaxValue - 3, long.MinValue + 3, long.MaxValue / 2 + 1, -(long.MaxValue / 2) - 1).Select(Value.FromInt)),
        (1, Gen.Elements(0.00m, -0.00m, 0m).Select(Value.FromDecimal)),
        (1, Gen.Elements((decimal)(long.MaxValue - 3), (long.MaxValue - 3) * 1.0m, (decimal)(long.MinValue + 3)).Select(Value.FromDecimal)),
        (1, Gen.Elements("12", "-0.5", "oops").Select(Value.FromString)));

    [Theory]
    [InlineData("\"s\"")]
    [InlineData("\"s\", \"k\"")]
    public void Aggregates_do_not_depend_on_how_the_records_are_batched(string by) =>
        // Batches of one go record by record in effect; larger ones column-wise until a record refuses.
        Properties.Check(Prop.ForAll(Generators.Records(AwkwardNumber, 120).ToArbitrary(), records =>
        {
            string step = $$$"""
                {"op": "aggregate", "by": [{{{by}}}], "fields": {"n": ["count"], "c": ["count", ":n"], "sum": ["sum", ":n"], "avg": ["avg", ":n"],
                 "min": ["min", ":n"], "max": ["max", ":n"], "sum_k": ["sum", ":k"], "distinct": ["count-distinct", ":n"],
                 "first": ["first", ":n"], "last": ["last", ":n"]}}
                """;
            var one = Harness.Run(step, records, batchSize: 1);
            var expected = one.Json.Concat(one.Rejections.Select(r => $"{r.Line}: {r.Message}")).ToList();
            foreach (int size in (int[])[5, 64])
            {
                // Rows with room left in them, as sources make them, for one of the sizes.
                var h = Harness.Run(step, records, batchSize: size, spareFields: size == 5 ? 2 : 0);
                var got = h.Json.Concat(h.Rejections.Select(r => $"{r.Line}: {r.Message}")).ToList();
                if (!got.SequenceEqual(expected))
                    throw new Xunit.Sdk.XunitException($"batches of {size}:\n{string.Join("\n", got)}\nbatches of 1:\n{string.Join("\n", expected)}");
                if (!h.Balances(aggregating: true)) return false;
            }
            return true;
        }), 300);

    [Fact]
    public void Counts_balance_for_streaming_steps() =>
        Properties.Check(Prop.ForAll(Generators.Records(Generators.Scalar, 60).ToArbitrary(), records =>
        {
            string[] steps =
            [
                """{"op": "filter", "where": [">", ":n", 0]}""",
                """{"op": "derive", "fields": {"x": ["/", 10, ":n"]}}""",
                """{"op": "dedupe", "key": [":k", ["*", ":n", 1]]}""",
                """{"op": "limit", "count": 7}""",
            ];
            return steps.All(step => Harness.Run(step, records, batchSize: 4).Balances());
        }), 200);
}
