using Ocht.Model;
using Ocht.Testkit;

namespace Ocht.Model.Tests;

public class LoadTests
{
    private static readonly MemoryStore Store = new();
    private static readonly Catalog Catalog = new([new MemoryConnector(Store)]);

    static LoadTests() => Store.Inputs["orders"] = [Ocht.Values.ValueJson.ParseRecord("""{"order_id": 1, "country": "US", "quantity": 2}""")];

    private static LoadResult Load(string text, Dictionary<string, string>? vars = null, Dictionary<string, string>? env = null) =>
        Pipelines.Load(text, new LoadOptions { Path = "p.json", Vars = vars ?? new(), Environment = n => env?.GetValueOrDefault(n) }, Catalog);

    private const string Valid = """
        // comments and trailing commas are fine
        {
          "ocht": 1,
          "name": "paid-orders",
          "vars": { "min_qty": 2 },
          "source": { "connector": "memory", "name": "orders" },
          "steps": [
            { "op": "filter", "where": [">=", ":quantity", "${min_qty}"] },
            { "op": "select", "fields": ["order_id", "country"] },
          ],
          "sink": { "connector": "memory", "name": "out" },
        }
        """;

    [Fact]
    public void A_valid_document_compiles_to_a_plan()
    {
        var result = Load(Valid);
        Assert.True(result.Ok, string.Join("\n", result.Messages(null)));
        var plan = result.Plan!;
        Assert.Equal("paid-orders", plan.Name);
        Assert.Equal(["order_id", "country"], plan.Steps[1].Output.Fields);
        Assert.Equal(4096, plan.Options.BatchSize);
        Assert.Equal(ErrorMode.Fail, plan.OnError.Mode);
    }

    [Fact]
    public void A_misspelled_step_reports_pointer_line_column_and_suggestion()
    {
        var result = Load(Valid.Replace("\"op\": \"filter\"", "\"op\": \"fitler\""));
        Assert.Equal("p.json:8:13: /steps/0/op: unknown operator \"fitler\"; did you mean \"filter\"?", Assert.Single(result.Messages("p.json")));
    }

    [Fact]
    public void Every_error_is_reported_at_once_in_document_order()
    {
        var result = Load("""
            {
              "ocht": 2,
              "name": "Bad Name",
              "source": { "connector": "memroy", "name": "orders" },
              "steps": [ { "op": "select", "fields": ["a"] }, { "op": "limit", "count": -1 } ],
              "sink": { "connector": "memory", "nam": "out" },
              "on_error": { "policy": "dead-letter" },
              "options": { "batch_sise": 10 },
              "extra": true
            }
            """);
        var messages = result.Messages(null).ToList();
        Assert.Contains(messages, m => m.StartsWith("2:11: /ocht: unsupported format version 2"));
        Assert.Contains(messages, m => m.StartsWith("3:11: /name:") && m.Contains("e.g. \"bad-name\""));
        Assert.Contains(messages, m => m.StartsWith("4:28: /source/connector: unknown connector \"memroy\"; did you mean \"memory\"?"));
        Assert.Contains(messages, m => m.Contains("/steps/1/count: \"count\" must be at least 0"));
        Assert.Contains(messages, m => m.Contains("/sink/nam: unknown option \"nam\" for connector \"memory\"; did you mean \"name\"?"));
        Assert.Contains(messages, m => m.Contains("/on_error: policy \"dead-letter\" needs a \"sink\""));
        Assert.Contains(messages, m => m.Contains("/options/batch_sise: unknown option \"batch_sise\"") && m.Contains("did you mean \"batch_size\""));
        Assert.Contains(messages, m => m.Contains("/extra: unknown option \"extra\""));
        Assert.Equal(messages.OrderBy(m => int.Parse(m.Split(':')[0])), messages);
    }

    [Fact]
    public void Field_references_are_checked_against_the_known_source_fields()
    {
        var filter = Load(Valid.Replace("[\">=\", \":quantity\", \"${min_qty}\"]", "[\"and\", [\">=\", \":quantty\", 1], [\"=\", \":contry\", \"US\"]]")).Messages(null).ToList();
        Assert.Equal(2, filter.Count);
        Assert.Contains(filter, m => m.Contains("/steps/0/where/1/1: unknown field \"quantty\"; did you mean \"quantity\"?"));
        Assert.Contains(filter, m => m.Contains("/steps/0/where/2/1: unknown field \"contry\"; did you mean \"country\"?"));
        var select = Load(Valid.Replace("\"country\"]", "\"contry\"]")).Messages(null);
        Assert.Contains("/steps/1/fields/1: unknown field \"contry\"; did you mean \"country\"?", Assert.Single(select));
    }

    [Theory]
    [InlineData("""{"ocht": 1, "name": "x", "source": {"connector": "memory", "name": "a"}}""", "needs a \"sink\"")]
    [InlineData("""{"ocht": 1, "name": "x", "source": {"connector": "memory", "name": "a"}, "sink": {"connector": "memory", "name": "b"}, "sinks": []}""", "either \"sink\" or \"sinks\"")]
    [InlineData("""{"ocht": 1, "name": "x", "sink": {"connector": "memory", "name": "b"}}""", "the pipeline needs \"source\"")]
    [InlineData("""{"ocht": 1, "name": "x", "source": {"name": "a"}, "sink": {"connector": "memory", "name": "b"}}""", "needs \"connector\"")]
    [InlineData("""{"ocht": 1, "name": "x", "source": {"connector": "memory", "name": "a"}, "sink": {"connector": "memory", "name": "b"}, "on_error": {"policy": "skip", "sink": {"connector": "memory", "name": "d"}}}""", "used only with policy \"dead-letter\"")]
    [InlineData("""{"ocht": 1, "name": "x", "source": {"connector": "memory", "name": "a"}, "sink": {"connector": "memory", "name": "b"}, "steps": {"op": "filter"}}""", "must be a list of step objects")]
    [InlineData("""{"ocht": 1, "name": "x", "source": {"connector": "memory", "name": "a"}, "sink": {"connector": "memory", "name": "b"}, "tests": [{"name": "t", "input": [1], "expect": []}]}""", "a record is a JSON object")]
    [InlineData("""[1, 2]""", "a pipeline document is a JSON object")]
    public void Structural_problems_say_what_was_meant(string document, string fragment) =>
        Assert.Contains(Load(document).Messages(null), m => m.Contains(fragment));

    [Fact]
    public void Secrets_never_appear_in_messages_or_explain()
    {
        const string doc = """
            {"ocht": 1, "name": "x", "source": {"connector": "memory", "name": "${env:SECRET}"},
             "steps": [{"op": "filter", "where": ["=", ":country", "${env:SECRET}"]}, {"op": "limit", "count": "${env:SECRET}"}],
             "sink": {"connector": "memory", "name": "out"}}
            """;
        var bad = Load(doc, env: new() { ["SECRET"] = "hunter22" });
        Assert.DoesNotContain(bad.Messages(null), m => m.Contains("hunter22"));
        var good = Load(doc.Replace(""", {"op": "limit", "count": "${env:SECRET}"}""", ""), env: new() { ["SECRET"] = "hunter22" });
        Assert.True(good.Ok, string.Join("\n", good.Messages(null)));
        string text = Explain.Render(good.Plan!);
        Assert.DoesNotContain("hunter22", text);
        Assert.Contains("***", text);
    }

    [Fact]
    public void Command_line_variables_override_vars()
    {
        var plan = Load(Valid, vars: new() { ["min_qty"] = "7" }).Plan!;
        Assert.Contains("7", plan.Steps[0].Summary);
    }

    [Fact]
    public void Explain_shows_source_steps_fields_sinks_and_policies()
    {
        string text = Explain.Render(Load(Valid).Plan!);
        Assert.Contains("source   memory memory:orders", text);
        Assert.Contains("fields: order_id, country, quantity", text);
        Assert.Contains("0 filter     keep where [\">=\", \":quantity\", 2]", text);
        Assert.Contains("on_error fail on the first rejected record", text);
    }

    [Fact]
    public void Inline_tests_become_records()
    {
        const string tests = """
            "tests": [{"name": "keeps", "input": [{"order_id": 1, "quantity": 3, "country": "US"}], "expect": [{"order_id": 1, "country": "US"}]}], "sink":
            """;
        var plan = Load(Valid.Replace("\"sink\":", tests)).Plan!;
        var test = Assert.Single(plan.Tests);
        Assert.Equal("keeps", test.Name);
        Assert.Equal(3, test.Input[0]["quantity"].AsInt);
    }
}
