using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Expressions.Tests;

/// <summary>The rules of pipeline-v1 §3, case by case. Results are compared in their JSON form, so the
/// type (int 3 vs decimal 3.0) and the decimal scale are part of every expectation.</summary>
public class SemanticsTests
{
    [Theory]
    // null semantics
    [InlineData("""["+", 1, null]""", "null")]
    [InlineData("""["=", null, null]""", "null")]
    [InlineData("""["<", ":missing", 3]""", "null")]
    [InlineData("""["and", true, null]""", "null")]
    [InlineData("""["and", false, null]""", "false")]
    [InlineData("""["or", true, null]""", "true")]
    [InlineData("""["or", false, null]""", "null")]
    [InlineData("""["not", null]""", "null")]
    [InlineData("""["is-null", null]""", "true")]
    [InlineData("""["coalesce", null, null, 3]""", "3")]
    [InlineData("""["if", null, 1, 2]""", "2")]
    [InlineData("""["if", false, 1]""", "null")]
    [InlineData("""["in", 1, 2, null]""", "null")]
    [InlineData("""["in", 2, 2, null]""", "true")]
    [InlineData("""["in", 3, 1, 2]""", "false")]
    [InlineData("""["between", 5, 1, 10]""", "true")]
    [InlineData("""["between", 5, null, 3]""", "false")]
    // arithmetic types
    [InlineData("""["+", 1, 2]""", "3")]
    [InlineData("""["+", 1, 2.50]""", "3.50")]
    [InlineData("""["+", 1, 2.5e0]""", "3.5")]
    [InlineData("""["*", 3, 1.10]""", "3.30")]
    [InlineData("""["/", 7, 2]""", "3.5")]
    [InlineData("""["/", 1, 3]""", "0.3333333333333333333333333333")]
    [InlineData("""["%", 7, 3]""", "1")]
    [InlineData("""["%", -7, 3]""", "-1")]
    [InlineData("""["-", 5]""", "-5")]
    [InlineData("""["-", 1, 0.15]""", "0.85")]
    [InlineData("""["abs", -2.50]""", "2.50")]
    [InlineData("""["floor", -2.5]""", "-3")]
    [InlineData("""["ceil", 2.1]""", "3")]
    [InlineData("""["least", 3, null, 1.5]""", "1.5")]
    [InlineData("""["greatest", null, null]""", "null")]
    // rounding: half away from zero; decimal results get exactly the digits asked for
    [InlineData("""["round", 2.345, 2]""", "2.35")]
    [InlineData("""["round", -2.345, 2]""", "-2.35")]
    [InlineData("""["round", 2.5]""", "3")]
    [InlineData("""["round", -2.5]""", "-3")]
    [InlineData("""["round", 5.1, 2]""", "5.10")]
    [InlineData("""["round", 1234, -2]""", "1200")]
    [InlineData("""["round", 1250, -2]""", "1300")]
    [InlineData("""["round", 7, 2]""", "7")]
    // text against numbers is parsed
    [InlineData("""[">=", "12", 5]""", "true")]
    [InlineData("""["=", "12.0", 12]""", "true")]
    [InlineData("""["*", "2", "3.5"]""", "7.0")]
    [InlineData("""["<", "b", "a"]""", "false")]
    [InlineData("""["<", "Z", "a"]""", "true")]
    // comparisons across number kinds
    [InlineData("""["=", 5, 5.00]""", "true")]
    [InlineData("""["=", 0.5, 5e-1]""", "true")]
    [InlineData("""["=", ["lit", [1, 2]], ["lit", [1, 2]]]""", "true")]
    // text
    [InlineData("""["concat", "a", null, 1, true]""", "\"a1true\"")]
    [InlineData("""["length", "héllo😀"]""", "6")]
    [InlineData("""["substr", "héllo😀", 1, 3]""", "\"éll\"")]
    [InlineData("""["substr", "abc", 5]""", "\"\"")]
    [InlineData("""["upper", "straße"]""", "\"STRAßE\"")]
    [InlineData("""["trim", "  x  "]""", "\"x\"")]
    [InlineData("""["replace", "a-b-c", "-", ""]""", "\"abc\"")]
    [InlineData("""["contains", "gift wrap", "wrap"]""", "true")]
    [InlineData("""["starts-with", "BK-1", "BK"]""", "true")]
    [InlineData("""["ends-with", "x@example.com", "@example.com"]""", "true")]
    [InlineData("""["matches", "x@example.com", "^[^@]+@[^@]+$"]""", "true")]
    [InlineData("""["lower", null]""", "null")]
    // conversion
    [InlineData("""["int", "42"]""", "42")]
    [InlineData("""["int", 2.5]""", "3")]
    [InlineData("""["int", -2.5]""", "-3")]
    [InlineData("""["decimal", "12.50"]""", "12.50")]
    [InlineData("""["float", "1e3"]""", "1000")]
    [InlineData("""["string", 12.50]""", "\"12.50\"")]
    [InlineData("""["bool", "yes"]""", "true")]
    [InlineData("""["timestamp", "2024-05-17T10:00:00+02:00"]""", "\"2024-05-17T08:00:00Z\"")]
    [InlineData("""["timestamp", 1000]""", "\"1970-01-01T00:00:01Z\"")]
    // time
    [InlineData("""["date-trunc", "hour", "2024-05-17T13:45:12Z"]""", "\"2024-05-17T13:00:00Z\"")]
    [InlineData("""["date-trunc", "week", "2024-05-17T13:45:12Z"]""", "\"2024-05-13T00:00:00Z\"")]
    [InlineData("""["date-trunc", "quarter", "2024-05-17T13:45:12Z"]""", "\"2024-04-01T00:00:00Z\"")]
    [InlineData("""["year", "2024-05-17T13:45:12Z"]""", "2024")]
    [InlineData("""["hour", "2024-05-17T13:45:12Z"]""", "13")]
    [InlineData("""["epoch-ms", "1970-01-01T00:00:01.5Z"]""", "1500")]
    [InlineData("""["epoch-ms", "1969-12-31T23:59:59.9995Z"]""", "-1")]
    [InlineData("""[">", ["timestamp", "2024-05-17T00:00:00Z"], "2024-05-01"]""", "true")]
    // literals and fields
    [InlineData("""["lit", ":x"]""", "\":x\"")]
    [InlineData("""["get", "a.b"]""", "1")]
    public void Operators_follow_the_spec(string expression, string expected) =>
        Assert.Equal(expected, Eval.Text(expression, """{"a.b": 1, "user": {"id": 3}}"""));

    [Fact]
    public void Paths_read_nested_maps()
    {
        Assert.Equal("3", Eval.Text("\":user.id\"", """{"user": {"id": 3}}"""));
        Assert.Equal("null", Eval.Text("\":user.name\"", """{"user": {"id": 3}}"""));
        Assert.Equal("null", Eval.Text("\":user.id\"", """{"user": null}"""));
        Assert.Equal(Rejection.Kinds.Type, Eval.Error("\":user.id\"", """{"user": "text"}""").Kind);
    }

    [Fact]
    public void Text_that_is_not_a_number_is_a_type_error_naming_the_field_and_value()
    {
        var e = Eval.Error("""["*", ":quantity", 2]""", """{"quantity": "lots"}""");
        Assert.Equal("type-error", e.Kind);
        Assert.Contains("\"lots\"", e.Message);
        Assert.Contains("field \"quantity\"", e.Message);
    }

    [Theory]
    [InlineData("""["/", ":a", 0]""")]
    [InlineData("""["%", ":a", 0]""")]
    [InlineData("""["/", ":a", 0.0]""")]
    [InlineData("""["+", ":big", 1]""")]
    [InlineData("""["*", ":big", 2]""")]
    [InlineData("""["-", ":small", 1]""")]
    public void Division_by_zero_and_int_overflow_are_arithmetic_errors(string expression) =>
        Assert.Equal("arithmetic-error", Eval.Error(expression, """{"a": 1, "big": 9223372036854775807, "small": -9223372036854775808}""").Kind);

    [Theory]
    [InlineData("""["and", ":one", true]""")]
    [InlineData("""["<", ":yes", 1]""")]
    [InlineData("""["<", ":list", ":list"]""")]
    [InlineData("""["year", ":one"]""")]
    [InlineData("""["int", ":word"]""")]
    [InlineData("""["bool", ":word"]""")]
    [InlineData("""["timestamp", ":word"]""")]
    [InlineData("""["substr", ":word", -1]""")]
    [InlineData("""["round", ":one", ":word"]""")]
    public void Meaningless_operands_are_type_errors(string expression) =>
        Assert.Equal("type-error", Eval.Error(expression, """{"one": 1, "yes": true, "list": [1], "word": "maybe"}""").Kind);

    [Fact]
    public void Constant_type_errors_are_caught_before_any_record_is_read() =>
        Assert.Contains("not a number", Assert.Throws<FormatException>(() => Expressions.Compile("""["int", "x"]""")).Message);

    [Fact]
    public void Lazy_forms_do_not_evaluate_what_they_do_not_need()
    {
        Assert.Equal("1", Eval.Text("""["if", true, 1, ["/", ":a", 0]]""", """{"a": 1}"""));
        Assert.Equal("false", Eval.Text("""["and", false, ["/", ":a", 0]]""", """{"a": 1}"""));
        Assert.Equal("2", Eval.Text("""["coalesce", 2, ["/", ":a", 0]]""", """{"a": 1}"""));
    }

    [Fact]
    public void A_regex_that_runs_too_long_rejects_the_record()
    {
        string evil = new string('a', 40) + "!";
        var e = Eval.Error("""["matches", ":s", "^(a+)+$"]""", $$"""{"s": "{{evil}}"}""");
        Assert.Equal("regex-timeout", e.Kind);
    }

    [Fact]
    public void Hash_is_stable_and_agrees_with_equality()
    {
        Assert.Equal(Eval.Text("""["hash", 5]"""), Eval.Text("""["hash", 5.00]"""));
        Assert.NotEqual(Eval.Text("""["hash", 5]"""), Eval.Text("""["hash", "5"]"""));
        Assert.NotEqual(Eval.Text("""["hash", "a", "bc"]"""), Eval.Text("""["hash", "ab", "c"]"""));
        Assert.Equal("\"c3ef56684b401720\"", Eval.Text("""["hash", "ocht", 1]"""));
    }
}
