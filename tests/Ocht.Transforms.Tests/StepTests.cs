using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Transforms.Tests;

public class StepTests
{
    private static Record[] Orders =>
    [
        ValueJson.ParseRecord("""{"id": 1, "status": "paid", "qty": 6, "price": 12.50, "country": "US"}"""),
        ValueJson.ParseRecord("""{"id": 2, "status": "pending", "qty": 2, "price": 29.99, "country": "DE"}"""),
        ValueJson.ParseRecord("""{"id": 3, "status": "paid", "qty": "lots", "price": 4.25, "country": "US"}"""),
        ValueJson.ParseRecord("""{"id": 4, "status": "paid", "qty": 5, "price": 199.00, "country": null}"""),
    ];

    [Fact]
    public void Filter_keeps_exactly_true_and_rejects_type_errors_with_line_and_step()
    {
        var h = Harness.Run("""{"op": "filter", "where": [">=", ":qty", 5]}""", Orders);
        Assert.Equal([1L, 4L], h.Output.Select(r => r["id"].AsInt));
        Assert.Equal(1, h.Dropped);
        var r = Assert.Single(h.Rejections);
        Assert.Equal(("type-error", 4L, 0, "filter"), (r.Error, r.Line, r.Step!.Value, r.Op!));
        Assert.Equal(3, r.Record!["id"].AsInt);
        Assert.True(h.Balances());
    }

    [Fact]
    public void Derive_evaluates_in_order_appends_new_fields_and_keeps_replaced_ones_in_place()
    {
        var h = Harness.Run("""{"op": "derive", "fields": {"qty": ["int", ":qty"], "total": ["*", ":qty", ":price"], "big": [">", ":total", 100]}}""", Orders);
        Assert.Equal("""{"id":1,"status":"paid","qty":6,"price":12.50,"country":"US","total":75.00,"big":false}""", h.Json.First());
        var rejected = Assert.Single(h.Rejections);
        Assert.StartsWith("qty:", rejected.Message);
        Assert.Equal("""{"id":3,"status":"paid","qty":"lots","price":4.25,"country":"US"}""", rejected.Record!.ToString());
        Assert.True(h.Balances());
    }

    [Fact]
    public void A_derived_field_that_reads_a_later_one_finds_it_null_even_when_the_batch_goes_row_by_row()
    {
        // "c" fails on the second record, so the batch is derived again row by row after "a" and "b" were
        // derived for all of it at once; "a" must still see "b" as not yet derived.
        var records = new[] { Record.Of(("z", 1)), Record.Of(("z", 0)), Record.Of(("z", 2)) };
        var h = Harness.Run("""{"op": "derive", "fields": {"a": ":b", "b": ["+", 1, 1], "c": ["/", 1, ":z"]}}""", records, batchSize: 3);
        Assert.Equal(["""{"z":1,"a":null,"b":2,"c":1}""", """{"z":2,"a":null,"b":2,"c":0.5}"""], h.Json);
        Assert.StartsWith("c:", Assert.Single(h.Rejections).Message);
    }

    [Fact]
    public void A_batch_of_several_blocks_that_fails_late_is_derived_row_by_row_from_the_start()
    {
        // The record that fails is in the batch's second block of rows, after the first block's results were stored.
        var records = Enumerable.Range(0, 3000).Select(i => Record.Of(("z", i == 2500 ? 0 : 1))).ToArray();
        var h = Harness.Run("""{"op": "derive", "fields": {"a": ":c", "c": ["/", 1, ":z"]}}""", records, batchSize: 3000);
        Assert.Equal(2999, h.Json.Count());
        Assert.All(h.Json, json => Assert.Equal("""{"z":1,"a":null,"c":1}""", json));
        Assert.StartsWith("c:", Assert.Single(h.Rejections).Message);
    }

    [Fact]
    public void Select_orders_fields_and_fills_missing_ones_with_null()
    {
        var h = Harness.Run("""{"op": "select", "fields": ["country", "id", "nope"]}""", Orders.Take(1));
        Assert.Equal("""{"country":"US","id":1,"nope":null}""", Assert.Single(h.Json));
    }

    [Fact]
    public void Drop_and_rename_keep_positions()
    {
        Assert.Equal("""{"id":1,"qty":6,"price":12.50}""", Harness.Run("""{"op": "drop", "fields": ["status", "country", "nope"]}""", Orders.Take(1)).Json.Single());
        Assert.Equal("""{"order":1,"status":"paid","qty":6,"price":12.50,"cc":"US"}""", Harness.Run("""{"op": "rename", "fields": {"id": "order", "country": "cc"}}""", Orders.Take(1)).Json.Single());
    }

    [Fact]
    public void Rename_onto_an_existing_field_rejects_instead_of_losing_data()
    {
        var h = Harness.Run("""{"op": "rename", "fields": {"id": "qty"}}""", Orders.Take(2));
        Assert.Empty(h.Output);
        Assert.Equal(2, h.Rejections.Count);
        Assert.All(h.Rejections, r => Assert.Equal("schema-error", r.Error));
        Assert.True(h.Balances());
    }

    [Fact]
    public void Cast_converts_and_rejects_what_does_not_convert()
    {
        var h = Harness.Run("""{"op": "cast", "fields": {"qty": "int", "price": "string"}}""", Orders);
        Assert.Equal("""{"id":1,"status":"paid","qty":6,"price":"12.50","country":"US"}""", h.Json.First());
        var r = Assert.Single(h.Rejections);
        Assert.Contains("qty:", r.Message);
        Assert.Equal("\"lots\"", ValueJson.ToJson(r.Record!["qty"]));
    }

    [Fact]
    public void Dedupe_keeps_the_first_or_the_last_of_each_key()
    {
        var first = Harness.Run("""{"op": "dedupe", "key": [":status"]}""", Orders);
        Assert.Equal([1L, 2L], first.Output.Select(r => r["id"].AsInt));
        Assert.Equal(2, first.Dropped);
        var last = Harness.Run("""{"op": "dedupe", "key": [":status"], "keep": "last"}""", Orders);
        Assert.Equal([2L, 4L], last.Output.Select(r => r["id"].AsInt));
        Assert.True(first.Balances());
        Assert.True(last.Balances());
    }

    [Fact]
    public void Dedupe_keys_compare_numbers_by_value()
    {
        var records = new[] { Record.Of(("k", 5)), Record.Of(("k", 5.0m)), Record.Of(("k", "5")) };
        Assert.Equal(2, Harness.Run("""{"op": "dedupe", "key": [":k"]}""", records).Output.Count);
    }

    [Fact]
    public void Limit_passes_the_first_n_and_then_is_satisfied()
    {
        var h = Harness.Run("""{"op": "limit", "count": 3}""", Orders, batchSize: 2);
        Assert.Equal([1L, 2L, 3L], h.Output.Select(r => r["id"].AsInt));
        Assert.Equal(1, h.Dropped);
        Assert.True(h.Balances());
    }

    [Fact]
    public void Sort_is_stable_with_nulls_last_ascending_and_first_descending()
    {
        var asc = Harness.Run("""{"op": "sort", "by": [":country"]}""", Orders);
        Assert.Equal([2L, 1L, 3L, 4L], asc.Output.Select(r => r["id"].AsInt));
        var desc = Harness.Run("""{"op": "sort", "by": [["desc", ":country"], ["desc", ":id"]]}""", Orders);
        Assert.Equal([4L, 3L, 1L, 2L], desc.Output.Select(r => r["id"].AsInt));
        Assert.True(asc.Balances());
    }

    [Fact]
    public void Aggregate_groups_in_order_of_first_appearance()
    {
        var h = Harness.Run("""
            {"op": "aggregate", "by": ["status"], "fields": {
              "n": ["count"], "with_country": ["count", ":country"], "ids": ["sum", ":id"], "avg_price": ["avg", ":price"],
              "max_price": ["max", ":price"], "first_id": ["first", ":id"], "last_country": ["last", ":country"], "countries": ["count-distinct", ":country"]}}
            """, Orders);
        Assert.Equal(
        [
            """{"status":"paid","n":3,"with_country":2,"ids":8,"avg_price":71.916666666666666666666666667,"max_price":199.00,"first_id":1,"last_country":null,"countries":1}""",
            """{"status":"pending","n":1,"with_country":1,"ids":2,"avg_price":29.99,"max_price":29.99,"first_id":2,"last_country":"DE","countries":1}""",
        ], h.Json);
        Assert.Equal(4, h.Merged);
        Assert.True(h.Balances(aggregating: true));
    }

    [Fact]
    public void Aggregate_without_by_gives_one_record_even_for_no_input()
    {
        var h = Harness.Run("""{"op": "aggregate", "fields": {"n": ["count"], "s": ["sum", ":x"]}}""", []);
        Assert.Equal("""{"n":0,"s":null}""", Assert.Single(h.Json));
    }

    [Fact]
    public void A_record_that_fails_one_aggregate_changes_none()
    {
        var records = new[] { Record.Of(("g", "a"), ("x", 1)), Record.Of(("g", "a"), ("x", "oops")), Record.Of(("g", "a"), ("x", 2)) };
        var h = Harness.Run("""{"op": "aggregate", "by": ["g"], "fields": {"n": ["count"], "s": ["sum", ":x"]}}""", records);
        Assert.Equal("""{"g":"a","n":2,"s":3}""", Assert.Single(h.Json));
        Assert.StartsWith("s:", Assert.Single(h.Rejections).Message);
        Assert.True(h.Balances(aggregating: true));
    }

    [Fact]
    public void A_group_created_by_a_rejected_record_is_created_again_by_the_next_one()
    {
        // The first record creates group "b" and is rejected, so "b" is taken back; the recent-key table
        // must not still lead the next "b" to the group taken back.
        var records = new[] { Record.Of(("g", "a"), ("x", 1)), Record.Of(("g", "b"), ("x", "oops")), Record.Of(("g", "b"), ("x", 2)), Record.Of(("g", "b"), ("x", 3)) };
        var h = Harness.Run("""{"op": "aggregate", "by": ["g"], "fields": {"n": ["count"], "s": ["sum", ":x"]}}""", records, batchSize: 4);
        Assert.Equal(["""{"g":"a","n":1,"s":1}""", """{"g":"b","n":2,"s":5}"""], h.Json);
        Assert.True(h.Balances(aggregating: true));
    }

    [Fact]
    public void An_aggregate_reads_a_field_wherever_each_batch_has_it_and_null_where_it_has_none()
    {
        var records = new[] { Record.Of(("g", "a"), ("x", 1)), Record.Of(("x", 2), ("g", "a")), Record.Of(("g", "a")), Record.Of(("g", "a"), ("x", 4)) };
        var h = Harness.Run("""{"op": "aggregate", "by": ["g"], "fields": {"n": ["count"], "c": ["count", ":x"], "s": ["sum", ":x"], "m": ["max", ":x"]}}""", records, batchSize: 4);
        Assert.Equal("""{"g":"a","n":4,"c":3,"s":7,"m":4}""", Assert.Single(h.Json));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Groups_count_right_past_the_size_the_code_table_keeps(bool widenFirst)
    {
        // The code table (2^18 slots) gives up part-way: either many first codes, then second codes that
        // need wider rows (1,024 rows of 512), or both growing together (1,200 rows of 1,024). Each
        // group is met twice.
        var once = widenFirst
            ? Enumerable.Range(0, 1024).Select(i => ($"a{i}", 0)).Concat(Enumerable.Range(1, 299).Select(j => ("a0", j))).ToArray()
            : Enumerable.Range(0, 1200).Select(i => ($"a{i}", i / 2)).ToArray();
        var records = once.Concat(once).Select(k => Record.Of(("a", k.Item1), ("b", k.Item2))).ToArray();
        var h = Harness.Run("""{"op": "aggregate", "by": ["a", "b"], "fields": {"n": ["count"]}}""", records, batchSize: 500);
        Assert.Equal(once.Select(k => $"{k.Item1}/{k.Item2}/2"), h.Output.Select(r => $"{r["a"].AsString}/{r["b"].AsInt}/{r["n"].AsInt}"));
    }

    [Fact]
    public void Every_pair_of_two_key_fields_is_its_own_group()
    {
        var records = Enumerable.Range(0, 2 * 30 * 37).Select(i => Record.Of(("a", $"a{i % 30}"), ("b", i % 37))).ToArray();
        var h = Harness.Run("""{"op": "aggregate", "by": ["a", "b"], "fields": {"n": ["count"]}}""", records, batchSize: 512);
        Assert.Equal(30 * 37, h.Output.Count);
        Assert.All(h.Output, r => Assert.Equal(2L, r["n"].AsInt));
    }

    [Fact]
    public void Keys_group_as_the_group_table_groups_them_even_where_float_equality_is_not_transitive()
    {
        // 0.10000000000000000001 and ...02 differ, but each equals the float 0.1: with the float's group
        // first, (d1, "b") and (d2, "b") are still two groups.
        decimal d1 = 0.10000000000000000001m, d2 = 0.10000000000000000002m;
        var records = new[] { Record.Of(("g", 0.1), ("h", "a")), Record.Of(("g", d1), ("h", "b")), Record.Of(("g", d2), ("h", "b")) };
        var h = Harness.Run("""{"op": "aggregate", "by": ["g", "h"], "fields": {"n": ["count"]}}""", records, batchSize: 3);
        Assert.Equal(["""{"g":0.1,"h":"a","n":1}""", """{"g":0.10000000000000000001,"h":"b","n":1}""", """{"g":0.10000000000000000002,"h":"b","n":1}"""], h.Json);
    }

    [Fact]
    public void A_null_or_missing_group_field_groups_under_null()
    {
        var records = new[]
        {
            Record.Of(("g", "a"), ("h", 1), ("x", 1)), Record.Of(("g", Value.Null), ("h", 1), ("x", 2)),
            Record.Of(("h", 1), ("x", 4)), Record.Of(("g", "a"), ("x", 8)), Record.Of(("x", 16)),
            // Where g is missing, nothing stands in for it: a later g of 1 (h's value above) is a group of its own.
            Record.Of(("g", 1), ("h", 1), ("x", 32)),
        };
        var h = Harness.Run("""{"op": "aggregate", "by": ["g", "h"], "fields": {"s": ["sum", ":x"]}}""", records, batchSize: 5);
        Assert.Equal(["""{"g":"a","h":1,"s":1}""", """{"g":null,"h":1,"s":6}""", """{"g":"a","h":null,"s":8}""", """{"g":null,"h":null,"s":16}""", """{"g":1,"h":1,"s":32}"""], h.Json);
    }

    [Fact]
    public void Keys_that_are_equal_but_not_alike_share_a_group()
    {
        var records = new[] { Record.Of(("g", 5), ("x", 1)), Record.Of(("g", 5.0m), ("x", 2)), Record.Of(("g", new string('u', 1)), ("x", 3)), Record.Of(("g", "u"), ("x", 4)) };
        var h = Harness.Run("""{"op": "aggregate", "by": ["g"], "fields": {"s": ["sum", ":x"]}}""", records, batchSize: 4);
        Assert.Equal(["""{"g":5,"s":3}""", """{"g":"u","s":7}"""], h.Json);
    }

    [Fact]
    public void Sum_of_ints_stays_int_and_overflow_rejects()
    {
        var records = new[] { Record.Of(("x", long.MaxValue)), Record.Of(("x", 1)) };
        var h = Harness.Run("""{"op": "aggregate", "fields": {"s": ["sum", ":x"]}}""", records);
        Assert.Equal("""{"s":9223372036854775807}""", Assert.Single(h.Json));
        Assert.Equal("arithmetic-error", Assert.Single(h.Rejections).Error);
    }

    [Fact]
    public void Lookup_adds_fields_of_the_first_match_and_nulls_otherwise()
    {
        var table = new[]
        {
            Record.Of(("code", "US"), ("region", "Americas")), Record.Of(("code", "US"), ("region", "duplicate")), Record.Of(("code", "DE"), ("region", "Europe")),
        };
        var h = Harness.Run("""{"op": "lookup", "from": {"connector": "memory", "name": "t"}, "on": {"country": "code"}, "fields": ["region"]}""", Orders, table: table);
        Assert.Equal(["Americas", "Europe", "Americas", null], h.Output.Select(r => r["region"].IsNull ? null : r["region"].AsString));
    }

    [Fact]
    public void Steps_report_every_problem_with_its_place()
    {
        var scope = FieldScope.Of(["id", "country"]);
        Assert.Contains("did you mean \"country\"", Assert.Single(Harness.Problems("""{"op": "select", "fields": ["contry"]}""", scope)).Message);
        Assert.Equal("/op", Assert.Single(Harness.Problems("""{"op": "fitler", "where": true}""")).Pointer);
        Assert.Contains("did you mean \"filter\"", Assert.Single(Harness.Problems("""{"op": "fitler", "where": true}""")).Message);
        Assert.Contains("did you mean \"sum\"", Assert.Single(Harness.Problems("""{"op": "aggregate", "fields": {"s": ["summ", ":x"]}}""")).Message);
        var both = Harness.Problems("""{"op": "filter", "wher": true}""");
        Assert.Equal(2, both.Count);
        Assert.Contains(both, d => d.Message == "unknown option \"wher\" for step \"filter\"; did you mean \"where\"?");
        Assert.Contains(both, d => d.Message.Contains("needs option \"where\""));
        Assert.Contains("types are", Assert.Single(Harness.Problems("""{"op": "cast", "fields": {"id": "integer"}}""")).Message);
        Assert.Contains("already a group field", Assert.Single(Harness.Problems("""{"op": "aggregate", "by": ["id"], "fields": {"id": ["count"]}}""")).Message);
    }

    [Fact]
    public void Steps_know_the_fields_they_produce()
    {
        var scope = FieldScope.Of(["id", "qty", "price"]);
        var d = new Ocht.Document.Diagnostics();
        Steps.Compile(0, Ocht.Document.DocParser.Parse("""{"op": "derive", "fields": {"total": ["*", ":qty", ":price"]}}""").Root!, scope, new StepCompileContext(), d, out var after);
        Assert.Equal(["id", "qty", "price", "total"], after.Fields);
        Steps.Compile(1, Ocht.Document.DocParser.Parse("""{"op": "aggregate", "by": ["id"], "fields": {"n": ["count"]}}""").Root!, after, new StepCompileContext(), d, out var grouped);
        Assert.Equal(["id", "n"], grouped.Fields);
    }
}
