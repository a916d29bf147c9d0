using System.Globalization;
using System.Text;
using FsCheck.Fluent;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Values.Tests;

/// <summary>Decimal and timestamp text read by the fast readers, checked against the framework's own readers.</summary>
public class NumberAndTimeTextTests
{
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
            bool expected = DateTime.TryParseExact(canonical, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var framework);
            bool actual = ValueText.TryParseTimestampUtf8(Encoding.UTF8.GetBytes(text), out long ticks);
            if (actual != expected || (expected && ticks != framework.Ticks))
                throw new Xunit.Sdk.XunitException($"\"{text}\": framework {(expected ? framework.ToString("o") : "refuses")}, Ocht {(actual ? new DateTime(ticks).ToString("o") : "refuses")}");
            valid += expected ? 1 : 0;
            return true;
        }), 5000);
        Assert.True(valid > 1000, $"only {valid} valid timestamps generated");
    }

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
            if (want != got || want != gotValue)
                throw new Xunit.Sdk.XunitException($"\"{text}\": framework {want}, as decimal {got}, as value {gotValue}");
            numbers += expected ? 1 : 0;
            return true;
        }), 5000);
        Assert.True(numbers > 2000, $"only {numbers} numbers generated");
    }
    [Fact]
    public void Decimals_and_timestamps_print_as_the_framework_prints_them()
    {
        var printed = new byte[64];
        Properties.Check(Prop.ForAll(Gen.Zip(Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(0, 1_000_000)), Gen.Zip(Gen.Choose(0, 28), Gen.Choose(0, int.MaxValue))).ToArbitrary(), t =>
        {
            var ((high, low), (scale, tickSeed)) = t;
            long mantissa = (long)high * 1_000_000 + low;
            var number = Value.FromScaled(mantissa, scale);
            string framework = number.AsDecimal.ToString(CultureInfo.InvariantCulture);
            Assert.True(ValueText.TryFormatUtf8(number, printed, out int n));
            Assert.Equal(framework, Encoding.ASCII.GetString(printed, 0, n));

            long ticks = (long)((ulong)(uint)tickSeed * 1_170_000_000_001UL % (ulong)DateTime.MaxValue.Ticks);
            string time = new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
            Assert.True(ValueText.TryFormatTimestampUtf8(ticks, printed, out n));
            Assert.Equal(time, Encoding.ASCII.GetString(printed, 0, n));
            return true;
        }), 5000);
    }
}
