using Ocht.Values;

namespace Ocht.Values.Tests;

public class ValueJsonTests
{
    [Fact]
    public void Records_round_trip_with_types_and_decimal_scale()
    {
        const string json = """{"id":7,"price":12.30,"ratio":1.5E-3,"ok":true,"none":null,"name":"Zoë","tags":["a",1],"user":{"id":3,"email":"x@y"}}""";
        var record = ValueJson.ParseRecord(json);
        Assert.Equal(ValueKind.Int, record["id"].Kind);
        Assert.Equal(ValueKind.Decimal, record["price"].Kind);
        Assert.Equal(ValueKind.Float, record["ratio"].Kind);
        Assert.Equal(ValueKind.Map, record["user"].Kind);
        Assert.Equal("""{"id":7,"price":12.30,"ratio":0.0015,"ok":true,"none":null,"name":"Zoë","tags":["a",1],"user":{"id":3,"email":"x@y"}}""", record.ToString());
    }

    [Fact]
    public void Timestamps_are_written_as_iso_strings()
    {
        var record = Record.Of(("at", new DateTime(2024, 5, 17, 13, 45, 12, DateTimeKind.Utc)));
        Assert.Equal("""{"at":"2024-05-17T13:45:12Z"}""", ValueJson.ToJson(record));
    }

    [Theory]
    [InlineData("[1,2]", "expected a JSON object, found an array")]
    [InlineData("42", "expected a JSON object, found a number")]
    [InlineData("""{"a":1,"a":2}""", "duplicate field \"a\"")]
    [InlineData("""{"a":1} x""", "invalid JSON")]
    [InlineData("""{"a":}""", "invalid JSON")]
    public void Lines_that_are_not_one_object_are_refused_with_a_reason(string json, string reason)
    {
        var reader = new JsonRecordReader();
        Assert.False(reader.TryRead(System.Text.Encoding.UTF8.GetBytes(json), out _, out _, out string? error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Invalid_json_reports_the_column()
    {
        var reader = new JsonRecordReader();
        Assert.False(reader.TryRead("""{"a": tru}"""u8, out _, out _, out string? error));
        Assert.Contains("column", error);
    }

    [Fact]
    public void Objects_with_the_same_fields_share_one_schema()
    {
        var reader = new JsonRecordReader();
        Assert.True(reader.TryRead("""{"a":1,"b":2}"""u8, out var first, out _, out _));
        Assert.True(reader.TryRead("""{"a":3,"b":4}"""u8, out var second, out _, out _));
        Assert.True(reader.TryRead("""{"b":3,"a":4}"""u8, out var third, out _, out _));
        Assert.Same(first, second);
        Assert.NotSame(first, third);
    }
}
