using System.Text;
using FsCheck.Fluent;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Values.Tests;

public class ValueOrderTests
{
    [Fact]
    public void Compare_is_a_total_order() =>
        Properties.Check(Prop.ForAll(Gen.Three(Generators.Scalar).ToArbitrary(), t =>
        {
            var (a, b, c) = t;
            bool antisymmetric = Math.Sign(ValueOrder.Compare(a, b)) == -Math.Sign(ValueOrder.Compare(b, a));
            bool transitive = !(ValueOrder.Compare(a, b) <= 0 && ValueOrder.Compare(b, c) <= 0) || ValueOrder.Compare(a, c) <= 0;
            return antisymmetric && transitive && ValueOrder.Compare(a, a) == 0;
        }), 500);

    [Fact]
    public void Equal_keys_hash_alike() =>
        Properties.Check(Prop.ForAll(Gen.Two(Generators.Scalar).ToArbitrary(), t =>
            !ValueOrder.KeyEquals(t.Item1, t.Item2) || ValueOrder.KeyHash(t.Item1) == ValueOrder.KeyHash(t.Item2)), 500);

    [Fact]
    public void Text_built_in_place_is_the_same_value_as_from_string()
    {
        var text = "DE";
        Assert.True(Value.FromText(text).SameAs(Value.FromString(text)));
        Assert.Equal(ValueKind.String, Value.FromText("").Kind);
        Assert.Throws<ArgumentNullException>(() => Value.FromText(null!));
    }

    [Fact]
    public void Text_orders_like_its_utf8_bytes()
    {
        var text = Gen.Elements("a", "B", "é", "z", "\uFFFD", "\uE000", "😀", "日", "", "aa", "a\u0000");
        Properties.Check(Prop.ForAll(Gen.Two(text).ToArbitrary(), t =>
            Math.Sign(ValueOrder.CompareText(t.Item1, t.Item2)) ==
            Math.Sign(Encoding.UTF8.GetBytes(t.Item1).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(t.Item2)))), 300);
    }

    [Fact]
    public void Numbers_compare_by_value_across_kinds()
    {
        Assert.True(ValueOrder.KeyEquals(5, 5.00m));
        Assert.True(ValueOrder.KeyEquals(5, 5.0));
        Assert.True(ValueOrder.KeyEquals(0.5m, 0.5));
        Assert.False(ValueOrder.KeyEquals(5, "5"));
        Assert.True(ValueOrder.Compare(2, 2.5m) < 0);
        Assert.True(ValueOrder.Compare(9007199254740993L, 9007199254740992.0) > 0);
        Assert.Equal(ValueOrder.KeyHash(5), ValueOrder.KeyHash(5.000m));
    }

    [Fact]
    public void Strict_equality_sees_the_decimal_scale()
    {
        Assert.True(ValueOrder.KeyEquals(12.3m, 12.30m));
        Assert.False(ValueOrder.StrictEquals(12.3m, 12.30m));
    }

    [Fact]
    public void Extreme_ints_compare_with_decimals_of_another_scale() // found by the sort prefix property
    {
        Assert.True(ValueOrder.Compare(Value.FromInt(long.MinValue), Value.FromDecimal(-4.0m)) < 0);
        Assert.True(ValueOrder.Compare(Value.FromDecimal(4.5m), Value.FromInt(long.MinValue)) > 0);
        Assert.True(ValueOrder.Compare(Value.FromInt(long.MaxValue), Value.FromDecimal(9223372036854775806.5m)) > 0);
    }
}
