using FsCheck.Fluent;
using Ocht.Expressions;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Expressions.Tests;

/// <summary>The scaled-integer fast path must give exactly System.Decimal's results, scale included.</summary>
public class DecimalFastPathTests
{
    private static readonly FsCheck.Gen<Value> Exact = Gen.OneOf(
        Gen.Zip(Gen.Choose(-2_000_000_000, 2_000_000_000), Gen.Choose(0, 6)).Select(t => Value.FromDecimal(new decimal((int)(Math.Abs((long)t.Item1) * 1_000_003L % 999_999_937L), 7, 0, t.Item1 < 0, (byte)t.Item2))),
        Gen.Choose(-100_000, 100_000).Select(i => Value.FromInt(i)),
        Gen.Elements(long.MaxValue, long.MinValue + 1, 4_611_686_018_427_387_904L, 999_999_999_999_999_999L).Select(l => Value.FromInt(l)),
        Gen.Elements(0.00m, -0.5m, 79228162514264337593543950335m, 0.0000000000000000000000000001m, 12.345678901234567890m).Select(d => Value.FromDecimal(d)));

    private static string Outcome(Func<Value> f)
    {
        try { var v = f(); return v.Kind == ValueKind.Decimal && v.AsDecimal == 0 ? "zero" : $"{v.Kind}:{ValueText.Format(v)}"; }
        catch (EvalException e) { return e.Kind; }
    }

    private static string Reference(Func<decimal> f)
    {
        try
        {
            decimal d = f();
            // System.Decimal sometimes drops the scale of a zero product; Ocht keeps it (s1 + s2), as SQL does.
            return d == 0 ? "zero" : $"Decimal:{d.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        }
        catch (OverflowException) { return "arithmetic-error"; }
    }

    [Fact]
    public void Add_subtract_multiply_and_round_equal_system_decimal() =>
        Properties.Check(Prop.ForAll(Gen.Zip(Gen.Zip(Exact, Exact), Gen.Choose(0, 8)).ToArbitrary(), t =>
        {
            var ((a, b), digits) = t;
            if (a.Kind == ValueKind.Int && b.Kind == ValueKind.Int) return true; // int op int stays int
            decimal x = a.ToDecimal(), y = b.ToDecimal();
            var checks = new (string Name, string Fast, string Slow)[]
            {
                ("+", Outcome(() => Numbers.Add(a, b)), Reference(() => x + y)),
                ("-", Outcome(() => Numbers.Subtract(a, b)), Reference(() => x - y)),
                ("*", Outcome(() => Numbers.Multiply(a, b)), Reference(() => x * y)),
                ("round", Outcome(() => Numbers.Round(Value.FromDecimal(x), digits)), Reference(() => RoundExactly(x, digits))),
                ("compare", ValueOrder.Compare(a, b).ToString(System.Globalization.CultureInfo.InvariantCulture), decimal.Compare(x, y).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
            foreach (var (name, fast, slow) in checks)
                if (fast != slow) throw new Xunit.Sdk.XunitException($"{ValueText.Format(a)} {name} {ValueText.Format(b)} (digits {digits}): fast {fast}, System.Decimal {slow}");
            return true;
        }), 3000);

    private static decimal RoundExactly(decimal x, int digits)
    {
        decimal r = Math.Round(x, digits, MidpointRounding.AwayFromZero);
        // Pad to the asked scale, as far as 96 bits of mantissa allow (multiplying by 1.0 adds one digit).
        while (r.Scale < digits)
        {
            decimal padded = r * 1.0m;
            if (padded.Scale == r.Scale) break;
            r = padded;
        }
        return r;
    }
}
