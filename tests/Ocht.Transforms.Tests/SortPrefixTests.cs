using FsCheck.Fluent;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Transforms.Tests;

/// <summary>Sort prefixes never contradict the full comparison: a smaller prefix means an earlier row,
/// and equal exact prefixes mean equal keys.</summary>
public class SortPrefixTests
{
    private static readonly FsCheck.Gen<Value> Keys = Gen.OneOf(
        Generators.SortKey,
        Generators.Scalar,
        Gen.Elements("abcdefg", "abcdefgh", "abcdefgi", "ab\0", "ab", "ab\u0001", "\uD83D\uDE00", "\uFFFF", "\uD7FF", "\uE000x", "aé", "a\u00FF", "\uD800", "zzzzzzzzz")
            .Select(s => Value.FromString(s)),
        Gen.Elements(long.MaxValue, long.MinValue, (1L << 55) - 1, 1L << 55, -(1L << 55), -(1L << 55) - 1).Select(Value.FromInt),
        Gen.Elements(0.5m, -0.5m, 4.0m, -4.0m, 1e20m, -1e20m, 36028797018963967.5m).Select(Value.FromDecimal),
        Gen.Elements(0L, 63L, 64L, 10_000_000L, 638_000_000_000_000_001L).Select(Value.FromTimestampTicks));

    [Fact]
    public void Prefixes_agree_with_the_full_comparison() =>
        Properties.Check(Prop.ForAll(Gen.Zip(Gen.Zip(Keys, Keys), Gen.Elements(false, true)).ToArbitrary(), t =>
        {
            var ((a, b), descending) = t;
            if (!SortPrefix.TryOf(a, descending, out ulong pa, out bool ea) || !SortPrefix.TryOf(b, descending, out ulong pb, out bool eb))
                return a.Kind == ValueKind.Float || b.Kind == ValueKind.Float;
            int full = Math.Sign(SortKeys.CompareOne(a, b, descending));
            if (pa < pb) return full < 0;
            if (pa > pb) return full > 0;
            return !(ea && eb) || full == 0;
        }), 5000);
}
