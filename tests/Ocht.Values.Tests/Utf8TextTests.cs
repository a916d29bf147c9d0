using FsCheck.Fluent;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Values.Tests;

public class Utf8TextTests
{
    /// <summary>Short byte strings over a small alphabet (with "é" and, rarely, an invalid byte), so many repeat,
    /// many differ in one byte or only in length, and some are not valid UTF-8.</summary>
    private static readonly FsCheck.Gen<byte[]> Texts =
        Gen.Choose(0, 30).SelectMany(n => Gen.ArrayOf(Gen.Frequency(
            (8, Gen.Elements<byte[]>([(byte)'a'], [(byte)'b'], [0])), (2, Gen.Constant<byte[]>([0xC3, 0xA9])), (1, Gen.Constant<byte[]>([0xFF]))), n))
        .Select(parts => parts.SelectMany(p => p).ToArray());

    /// <summary>A text and the same text with one byte changed: the pair a cache must never confuse.</summary>
    private static readonly FsCheck.Gen<byte[][]> NearPairs =
        Gen.Zip(Texts.Where(t => t.Length > 0), Gen.Zip(Gen.Choose(0, 1000), Gen.Elements<byte>((byte)'c', 0x80))).Select(t =>
        {
            var variant = (byte[])t.Item1.Clone();
            variant[t.Item2.Item1 % variant.Length] = t.Item2.Item2;
            return new[] { t.Item1, variant };
        });

    [Fact]
    public void Cached_text_is_exactly_the_strict_decoding()
    {
        int repeats = 0;
        Properties.Check(Prop.ForAll(Gen.Zip(Gen.ArrayOf(Texts), Gen.ArrayOf(NearPairs)).Select(t => t.Item1.Concat(t.Item2.SelectMany(p => p)).ToArray()).ToArbitrary(), texts =>
        {
            var cache = new Utf8Text();
            // Twice over, so the second pass finds (or wrongly finds) what the first stored.
            foreach (var bytes in texts.Concat(texts))
            {
                var expected = Utf8Text.DecodeStrict(bytes);
                var actual = cache.Decode(bytes);
                if (expected != actual)
                    throw new Xunit.Sdk.XunitException($"[{Convert.ToHexString(bytes)}]: strict {expected ?? "invalid"}, cached {actual ?? "invalid"}");
            }
            repeats += texts.Length;
            return true;
        }), 500);
        Assert.True(repeats > 1000);
    }

    [Fact]
    public void Repeated_short_text_comes_back_as_the_same_string()
    {
        var cache = new Utf8Text();
        var first = cache.Decode("Home & Garden"u8);
        Assert.Same(first, cache.Decode("Home & Garden"u8));
        Assert.Equal("Home & Gardem", cache.Decode("Home & Gardem"u8));
        Assert.Equal("US", cache.Decode("US"u8));
        Assert.Equal("USA", cache.Decode("USA"u8));
        Assert.Equal("a note longer than sixteen bytes", cache.Decode("a note longer than sixteen bytes"u8));
    }

    [Fact]
    public void A_column_whose_values_rarely_repeat_stops_caching_and_still_decodes()
    {
        var cache = new Utf8Text();
        var first = cache.Decode("DE"u8);
        Assert.Same(first, cache.Decode("DE"u8));
        for (int i = 0; i < 1100; i++) Assert.Equal($"id-{i}", cache.Decode(System.Text.Encoding.UTF8.GetBytes($"id-{i}")));
        // More than half of the first lookups missed: the cache is off, text is decoded afresh.
        var again = cache.Decode("DE"u8);
        Assert.Equal("DE", again);
        Assert.NotSame(first, again);
        Assert.Null(cache.Decode([0xFF]));
    }

    [Fact]
    public void A_column_that_mostly_repeats_keeps_its_cache()
    {
        // One new value in three lookups: a miss now and then (and an eviction when two share a slot), but
        // the same text twice in a row is the same string all along.
        var cache = new Utf8Text();
        for (int i = 0; i < 5000; i++)
        {
            Assert.Same(cache.Decode("paid"u8), cache.Decode("paid"u8));
            cache.Decode(System.Text.Encoding.UTF8.GetBytes($"n{i}"));
        }
    }
}
