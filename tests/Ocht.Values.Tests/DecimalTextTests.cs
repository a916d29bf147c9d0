using System.Globalization;
using System.Text;
using FsCheck.Fluent;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Values.Tests;

public class DecimalTextTests
{
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
}
