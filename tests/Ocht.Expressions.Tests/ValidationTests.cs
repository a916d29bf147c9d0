using Ocht.Document;
using Ocht.Expressions;

namespace Ocht.Expressions.Tests;

public class ValidationTests
{
    private static IReadOnlyList<Diagnostic> Problems(string json, params string[] fields)
    {
        var node = DocParser.Parse(json).Root!;
        var d = new Diagnostics();
        var scope = fields.Length == 0 ? FieldScope.Unknown : FieldScope.Of(fields);
        var expr = Expressions.Parse(node, d, scope);
        if (expr is not null) Expressions.Compile(expr, d);
        return d.Sorted();
    }

    [Fact]
    public void Unknown_operators_are_reported_at_the_operator_with_a_suggestion()
    {
        var e = Assert.Single(Problems("""["and", ["lenght", ":a"], true]"""));
        Assert.Equal("/1/0", e.Pointer);
        Assert.Equal("unknown operator \"lenght\"; did you mean \"length\"?", e.Message);
    }

    [Fact]
    public void Wrong_arity_is_reported_with_the_signature() =>
        Assert.Contains("\"round\" takes 1 to 2 arguments, found 3", Assert.Single(Problems("""["round", 1, 2, 3]""")).Message);

    [Fact]
    public void Unknown_fields_are_errors_when_the_fields_are_known()
    {
        var e = Assert.Single(Problems("""["=", ":contry", "US"]""", "order_id", "country"));
        Assert.Equal("/1", e.Pointer);
        Assert.Contains("unknown field \"contry\"; did you mean \"country\"?", e.Message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once() =>
        Assert.Equal(3, Problems("""["and", ["fitler"], ["round"], ":nope"]""", "a").Count);

    [Fact]
    public void Constant_errors_are_validation_errors() =>
        Assert.Contains("division by zero", Assert.Single(Problems("""["+", 1, ["/", 1, 0]]""")).Message);

    [Fact]
    public void Invalid_literal_patterns_and_units_are_validation_errors()
    {
        Assert.Contains("invalid pattern", Assert.Single(Problems("""["matches", ":a", "(unclosed"]""")).Message);
        Assert.Contains("did you mean \"hour\"", Assert.Single(Problems("""["date-trunc", "hours", ":t"]""")).Message);
    }

    [Theory]
    [InlineData("[]", "empty list")]
    [InlineData("""{"a": 1}""", "cannot be an object")]
    [InlineData("[1, 2]", "starts with an operator name")]
    [InlineData("\":\"", "not a field reference")]
    [InlineData("\":a..b\"", "empty part")]
    [InlineData("""["desc", ":a"]""", "only allowed in sort keys")]
    public void Malformed_expressions_say_what_is_wrong(string json, string message) =>
        Assert.Contains(message, Assert.Single(Problems(json)).Message);

    [Fact]
    public void Constant_sub_expressions_are_folded()
    {
        Assert.True(Expressions.Compile("""["+", 1, ["*", 2, 3]]""").IsConstant);
        Assert.False(Expressions.Compile("""["+", ":a", ["*", 2, 3]]""").IsConstant);
    }

    [Fact]
    public void The_document_form_round_trips()
    {
        const string json = """["and", ["=", ":status", "paid"], [">=", ["get", "a.b"], ["lit", ":x"]]]""";
        Assert.Equal(json, Expressions.Compile(json).ToString());
    }
}

public class DocumentedExamplesTests
{
    /// <summary>Every operator's documented example that needs no record must evaluate to the documented result.</summary>
    [Fact]
    public void Examples_in_the_reference_are_true()
    {
        int checkedCount = 0;
        foreach (var f in Expressions.Functions.Where(f => !f.Example.Contains("\":")))
        {
            string expected = f.ExampleResult.Split(" (")[0];
            var value = Expressions.Compile(f.Example).Eval(Ocht.Values.Record.Of());
            string actual = value.Kind == Ocht.Values.ValueKind.Timestamp ? Ocht.Values.ValueText.Format(value) : Ocht.Values.ValueJson.ToJson(value);
            Assert.True(expected == actual, $"{f.Name}: {f.Example} gives {actual}, the docs say {expected}");
            checkedCount++;
        }
        Assert.True(checkedCount > 25, $"only {checkedCount} examples were checked");
    }
}
