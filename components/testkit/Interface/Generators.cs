using FsCheck;
using FsCheck.Fluent;
using Ocht.Values;

namespace Ocht.Testkit;

/// <summary>FsCheck generators for values, records and expression trees, biased towards the edges
/// that break pipelines: nulls, numbers of mixed kinds, text that parses as numbers, non-ASCII text.</summary>
public static class Generators
{
    private static readonly string[] Words = ["", "a", "b", "paid", "US", "DE", "é", "ß", "日本", "😀", "5", "07", "12.50", "-3", "x y", "a,b", "say \"hi\""];

    public static Gen<Value> Int { get; } = Gen.OneOf(Gen.Choose(-1000, 1000), Gen.Elements(0, 1, -1, int.MaxValue, int.MinValue)).Select(i => Value.FromInt(i));

    public static Gen<Value> Decimal { get; } =
        Gen.Zip(Gen.Choose(-100000, 100000), Gen.Choose(0, 4)).Select(t => Value.FromDecimal(new decimal(Math.Abs(t.Item1), 0, 0, t.Item1 < 0, (byte)t.Item2)));

    public static Gen<Value> Float { get; } = Gen.Zip(Gen.Choose(-10000, 10000), Gen.Choose(1, 64)).Select(t => Value.FromFloat(t.Item1 / (double)t.Item2));

    public static Gen<Value> Text { get; } = Gen.Elements(Words).Select(w => Value.FromString(w));

    public static Gen<Value> Bool { get; } = Gen.Elements(true, false).Select(b => Value.FromBool(b));

    public static Gen<Value> Timestamp { get; } =
        Gen.Choose(0, 1_000_000).Select(s => Value.FromTimestamp(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(s * 61.7)));

    /// <summary>Scalars of every kind, null included.</summary>
    public static Gen<Value> Scalar { get; } = Gen.Frequency(
        (2, Gen.Constant(Value.Null)), (4, Int), (3, Decimal), (1, Float), (3, Text), (1, Bool), (1, Timestamp));

    /// <summary>Numbers only (any kind) or null.</summary>
    public static Gen<Value> NumberOrNull { get; } = Gen.Frequency((1, Gen.Constant(Value.Null)), (4, Int), (3, Decimal), (1, Float));

    /// <summary>Values that sort keys may hold: nulls, numbers of mixed kinds, text.</summary>
    public static Gen<Value> SortKey { get; } = Gen.Frequency((1, Gen.Constant(Value.Null)), (3, Gen.Choose(-5, 5).Select(i => Value.FromInt(i))),
        (1, Gen.Choose(-50, 50).Select(i => Value.FromDecimal(i / 10m))), (2, Gen.Elements("a", "b", "B", "é", "", "aa").Select(s => Value.FromString(s))));

    /// <summary>Records over a fixed set of fields ("k", "n", "s", "t") with values from <paramref name="values"/>.</summary>
    public static Gen<Record> Record(Gen<Value>? values = null)
    {
        var v = values ?? Scalar;
        var schema = Schema.Of("k", "n", "s", "t");
        return Gen.Zip(Gen.Zip(Gen.Choose(0, 6), v), Gen.Zip(Gen.Elements("a", "b", "c", "é"), Gen.Choose(0, 100))).Select(t =>
            new Record(schema, [Value.FromInt(t.Item1.Item1), t.Item1.Item2, Value.FromString(t.Item2.Item1), Value.FromInt(t.Item2.Item2)]));
    }

    public static Gen<Record[]> Records(Gen<Value>? values = null, int max = 60) =>
        Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(Record(values), n));

    /// <summary>Expression trees as document JSON over the fields of <see cref="Record"/>; typed errors
    /// (text that is not a number, division by zero) are generated on purpose.</summary>
    public static Gen<string> Expression(int depth = 3) => depth == 0 ? Leaf : Gen.Frequency((2, Leaf), (3, Node(depth)));

    private static Gen<string> Leaf { get; } = Gen.OneOf(
        Gen.Elements("\":k\"", "\":n\"", "\":s\"", "\":t\"", "\":missing\""),
        Gen.Choose(-3, 9).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Elements("0.5", "2.25", "-1.5", "1e2", "null", "true", "false", "\"a\"", "\"b\"", "\"12\"", "\"x\"", "\"2024-05-01T00:00:00Z\""));

    private static readonly string[] Binary = ["=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "and", "or", "coalesce", "concat", "contains", "starts-with", "least", "greatest", "round", "if"];
    private static readonly string[] Unary = ["not", "is-null", "abs", "floor", "ceil", "lower", "upper", "trim", "length", "int", "decimal", "float", "string", "bool", "year", "hash", "-"];
    private static readonly string[] Ternary = ["between", "if", "substr", "replace", "in"];

    private static Gen<string> Node(int depth)
    {
        var sub = Expression(depth - 1);
        return Gen.OneOf(
            Gen.Zip(Gen.Elements(Unary), sub).Select(t => $"[\"{t.Item1}\", {t.Item2}]"),
            Gen.Zip(Gen.Elements(Binary), Gen.Zip(sub, sub)).Select(t => $"[\"{t.Item1}\", {t.Item2.Item1}, {t.Item2.Item2}]"),
            Gen.Zip(Gen.Elements(Ternary), Gen.Zip(Gen.Zip(sub, sub), sub)).Select(t => $"[\"{t.Item1}\", {t.Item2.Item1.Item1}, {t.Item2.Item1.Item2}, {t.Item2.Item2}]"));
    }
}
