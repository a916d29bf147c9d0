using System.Text;
using FsCheck.Fluent;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Values.Tests;

public class ValueTextTests
{
    [Theory]
    [InlineData("12.30", "12.30")]
    [InlineData("-0.5", "-0.5")]
    [InlineData("100", "100")]
    [InlineData("123456789012345678901234", "123456789012345678901234")]
    public void Numbers_print_invariant_without_exponent(string input, string printed)
    {
        Assert.True(ValueText.TryParseNumber(input, out var v));
        Assert.Equal(printed, ValueText.Format(v));
    }

    [Theory]
    [InlineData("42", ValueKind.Int)]
    [InlineData("-7", ValueKind.Int)]
    [InlineData("12.50", ValueKind.Decimal)]
    [InlineData("99999999999999999999", ValueKind.Decimal)]
    [InlineData("1e3", ValueKind.Float)]
    [InlineData("2.5E-2", ValueKind.Float)]
    public void Number_literals_follow_the_json_literal_rules(string text, ValueKind kind)
    {
        Assert.True(ValueText.TryParseNumber(text, out var v));
        Assert.Equal(kind, v.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1,000")]
    [InlineData("12.5.1")]
    [InlineData("abc")]
    [InlineData("1e")]
    [InlineData("--1")]
    [InlineData(" 1")]
    public void Non_numbers_do_not_parse(string text) => Assert.False(ValueText.TryParseNumber(text, out _));

    [Theory]
    [InlineData("2024-05-17T13:45:12Z", "2024-05-17T13:45:12Z")]
    [InlineData("2024-05-17T13:45:12.5Z", "2024-05-17T13:45:12.5Z")]
    [InlineData("2024-05-17T13:45:12.1234567Z", "2024-05-17T13:45:12.1234567Z")]
    [InlineData("2024-05-17T15:45:12+02:00", "2024-05-17T13:45:12Z")]
    [InlineData("2024-05-17T08:45:12-0500", "2024-05-17T13:45:12Z")]
    [InlineData("2024-05-17 13:45:12", "2024-05-17T13:45:12Z")]
    [InlineData("2024-05-17", "2024-05-17T00:00:00Z")]
    [InlineData("2024-05-17T13:45Z", "2024-05-17T13:45:00Z")]
    public void Timestamps_read_iso_8601_and_print_utc_with_z(string input, string printed)
    {
        Assert.True(ValueText.TryParseTimestamp(input, out long ticks));
        Assert.Equal(printed, ValueText.FormatTimestamp(ticks));
    }

    [Theory]
    [InlineData("2024-02-30T00:00:00Z")]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2024-05-17T24:00:00Z")]
    [InlineData("2024-05-17T13:45:12Q")]
    [InlineData("17/05/2024")]
    [InlineData("2024-05-17T13:45:12+25:00")]
    public void Invalid_timestamps_are_refused(string input) => Assert.False(ValueText.TryParseTimestamp(input, out _));

    [Fact]
    public void A_zone_can_be_required()
    {
        Assert.False(ValueText.TryParseTimestamp("2024-05-17T13:45:12", out _, requireZone: true));
        Assert.True(ValueText.TryParseTimestamp("2024-05-17T13:45:12Z", out _, requireZone: true));
    }

    [Fact]
    public void Utf8_formatting_matches_text_formatting_for_every_scalar() =>
        Properties.Check(Prop.ForAll(Generators.Scalar.Where(v => v.Kind != ValueKind.String).ToArbitrary(), v =>
        {
            Span<byte> buffer = stackalloc byte[ValueText.MaxScalarUtf8Length];
            return ValueText.TryFormatUtf8(v, buffer, out int n) && Encoding.UTF8.GetString(buffer[..n]) == ValueText.Format(v);
        }), 300);

    [Fact]
    public void Decimal_text_keeps_its_scale_through_parse_and_format() =>
        Properties.Check(Prop.ForAll(Generators.Decimal.ToArbitrary(), v =>
        {
            string text = ValueText.Format(v);
            return ValueText.TryParseDecimal(Encoding.ASCII.GetBytes(text), out decimal d) && ValueText.Format(Value.FromDecimal(d)) == text;
        }), 300);

    [Theory]
    [InlineData("yes", true)]
    [InlineData("FALSE", false)]
    [InlineData("t", true)]
    [InlineData("0", false)]
    public void Booleans_accept_the_usual_spellings(string text, bool expected)
    {
        Assert.True(ValueText.TryParseBool(text, out bool b));
        Assert.Equal(expected, b);
    }

    [Fact]
    public void Int_parsing_detects_overflow()
    {
        Assert.True(ValueText.TryParseInt("9223372036854775807"u8, out long max));
        Assert.Equal(long.MaxValue, max);
        Assert.True(ValueText.TryParseInt("-9223372036854775808"u8, out long min));
        Assert.Equal(long.MinValue, min);
        Assert.False(ValueText.TryParseInt("9223372036854775808"u8, out _));
    }
}
