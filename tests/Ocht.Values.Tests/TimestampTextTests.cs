using System.Globalization;
using System.Text;
using FsCheck.Fluent;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Values.Tests;

public class TimestampTextTests
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
}
