using System.Globalization;
using System.Text;
using FsCheck.Fluent;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Values.Tests;

/// <summary>The scaled-decimal text paths (CSV read and write) agree with System.Decimal to the byte.</summary>
public class DecimalTextTests
{
    private static readonly FsCheck.Gen<decimal> Decimals = Gen.OneOf(
        Gen.Zip(Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(0, 9)), Gen.Zip(Gen.Elements(true, false), Gen.Choose(0, 28)))
            .Select(t => new decimal(t.Item1.Item1, t.Item1.Item2, 0, t.Item2.Item1, (byte)t.Item2.Item2)),
        Gen.Zip(Gen.Choose(-100_000, 100_000), Gen.Choose(0, 6)).Select(t => new decimal(Math.Abs(t.Item1), 0, 0, t.Item1 < 0, (byte)t.Item2)),
        Gen.Elements(0m, 0.00m, -0.5m, 9223372036854775807m, -9223372036854775807m, 79228162514264337593543950335m, 0.0000000000000000000000000001m));

    [Fact]
    public void Formatting_a_decimal_value_matches_system_decimal() =>
        Properties.Check(Prop.ForAll(Decimals.ToArbitrary(), d =>
        {
            var buffer = new byte[64];
            Assert.True(ValueText.TryFormatUtf8(Value.FromDecimal(d), buffer, out int n));
            Assert.Equal(d.ToString(CultureInfo.InvariantCulture), Encoding.ASCII.GetString(buffer, 0, n));
        }), 2000);

    [Fact]
    public void Parsing_decimal_text_to_a_value_matches_system_decimal() =>
        Properties.Check(Prop.ForAll(Decimals.ToArbitrary(), d =>
        {
            var text = Encoding.ASCII.GetBytes(d.ToString(CultureInfo.InvariantCulture));
            Assert.True(ValueText.TryParseDecimal(text, out Value v));
            Assert.Equal(ValueKind.Decimal, v.Kind);
            Assert.Equal(d, v.AsDecimal);
            Assert.Equal(d.Scale, v.AsDecimal.Scale);
        }), 2000);

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("1e5")]
    [InlineData("12a")]
    public void Text_that_is_not_a_plain_decimal_is_refused(string text) =>
        Assert.False(ValueText.TryParseDecimal(Encoding.ASCII.GetBytes(text), out Value _));

    /// <summary>Text over digits, a point and signs: mostly numbers (some long, some with runs of leading zeros),
    /// some not numbers at all.</summary>
    private static readonly FsCheck.Gen<string> DecimalLike =
        Gen.Frequency(
            (6, Gen.Zip(Gen.Zip(Gen.Elements("", "-", "+"), Gen.Elements("", "0", "00000000000000000000", "1")),
                    Gen.Zip(Gen.Choose(0, 22).SelectMany(n => Gen.ArrayOf(Gen.Elements('0', '1', '5', '9'), n)), Gen.Choose(-1, 30).SelectMany(n => n < 0 ? Gen.Constant((char[]?)null) : Gen.ArrayOf(Gen.Elements('0', '3', '9'), n).Select(a => (char[]?)a))))
                .Select(t => t.Item1.Item1 + t.Item1.Item2 + new string(t.Item2.Item1) + (t.Item2.Item2 is { } f ? "." + new string(f) : ""))),
            (1, Gen.Choose(0, 8).SelectMany(n => Gen.ArrayOf(Gen.Elements('0', '7', '.', '-', '+', 'e', ' ', 'x'), n)).Select(a => new string(a))));

    [Fact]
    public void Decimal_text_reads_as_the_framework_reads_it_scale_and_sign_included()
    {
        int numbers = 0;
        Properties.Check(Prop.ForAll(DecimalLike.ToArbitrary(), text =>
        {
            var bytes = Encoding.ASCII.GetBytes(text);
            bool expected = decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal framework);
            bool asDecimal = ValueText.TryParseDecimal(bytes, out decimal d);
            bool asValue = ValueText.TryParseDecimal(bytes, out Value v);
            string want = expected ? framework.ToString(CultureInfo.InvariantCulture) : "refused";
            string got = asDecimal ? d.ToString(CultureInfo.InvariantCulture) : "refused";
            string gotValue = asValue ? v.AsDecimal.ToString(CultureInfo.InvariantCulture) : "refused";
            // The scaled form (the CSV source's fast path) reads only non-zero numbers with a 63-bit mantissa, and reads them right.
            bool asScaled = ValueText.TryParseScaled(bytes, out long mantissa, out int scale);
            string gotScaled = asScaled ? Value.FromScaledExact(mantissa, scale).AsDecimal.ToString(CultureInfo.InvariantCulture) : want;
            if (want != got || want != gotValue || want != gotScaled || (asScaled && (!expected || framework == 0)))
                throw new Xunit.Sdk.XunitException($"\"{text}\": framework {want}, as decimal {got}, as value {gotValue}, scaled {(asScaled ? gotScaled : "refused")}");
            numbers += expected ? 1 : 0;
            return true;
        }), 5000);
        Assert.True(numbers > 2000, $"only {numbers} numbers generated");
    }

    [Fact]
    public void A_scaled_value_out_of_the_exact_range_is_refused()
    {
        Assert.Equal(12.34m, Value.FromScaledExact(1234, 2).AsDecimal);
        Assert.Equal(-0.05m, Value.FromScaledExact(-5, 2).AsDecimal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Value.FromScaledExact(1, 29));
        Assert.Throws<ArgumentOutOfRangeException>(() => Value.FromScaledExact(1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Value.FromScaledExact(long.MinValue, 0));
    }
}
