using Ocht.Document;

namespace Ocht.Document.Tests;

public class PlaceholderTests
{
    private static (DocNode Root, Diagnostics Diagnostics, Placeholders.Result Result) Resolve(string json, Dictionary<string, string>? vars = null, Dictionary<string, string>? env = null)
    {
        var root = DocParser.Parse(json).Root!;
        var diagnostics = new Diagnostics();
        var result = Placeholders.Resolve(root, vars ?? new(), name => env?.GetValueOrDefault(name), diagnostics);
        return (result.Root, diagnostics, result);
    }

    [Fact]
    public void A_whole_placeholder_takes_the_variables_json_type()
    {
        var (root, d, _) = Resolve("""{"vars": {"n": 5, "flags": [1, 2]}, "x": "${n}", "y": "${flags}"}""");
        Assert.False(d.HasErrors);
        Assert.Equal(DocKind.Number, root["x"]!.Kind);
        Assert.Equal(2, root["y"]!.Items.Count);
        Assert.Equal("/y/1", root["y"]!.Items[1].Pointer);
    }

    [Fact]
    public void A_placeholder_inside_text_is_spliced()
    {
        var (root, _, _) = Resolve("""{"vars": {"day": "2024-05-17", "n": 3}, "path": "out/${day}-${n}.csv", "lit": "$${day}"}""");
        Assert.Equal("out/2024-05-17-3.csv", root["path"]!.Text);
        Assert.Equal("${day}", root["lit"]!.Text);
    }

    [Theory]
    [InlineData("7", DocKind.Number)]
    [InlineData("true", DocKind.Bool)]
    [InlineData("null", DocKind.Null)]
    [InlineData("\"quoted\"", DocKind.String)]
    [InlineData("plain text", DocKind.String)]
    [InlineData("[1,2]", DocKind.String)]
    public void Command_line_values_are_json_scalars_or_text(string raw, DocKind kind)
    {
        var (root, _, _) = Resolve("""{"vars": {"v": 1}, "x": "${v}"}""", new() { ["v"] = raw });
        Assert.Equal(kind, root["x"]!.Kind);
    }

    [Fact]
    public void The_command_line_overrides_vars()
    {
        var (root, _, _) = Resolve("""{"vars": {"min": 5}, "x": "${min}"}""", new() { ["min"] = "9" });
        Assert.Equal("9", root["x"]!.Text);
    }

    [Fact]
    public void Environment_values_are_secret_and_registered_for_redaction()
    {
        var (root, d, result) = Resolve("""{"conn": "${env:PG}", "url": "postgres://${env:PG}/db"}""", env: new() { ["PG"] = "s3cret-pass" });
        Assert.False(d.HasErrors);
        Assert.True(root["conn"]!.IsSecret);
        Assert.True(root["url"]!.IsSecret);
        Assert.Equal("failed to log in with *** at postgres://***/db", result.Secrets.Redact("failed to log in with s3cret-pass at postgres://s3cret-pass/db"));
        Assert.DoesNotContain("s3cret", DocWriter.ToJson(root));
    }

    [Fact]
    public void Unresolved_placeholders_are_errors_with_a_suggestion()
    {
        var (_, d, _) = Resolve("""{"vars": {"min_qty": 5}, "x": "${min_qyt}"}""");
        var error = Assert.Single(d.Items);
        Assert.Equal("/x", error.Pointer);
        Assert.Contains("did you mean \"min_qty\"", error.Message);
    }

    [Fact]
    public void A_missing_environment_variable_is_an_error() =>
        Assert.Contains("PG_URL is not set", Assert.Single(Resolve("""{"c": "${env:PG_URL}"}""").Diagnostics.Items).Message);

    [Fact]
    public void An_unused_command_line_variable_is_a_warning_with_a_suggestion()
    {
        var (_, _, result) = Resolve("""{"vars": {"min_qty": 5}, "x": "${min_qty}"}""", new() { ["min_qyt"] = "9" });
        Assert.Contains("did you mean \"min_qty\"", Assert.Single(result.Warnings));
    }

    [Fact]
    public void Vars_cannot_refer_to_other_vars_but_can_read_the_environment()
    {
        var (_, d, _) = Resolve("""{"vars": {"a": "${b}", "c": "${env:HOME_X}"}}""", env: new() { ["HOME_X"] = "/h" });
        Assert.Contains("cannot be used inside \"vars\"", Assert.Single(d.Items).Message);
    }
}
