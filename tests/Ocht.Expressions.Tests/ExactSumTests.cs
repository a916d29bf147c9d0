using FsCheck.Fluent;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Expressions.Tests;

/// <summary>The fast running sum must give exactly what adding by the §3 rules gives: same kind, same
/// digits, same scale, the sign of a zero included, and an error wherever the rules overflow.</summary>
public class ExactSumTests
{
    private static readonly FsCheck.Gen<Value> Numbers = FsCheck.Fluent.Gen.Frequency(
        (4, Generators.Int),
        (4, Generators.Decimal),
        (1, Generators.Float),
        (1, Gen.Elements(long.MaxValue, long.MinValue + 1, long.MaxValue / 10, -long.MaxValue / 3).Select(Value.FromInt)),
        (1, Gen.Elements(0.00m, new decimal(0, 0, 0, true, 2), 0.0m, 92233720368547758.07m, -9223372036854775.807m, 79228162514264337593543950335m, 1.0000000000000000001m).Select(Value.FromDecimal)));

    private static string Describe(Value v) => v.Kind == ValueKind.Decimal
        ? $"decimal {string.Join(",", decimal.GetBits(v.AsDecimal))}"
        : $"{v.Kind} {ValueJson.ToJson(v)}";

    private static string Reference(Value[] values, bool intsAsDecimal)
    {
        try
        {
            Value sum = Value.Null;
            foreach (var v in values)
            {
                var n = intsAsDecimal && v.Kind == ValueKind.Int ? Value.FromScaled(v.AsInt, 0) : v;
                sum = sum.IsNull ? n : Expressions.Add(sum, n);
            }
            return Describe(sum);
        }
        catch (EvalException e) { return e.Kind; }
    }

    private static string Fast(Value[] values, bool intsAsDecimal, ref int fastAdds)
    {
        try
        {
            var fast = new ExactSum();
            Value? general = null;
            foreach (var v in values)
            {
                if (general is null && fast.TryAdd(v, intsAsDecimal, out var next))
                {
                    fast = next;
                    fastAdds++;
                    continue;
                }
                var n = intsAsDecimal && v.Kind == ValueKind.Int ? Value.FromScaled(v.AsInt, 0) : v;
                var current = general ?? fast.Value;
                general = current.IsNull ? n : Expressions.Add(current, n);
            }
            return Describe(general ?? fast.Value);
        }
        catch (EvalException e) { return e.Kind; }
    }

    [Fact]
    public void The_fast_sum_equals_adding_by_the_rules()
    {
        int fastAdds = 0;
        Properties.Check(Prop.ForAll(Gen.Zip(Gen.ArrayOf(Numbers), Gen.Elements(false, true)).ToArbitrary(), t =>
        {
            var (values, intsAsDecimal) = t;
            string expected = Reference(values, intsAsDecimal), actual = Fast(values, intsAsDecimal, ref fastAdds);
            if (expected != actual)
                throw new Xunit.Sdk.XunitException($"{string.Join(", ", values.Select(Describe))} (ints as decimal: {intsAsDecimal}): rules {expected}, fast {actual}");
            return true;
        }), 2000);
        Assert.True(fastAdds > 5000, $"only {fastAdds} additions took the fast form");
    }
}
