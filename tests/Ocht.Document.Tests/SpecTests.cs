using Ocht.Document;

namespace Ocht.Document.Tests;

public class SpecTests
{
    private static readonly ComponentSpec Spec = new("connector", "csv", "test",
    [
        new OptionSpec("path", OptionType.Path, "the file") { Required = true },
        new OptionSpec("header", OptionType.Boolean, "header") { Default = "true" },
        new OptionSpec("infer_rows", OptionType.Integer, "rows") { Default = "1000", Minimum = 1, Roles = Roles.Source },
        new OptionSpec("mode", OptionType.String, "mode") { Choices = ["insert", "upsert"], Roles = Roles.Sink },
    ]);

    private static Diagnostics Check(string json, Roles role = Roles.Source)
    {
        var d = new Diagnostics();
        SpecValidator.Check(DocParser.Parse(json).Root!, Spec, role, d, ["connector"]);
        return d;
    }

    [Fact]
    public void Unknown_options_point_at_the_key_and_suggest()
    {
        var e = Assert.Single(Check("""{"connector": "csv", "pth": "a.csv"}""").Items, x => x.Message.Contains("pth"));
        Assert.Equal("/pth", e.Pointer);
        Assert.Contains("did you mean \"path\"", e.Message);
    }

    [Fact]
    public void Missing_required_options_are_reported() =>
        Assert.Contains(Check("""{"connector": "csv"}""").Items, d => d.Message.Contains("needs option \"path\""));

    [Fact]
    public void Option_shapes_are_checked()
    {
        var d = Check("""{"path": 5, "header": "yes", "infer_rows": 0}""");
        Assert.Equal(3, d.Count);
        Assert.Contains(d.Items, x => x.Pointer == "/header" && x.Message.Contains("true or false"));
        Assert.Contains(d.Items, x => x.Pointer == "/infer_rows" && x.Message.Contains("at least 1"));
    }

    [Fact]
    public void Options_of_the_other_role_are_refused()
    {
        var e = Assert.Single(Check("""{"path": "x", "mode": "upsert"}""", Roles.Source).Items);
        Assert.Contains("as a source", e.Message);
    }

    [Fact]
    public void Choices_suggest_the_closest() =>
        Assert.Contains("did you mean \"upsert\"", Assert.Single(Check("""{"path": "x", "mode": "upsret"}""", Roles.Sink).Items).Message);

    [Fact]
    public void Defaults_come_from_the_spec()
    {
        var o = new Options(DocParser.Parse("""{"path": "x"}""").Root!, Spec);
        Assert.True(o.Bool("header"));
        Assert.Equal(1000, o.Int("infer_rows"));
    }

    [Theory]
    [InlineData("fitler", "filter")]
    [InlineData("derivee", "derive")]
    [InlineData("SELECT", "select")]
    [InlineData("agregate", "aggregate")]
    public void Suggestions_find_typos(string typo, string meant) =>
        Assert.Equal(meant, Suggest.Closest(typo, ["filter", "derive", "select", "aggregate", "sort"]));

    [Fact]
    public void Nothing_is_suggested_for_unrelated_words() => Assert.Null(Suggest.Closest("banana", ["filter", "derive"]));

    [Fact]
    public void Diagnostics_format_as_file_line_column_pointer_message() =>
        Assert.Equal("p.json:3:13: /steps/2/op: unknown", new Diagnostic("/steps/2/op", new DocPosition(3, 13), "unknown").Format("p.json"));
}
