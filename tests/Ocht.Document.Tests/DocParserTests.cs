using Ocht.Document;

namespace Ocht.Document.Tests;

public class DocParserTests
{
    [Fact]
    public void Comments_and_trailing_commas_are_accepted()
    {
        var result = DocParser.Parse("""
            // a pipeline
            {
              /* block */ "a": [1, 2, ],
              "b": { "c": true, },
            }
            """);
        Assert.True(result.Ok);
        Assert.Equal(2, result.Root!["a"]!.Items.Count);
    }

    [Fact]
    public void Nodes_know_their_pointer_and_line_and_column()
    {
        var root = DocParser.Parse("{\n  \"steps\": [\n    { \"op\": \"fitler\" }\n  ]\n}").Root!;
        var op = root["steps"]!.Items[0]["op"]!;
        Assert.Equal("/steps/0/op", op.Pointer);
        Assert.Equal(new DocPosition(3, 13), op.Position);
        Assert.Equal(new DocPosition(3, 7), root["steps"]!.Items[0].Property("op")!.KeyPosition);
    }

    [Fact]
    public void Columns_count_characters_not_bytes()
    {
        var root = DocParser.Parse("{\"é\": \"ü\", \"x\": 1}").Root!;
        Assert.Equal(new DocPosition(1, 17), root["x"]!.Position);
    }

    [Fact]
    public void Pointers_escape_slashes_and_tildes()
    {
        var root = DocParser.Parse("""{"a/b": {"c~d": 1}}""").Root!;
        Assert.Equal("/a~1b/c~0d", root["a/b"]!["c~d"]!.Pointer);
    }

    [Fact]
    public void Invalid_json_says_where()
    {
        var result = DocParser.Parse("{\n  \"a\": 1\n  \"b\": 2\n}");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(3, d.Position.Line);
        Assert.StartsWith("invalid JSON", d.Message);
    }

    [Fact]
    public void Duplicate_keys_are_errors_at_the_second_key()
    {
        var result = DocParser.Parse("{\"a\": 1,\n \"a\": 2}");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("/a", d.Pointer);
        Assert.Equal(new DocPosition(2, 2), d.Position);
        Assert.Contains("duplicate key", d.Message);
    }

    [Fact]
    public void A_byte_order_mark_is_ignored() => Assert.True(DocParser.Parse([0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}']).Ok);

    [Fact]
    public void Empty_text_is_reported() =>
        Assert.Contains("empty", Assert.Single(DocParser.Parse("   ").Diagnostics).Message);

    [Fact]
    public void Number_nodes_become_int_decimal_or_float()
    {
        var root = DocParser.Parse("""{"i": 5, "d": 5.50, "f": 5e0}""").Root!;
        Assert.Equal(Values.ValueKind.Int, root["i"]!.ToValue().Kind);
        Assert.Equal("5.50", root["d"]!.ToValue().ToString());
        Assert.Equal(Values.ValueKind.Float, root["f"]!.ToValue().Kind);
    }
}
