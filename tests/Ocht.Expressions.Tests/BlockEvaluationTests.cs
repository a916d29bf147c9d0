using FsCheck.Fluent;
using Ocht.Document;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Expressions.Tests;

/// <summary>
/// Evaluating a whole batch at once must give what row-by-row evaluation gives, and must give up
/// (so the caller goes row by row) whenever some row fails.
/// </summary>
public class BlockEvaluationTests
{
    private static (string Outcome, bool Ok) Run(Func<Value> f)
    {
        try { return (ValueJson.ToJson(f()), true); }
        catch (EvalException e) { return (e.Kind, false); }
    }

    /// <summary>The expression compiled, or null when a constant part of it fails to fold (reported at validation, never run).</summary>
    private static CompiledExpr? Compiled(string json)
    {
        var d = new Diagnostics();
        var expr = Expressions.Parse(DocParser.Parse(json).Root!, d);
        return expr is null ? null : Expressions.Compile(expr, d);
    }

    /// <summary>The records as one batch; some with room left in each row, as sources make them (rows further apart).</summary>
    private static Batch BatchOf(Record[] records)
    {
        var batch = new Batch(records[0].Schema, records.Length, spareFields: records.Length % 3);
        foreach (var record in records) batch.AddRow(record.Values, 0);
        return batch;
    }

    [Fact]
    public void A_batch_evaluated_at_once_agrees_with_its_rows_evaluated_one_by_one()
    {
        int wholeBatches = 0, givenUp = 0;
        Properties.Check(Prop.ForAll(Gen.Zip(Generators.Expression(), Generators.Records(max: 40)).ToArbitrary(), t =>
        {
            var (json, records) = t;
            if (Compiled(json) is not { } compiled || records.Length == 0) return true;
            var batch = BatchOf(records);
            var results = new Value[records.Length];
            var rowByRow = records.Select(r => Run(() => compiled.Eval(r))).ToArray();
            if (!compiled.TryEvalAll(batch, results))
            {
                givenUp++;
                return true;
            }
            wholeBatches++;
            for (int i = 0; i < records.Length; i++)
            {
                if (!rowByRow[i].Ok)
                    throw new Xunit.Sdk.XunitException($"{json}: the whole batch succeeded but {records[i]} fails alone ({rowByRow[i].Outcome})");
                if (ValueJson.ToJson(results[i]) != rowByRow[i].Outcome || results[i].Kind != compiled.Eval(records[i]).Kind)
                    throw new Xunit.Sdk.XunitException($"{json} on {records[i]}: at once {ValueJson.ToJson(results[i])}, alone {rowByRow[i].Outcome}");
            }
            return true;
        }), 1500);
        // Both outcomes must actually occur, or the property above checks nothing.
        Assert.True(wholeBatches > 300, $"{wholeBatches} batches evaluated at once");
        Assert.True(givenUp > 50, $"{givenUp} batches given up");
    }

    /// <summary>Conditions as filters write them: a comparison or logical form over any expressions.</summary>
    private static readonly FsCheck.Gen<string> Condition =
        Gen.Zip(Gen.Elements("=", "!=", "<", "<=", ">", ">=", "and", "or"), Gen.Zip(Generators.Expression(2), Generators.Expression(2)))
            .Select(t => $"[\"{t.Item1}\", {t.Item2.Item1}, {t.Item2.Item2}]");

    [Fact]
    public void A_batch_tested_at_once_keeps_the_rows_its_rows_tested_one_by_one_keep()
    {
        int wholeBatches = 0;
        Properties.Check(Prop.ForAll(Gen.Zip(Condition, Generators.Records(max: 40)).ToArbitrary(), t =>
        {
            var (json, records) = t;
            if (Compiled(json) is not { } compiled || records.Length == 0) return true;
            var batch = BatchOf(records);
            var holds = new bool[records.Length];
            if (!compiled.TryTestAll(batch, holds)) return true;
            wholeBatches++;
            for (int i = 0; i < records.Length; i++)
            {
                var row = Row.Of(records[i]);
                if (compiled.IsTrue(row) != holds[i])
                    throw new Xunit.Sdk.XunitException($"{json} on {records[i]}: at once {holds[i]}, alone {!holds[i]}");
            }
            return true;
        }), 1500);
        Assert.True(wholeBatches > 100, $"{wholeBatches} batches tested at once");
    }

    /// <summary>Filters' usual conditions: comparisons (of arithmetic too), "is-null", "in" and "between" over fields and constants (mixed kinds, nulls, a
    /// missing field), under "not", and / or of one to four operands, whose later operands may fail where an earlier one decides (a guard).</summary>
    private static FsCheck.Gen<string> Comparisons(int depth)
    {
        var operand = Gen.Elements("\":k\"", "\":n\"", "\":s\"", "\":t\"", "\":missing\"", "3", "0.5", "null", "\"a\"", "\"b\"", "true", "\"12\"");
        var arithmetic = Gen.Elements("[\"*\", \":n\", 2]", "[\"+\", \":k\", 0.5]", "[\"-\", \":n\", \":k\"]", "[\"round\", [\"*\", \":n\", 1.5], 1]", "[\"+\", \":s\", 1]");
        var comparand = Gen.Frequency((4, operand), (1, arithmetic));
        var comparison = Gen.Zip(Gen.Elements("=", "!=", "<", "<=", ">", ">="), Gen.Zip(comparand, comparand))
            .Select(t => $"[\"{t.Item1}\", {t.Item2.Item1}, {t.Item2.Item2}]");
        var isNull = operand.Select(o => $"[\"is-null\", {o}]");
        var among = Gen.Zip(operand, Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Gen.Elements("3", "0.5", "null", "\"a\"", "\"b\"", "\"12\"", "1", "2"), n)))
            .Select(t => $"[\"in\", {t.Item1}, {string.Join(", ", t.Item2)}]");
        var between = Gen.Zip(operand, Gen.Zip(operand, operand)).Select(t => $"[\"between\", {t.Item1}, {t.Item2.Item1}, {t.Item2.Item2}]");
        // A bare field as a condition: true, false or null is fine, anything else fails the record.
        var bare = Gen.Elements("\":s\"", "\":k\"", "\":missing\"");
        // Other functions of fields and constants, one giving text (not a condition).
        var call = Gen.Elements("[\"contains\", \":s\", \"a\"]", "[\"starts-with\", \":s\", \"é\"]", "[\"ends-with\", \":t\", \"1\"]",
            "[\"not\", \":k\"]", "[\"lower\", \":s\"]", "[\"contains\", \":missing\", \"a\"]");
        var leaf = Gen.Frequency((4, comparison), (1, isNull), (2, among), (1, between), (1, bare), (1, call));
        return depth == 0 ? leaf : Gen.Frequency((2, leaf),
            (1, Comparisons(depth - 1).Select(c => $"[\"not\", {c}]")),
            (3, Gen.Zip(Gen.Elements("and", "or"), Gen.Zip(Comparisons(depth - 1), Comparisons(depth - 1)))
                .Select(t => $"[\"{t.Item1}\", {t.Item2.Item1}, {t.Item2.Item2}]")),
            (1, Gen.Zip(Gen.Elements("and", "or"), Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Comparisons(depth - 1), n)))
                .Select(t => $"[\"{t.Item1}\", {string.Join(", ", t.Item2)}]")));
    }

    [Fact]
    public void Comparisons_joined_by_and_or_tested_at_once_agree_with_their_rows_and_fail_where_a_row_fails()
    {
        int wholeBatches = 0, failed = 0;
        Properties.Check(Prop.ForAll(Gen.Zip(Comparisons(3), Generators.Records(max: 40)).ToArbitrary(), t =>
        {
            var (json, records) = t;
            if (Compiled(json) is not { } compiled || records.Length == 0) return true;
            var holds = new bool[records.Length];
            bool atOnce = compiled.TryTestAll(BatchOf(records), holds);
            var alone = records.Select(r => Run(() => Value.FromBool(compiled.IsTrue(Row.Of(r))))).ToArray();
            if (!atOnce)
            {
                failed++;
                if (alone.All(a => a.Ok)) throw new Xunit.Sdk.XunitException($"{json}: gave up on a batch whose rows all pass");
                return true;
            }
            wholeBatches++;
            for (int i = 0; i < records.Length; i++)
                if (!alone[i].Ok || alone[i].Outcome != (holds[i] ? "true" : "false"))
                    throw new Xunit.Sdk.XunitException($"{json} on {records[i]}: at once {holds[i]}, alone {alone[i].Outcome}");
            return true;
        }), 1500);
        Assert.True(wholeBatches > 250, $"{wholeBatches} batches tested at once");
        Assert.True(failed > 10, $"{failed} batches failed");
    }

    /// <summary>Arithmetic trees over number fields (ints, decimals, floats, nulls), so whole batches usually succeed.</summary>
    private static FsCheck.Gen<string> Arithmetic(int depth) => depth == 0
        ? Gen.Elements("\":n\"", "\":k\"", "\":t\"", "0.5", "2.25", "-1.5", "3", "-7", "1e2", "0.10")
        : Gen.Frequency(
            (1, Arithmetic(0)),
            (4, Gen.Zip(Gen.Elements("+", "-", "*", "+", "-", "*", "/"), Gen.Zip(Arithmetic(depth - 1), Arithmetic(depth - 1)))
                .Select(t => $"[\"{t.Item1}\", {t.Item2.Item1}, {t.Item2.Item2}]")),
            (1, Gen.Zip(Arithmetic(depth - 1), Gen.Elements(2, 0, -1, 29)).Select(t => $"[\"round\", {t.Item1}, {t.Item2}]")),
            (1, Arithmetic(depth - 1).Select(e => $"[\"coalesce\", {e}, 0]")));

    [Fact]
    public void Arithmetic_at_once_agrees_with_row_by_row()
    {
        int wholeBatches = 0;
        Properties.Check(Prop.ForAll(Gen.Zip(Arithmetic(3), Generators.Records(Generators.NumberOrNull, max: 40)).ToArbitrary(), t =>
        {
            var (json, records) = t;
            if (Compiled(json) is not { } compiled || records.Length == 0) return true;
            var batch = BatchOf(records);
            var results = new Value[records.Length];
            if (!compiled.TryEvalAll(batch, results)) return true;
            wholeBatches++;
            for (int i = 0; i < records.Length; i++)
            {
                var alone = compiled.Eval(records[i]);
                if (ValueJson.ToJson(results[i]) != ValueJson.ToJson(alone) || results[i].Kind != alone.Kind)
                    throw new Xunit.Sdk.XunitException($"{json} on {records[i]}: at once {ValueJson.ToJson(results[i])}, alone {ValueJson.ToJson(alone)}");
            }
            return true;
        }), 1500);
        Assert.True(wholeBatches > 500, $"only {wholeBatches} batches evaluated at once");
    }

    [Fact]
    public void Arithmetic_written_into_a_field_agrees_with_row_by_row_and_touches_nothing_else()
    {
        int written = 0;
        Properties.Check(Prop.ForAll(Gen.Zip(Arithmetic(3), Generators.Records(Generators.NumberOrNull, max: 40)).ToArbitrary(), t =>
        {
            var (json, records) = t;
            if (Compiled(json) is not { } compiled || records.Length == 0) return true;
            // The result goes to a new last field, within the rows' room or past it (BatchOf leaves 0-2 spare fields).
            var batch = BatchOf(records);
            var names = records[0].Schema.Names;
            batch.Widen(Schema.Of([.. names, "out"]));
            int slot = names.Count;
            if (!compiled.TryEvalInto(batch, slot)) return true;
            written++;
            for (int i = 0; i < records.Length; i++)
            {
                var alone = compiled.Eval(records[i]);
                var row = batch.Row(i);
                if (ValueJson.ToJson(row[slot]) != ValueJson.ToJson(alone) || row[slot].Kind != alone.Kind)
                    throw new Xunit.Sdk.XunitException($"{json} on {records[i]}: written {ValueJson.ToJson(row[slot])}, alone {ValueJson.ToJson(alone)}");
                for (int f = 0; f < slot; f++)
                    if (!row[f].SameAs(records[i].Values[f])) throw new Xunit.Sdk.XunitException($"{json} changed field {f} of row {i}");
            }
            return true;
        }), 1500);
        Assert.True(written > 500, $"only {written} batches written at once");
    }

    [Fact]
    public void One_failing_row_makes_the_whole_batch_go_row_by_row()
    {
        var compiled = Expressions.Compile("""["/", 10, ":n"]""");
        var schema = Schema.Of("n");
        var batch = new Batch(schema, 4);
        foreach (var n in new[] { 1, 2, 0, 5 }) batch.AddRow([Value.FromInt(n)], 0);
        Assert.False(compiled.TryEvalAll(batch, new Value[4]));
        batch.RemoveLastRow();
        batch.RemoveLastRow();
        var results = new Value[2];
        Assert.True(compiled.TryEvalAll(batch, results));
        Assert.Equal(["10", "5"], results.Select(v => v.ToString()));
    }

    [Fact]
    public void Rows_that_leave_the_scaled_form_are_evaluated_exactly_inside_the_block()
    {
        // Exact decimals mostly, with rows the scaled form cannot hold: a float, text that parses, a decimal too
        // wide for 63 bits, a product that overflows 63 bits but not System.Decimal, ints that stay ints.
        var schema = Schema.Of("n");
        Value[] ns = [Value.FromDecimal(1.25m), Value.FromFloat(0.5), Value.FromString("2.50"), Value.FromDecimal(79228162514264337593543950.335m),
            Value.FromDecimal(9_000_000_000_000_000.00m), Value.FromInt(7), Value.Null, Value.FromDecimal(-0.001m)];
        var batch = new Batch(schema, ns.Length * 4);
        for (int copy = 0; copy < 4; copy++)
            foreach (var n in ns) batch.AddRow([n], 0);
        var compiled = Expressions.Compile("""["round", ["*", ["coalesce", ":n", 3], ["-", 2, 0.5]], 2]""");
        var results = new Value[batch.Count];
        Assert.True(compiled.TryEvalAll(batch, results));
        Assert.Equal(["1.88", "0.75", "3.75", "118842243771396506390315925.50", "13500000000000000.00", "10.50", "4.50", "0.00"],
            results.Take(ns.Length).Select(v => v.ToString()));
        for (int i = 0; i < results.Length; i++)
        {
            var alone = compiled.Eval(Row.Of(batch, i));
            Assert.Equal((ValueJson.ToJson(alone), alone.Kind), (ValueJson.ToJson(results[i]), results[i].Kind));
        }
        var big = new Batch(schema, 1);
        big.AddRow([Value.FromInt(long.MaxValue / 2)], 0);
        Assert.False(Expressions.Compile("""["*", ":n", 3]""").TryEvalAll(big, results), "an int overflow fails the block, as it fails the row");
    }

    [Fact]
    public void A_sub_tree_deeper_than_the_fused_loop_goes_is_evaluated_exactly_and_its_errors_fail_the_block()
    {
        // Twenty levels: the levels past the fused form's depth are evaluated by their row form inside the loop.
        string deep = "[\"*\", \":n\", 1.5]";
        for (int level = 0; level < 20; level++) deep = level % 2 == 0 ? $"[\"+\", {deep}, 0.25]" : $"[\"round\", [\"-\", {deep}, \":k\"], 3]";
        var compiled = Expressions.Compile(deep);
        var schema = Schema.Of("n", "k");
        Value[] ns = [Value.FromInt(3), Value.FromDecimal(-1.125m), Value.Null, Value.FromFloat(0.5), Value.FromString("2.5"), Value.FromDecimal(0.001m)];
        var batch = new Batch(schema, ns.Length);
        foreach (var n in ns) batch.AddRow([n, Value.FromDecimal(0.5m)], 0);
        var results = new Value[ns.Length];
        Assert.True(compiled.TryEvalAll(batch, results));
        for (int i = 0; i < ns.Length; i++)
        {
            var alone = compiled.Eval(Row.Of(batch, i));
            Assert.Equal((ValueJson.ToJson(alone), alone.Kind), (ValueJson.ToJson(results[i]), results[i].Kind));
        }
        Assert.Equal("2.000", results[0].ToString()); // 4.5, plus ten times 0.25, less ten times 0.5
        Assert.True(results[2].IsNull);

        batch.RowForUpdate(4)[0] = Value.FromString("two");
        Assert.False(compiled.TryEvalAll(batch, results), "text that is no number fails the row, so the block");
    }

    [Fact]
    public void A_batch_longer_than_one_block_is_evaluated_block_after_block()
    {
        var schema = Schema.Of("n");
        var batch = new Batch(schema, 5000);
        for (int i = 0; i < 5000; i++) batch.AddRow([Value.FromInt(i + 1)], 0);
        var half = Expressions.Compile("""["/", ":n", 2]""");
        var results = new Value[5000];
        Assert.True(half.TryEvalAll(batch, results));
        Assert.Equal(["0.5", "1024", "1024.5", "2500"], new[] { 0, 2047, 2048, 4999 }.Select(i => results[i].ToString()));
        var even = Expressions.Compile("""["=", ["%", ":n", 2], 0]""");
        var holds = new bool[5000];
        Assert.True(even.TryTestAll(batch, holds));
        Assert.Equal(2500, holds.Count(h => h));
        Assert.True(holds[4999] && !holds[2048]);
        Assert.True(half.TryEvalInto(batch, 0));
        Assert.Equal("2500", batch[4999, 0].ToString());

        batch.RowForUpdate(3000)[0] = Value.FromInt(0);
        Assert.False(Expressions.Compile("""["/", 1, ":n"]""").TryEvalAll(batch, results));
    }
}
