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

    /// <summary>Up to 8 bytes, mostly digits, now and then a sign, a neighbour of '0' or '9' or a letter; after 8 bytes
    /// of anything (what comes before the text in a buffer).</summary>
    private static readonly FsCheck.Gen<(byte[] Before, byte[] Text)> DigitsAfterAnything =
        Gen.Zip(Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 8),
            Gen.Choose(0, 9).SelectMany(n => Gen.ArrayOf(Gen.Frequency(
                (20, Gen.Choose('0', '9').Select(c => (byte)c)),
                (1, Gen.Elements((byte)'-', (byte)'+', (byte)'/', (byte)':', (byte)'a', (byte)' ', (byte)0x80, (byte)0xB0))), n)));

    [Fact]
    public void Eight_digits_at_once_read_as_the_digit_loop_reads_them() =>
        Properties.Check(Prop.ForAll(DigitsAfterAnything.ToArbitrary(), t =>
        {
            var bytes = t.Before.Concat(t.Text).ToArray();
            ulong word = BitConverter.ToUInt64(bytes, bytes.Length - 8);
            bool plain = t.Text.Length is >= 1 and <= 8 && t.Text.All(b => b is >= (byte)'0' and <= (byte)'9');
            Assert.Equal(plain, ValueText.TryParseDigits8(word, t.Text.Length, out long value));
            if (plain)
            {
                Assert.True(ValueText.TryParseInt(t.Text, out long expected));
                Assert.Equal(expected, value);
            }
        }), 5000);

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("7", 7L)]
    [InlineData("00000001", 1L)]
    [InlineData("12345678", 12345678L)]
    [InlineData("99999999", 99999999L)]
    public void Eight_digits_at_once_cover_every_length_up_to_eight(string text, long expected)
    {
        var bytes = Encoding.ASCII.GetBytes("ABCDEFGH" + text);
        Assert.True(ValueText.TryParseDigits8(BitConverter.ToUInt64(bytes, bytes.Length - 8), text.Length, out long value));
        Assert.Equal(expected, value);
    }

    /// <summary>"yyyy-MM-ddTHH:mm:ssZ" with every part a little past its range now and then (month 13, day 32,
    /// February 29 of common years, hour 24, second 60, year 0), and sometimes one byte changed.</summary>
    private static readonly FsCheck.Gen<string> UtcSeconds =
        Gen.Zip(
            Gen.Zip(Gen.Frequency((4, Gen.Choose(1, 9999)), (1, Gen.Elements(0, 1600, 1900, 2000, 2023, 2024, 2100, 9999))), Gen.Zip(Gen.Choose(0, 13), Gen.Choose(0, 32))),
            Gen.Zip(Gen.Zip(Gen.Choose(0, 24), Gen.Zip(Gen.Choose(0, 60), Gen.Choose(0, 60))),
                Gen.Zip(Gen.Choose(-60, 19), Gen.Elements('/', ':', '-', 'T', 't', ' ', 'Z', 'z', '0', '9', 'a', 'é'))))
            .Select(t =>
            {
                var (year, (month, day)) = t.Item1;
                var ((hour, (minute, second)), (at, by)) = t.Item2;
                var text = $"{year:D4}-{month:D2}-{day:D2}T{hour:D2}:{minute:D2}:{second:D2}Z".ToCharArray();
                if (at >= 0) text[at] = by;
                return new string(text);
            });

    [Fact]
    public void The_usual_utc_form_reads_as_the_framework_reads_it()
    {
        int valid = 0;
        Properties.Check(Prop.ForAll(UtcSeconds.ToArbitrary(), text =>
        {
            // The reader also takes "t" or a space for "T" and "z" for "Z", as ISO 8601 readers do.
            var canonical = text.Length == 20 ? string.Concat(text[..10], text[10] is 't' or ' ' ? "T" : text[10].ToString(), text[11..19], text[19] == 'z' ? "Z" : text[19].ToString()) : text;
            bool expected = DateTime.TryParseExact(canonical, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var framework);
            bool actual = ValueText.TryParseTimestampUtf8(Encoding.UTF8.GetBytes(text), out long ticks);
            if (actual != expected || (expected && ticks != framework.Ticks))
                throw new Xunit.Sdk.XunitException($"\"{text}\": framework {(expected ? framework.ToString("o") : "refuses")}, Ocht {(actual ? new DateTime(ticks).ToString("o") : "refuses")}");
            valid += expected ? 1 : 0;
            return true;
        }), 5000);
        Assert.True(valid > 1000, $"only {valid} valid timestamps generated");
    }

    [Fact]
    public void Checking_a_timestamp_agrees_with_reading_it()
    {
        var others = Gen.Elements("2024-05-17", "2024-05-17T13:45:12.5+02:00", "2024-05-17 13:45:12z", "2024-02-29T00:00:00Z",
            "2023-02-29T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2024-05-17T13:45:12ZZ", "", "x");
        int valid = 0;
        Properties.Check(Prop.ForAll(Gen.Frequency((4, UtcSeconds), (1, others)).ToArbitrary(), text =>
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            bool read = ValueText.TryParseTimestampUtf8(bytes, out _);
            valid += read ? 1 : 0;
            return ValueText.IsTimestampUtf8(bytes) == read;
        }), 5000);
        Assert.True(valid > 1000, $"only {valid} valid timestamps generated");
    }

    [Fact]
    public void Timestamps_print_as_the_framework_prints_them()
    {
        var printed = new byte[64];
        Properties.Check(Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            long ticks = (long)((ulong)(uint)seed * 1_170_000_000_001UL % (ulong)DateTime.MaxValue.Ticks);
            string time = new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(ValueText.TryFormatTimestampUtf8(ticks, printed, out int n));
            Assert.Equal(time, Encoding.ASCII.GetString(printed, 0, n));
            return true;
        }), 5000);
    }
}
