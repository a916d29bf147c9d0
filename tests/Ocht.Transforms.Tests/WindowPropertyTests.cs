using FsCheck;
using FsCheck.Fluent;
using Ocht.Testkit;
using Ocht.Values;
using Ex = Ocht.Expressions.Expressions;

namespace Ocht.Transforms.Tests;

/// <summary>Random window steps over random events, fed as one batch or cut into random batches.</summary>
public class WindowPropertyTests
{
    private static readonly long Base = (long)(new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;
    private static readonly Schema EventSchema = Schema.Of("ts", "k", "v", "at_ms");

    /// <summary>One generated case. Each event carries its time twice: as "ts" in one of the accepted
    /// forms (timestamp, ISO text, epoch milliseconds; null now and then when <c>nulls</c> is on) and as
    /// "at_ms" for the reference.</summary>
    public sealed record Case(Record[] Events, long SizeMs, long SlideMs, long LatenessMs, int[] Cuts)
    {
        public string Step => $$$"""
            {"op": "window", "time": ":ts", "size": "{{{SizeMs}}}ms", "slide": "{{{SlideMs}}}ms", "allowed_lateness": "{{{LatenessMs}}}ms", "by": ["k"],
             "fields": {"n": ["count"], "c": ["count", ":v"], "sum": ["sum", ":v"], "avg": ["avg", ":v"], "min": ["min", ":v"], "max": ["max", ":v"],
                        "distinct": ["count-distinct", ":v"], "first": ["first", ":v"], "last": ["last", ":v"]}}
            """;

        public override string ToString() =>
            $"size {SizeMs}ms slide {SlideMs}ms lateness {LatenessMs}ms cuts [{string.Join(",", Cuts)}]\n{string.Join("\n", Events.Select(e => e.ToString()))}";
    }

    private static Gen<Record> Event(bool awkward)
    {
        var time = Gen.Zip(Gen.Choose(0, 120), Gen.Elements(0, 0, 0, 250, 999)).Select(t => Base + t.Item1 * 1000L + t.Item2);
        var form = awkward ? Gen.Frequency((6, Gen.Choose(0, 2)), (1, Gen.Constant(3))) : Gen.Choose(0, 2);
        var value = awkward ? Gen.Frequency((8, Generators.NumberOrNull), (1, Gen.Constant(Value.FromString("oops")))) : Generators.NumberOrNull;
        return Gen.Zip(Gen.Zip(time, form), Gen.Zip(Gen.Elements("a", "b", "c"), value)).Select(t =>
        {
            var (ms, f) = t.Item1;
            var at = DateTime.UnixEpoch.AddMilliseconds(ms);
            Value ts = f switch
            {
                0 => Value.FromTimestamp(at),
                1 => Value.FromString(at.ToString("yyyy-MM-ddTHH:mm:ss.fffZ")),
                2 => Value.FromInt(ms),
                _ => Value.Null,
            };
            return new Record(EventSchema, [ts, Value.FromString(t.Item2.Item1), t.Item2.Item2, Value.FromInt(ms)]);
        });
    }

    private static Gen<Case> Cases(bool awkward, Func<Record[], Record[]> order, Gen<long> lateness) =>
        Gen.Zip(
            Gen.Zip(Gen.Choose(0, 60).SelectMany(n => Gen.ArrayOf(Event(awkward), n)), Gen.Elements(1000L, 2000L, 3000L, 5000L, 10000L, 60000L)),
            Gen.Zip(Gen.Elements(1L, 2L, 4L, 5L), Gen.Zip(lateness, Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 9), n)))))
        .Select(t => new Case(order(t.Item1.Item1), t.Item1.Item2, t.Item1.Item2 / t.Item2.Item1, t.Item2.Item2.Item1, t.Item2.Item2.Item2));

    private static IEnumerable<string> Describe(IEnumerable<Rejection> rejections) =>
        rejections.Select(r => $"{r.Error} line {r.Line} {r.Record}: {r.Message}");

    private static void Same(IEnumerable<string> expected, IEnumerable<string> actual, string what)
    {
        var e = expected.ToArray();
        var a = actual.ToArray();
        if (!e.SequenceEqual(a))
            throw new Xunit.Sdk.XunitException($"{what} differ:\nexpected\n{string.Join("\n", e)}\ngot\n{string.Join("\n", a)}");
    }

    [Fact]
    public void A_stream_cut_into_random_batches_gives_the_same_windows_and_rejections_as_one_batch() =>
        Properties.Check(Prop.ForAll(Cases(awkward: true, order: e => e, Gen.Elements(0L, 500L, 1000L, 5000L, 20000L)).ToArbitrary(), c =>
        {
            var batch = Harness.RunSplit(c.Step, c.Events, [Math.Max(1, c.Events.Length)], batchSize: 4096);
            var stream = Harness.RunSplit(c.Step, c.Events, c.Cuts, batchSize: 2);
            Same(batch.Json, stream.Json, "windows");
            Same(Describe(batch.Rejections), Describe(stream.Rejections), "rejections");
            return batch.Balances(aggregating: true) && stream.Balances(aggregating: true) && stream.HeldAtEnd is null;
        }), 300);

    [Fact]
    public void In_order_events_give_the_windows_of_a_naive_group_by() =>
        Properties.Check(Prop.ForAll(Cases(awkward: false, order: e => e.OrderBy(r => r["at_ms"].AsInt).ToArray(), Gen.Elements(0L, 1000L, 30000L)).ToArbitrary(), c =>
        {
            var h = Harness.RunSplit(c.Step, c.Events, c.Cuts);
            Same(Reference(c), h.Json, "windows");
            return h.Rejections.Count == 0 && h.Balances(aggregating: true);
        }), 300);

    [Fact]
    public void With_lateness_beyond_the_span_any_order_gives_the_windows_of_a_naive_group_by() =>
        Properties.Check(Prop.ForAll(Cases(awkward: false, order: e => e, Gen.Constant(200_000L)).ToArbitrary(), c =>
        {
            var h = Harness.RunSplit(c.Step, c.Events, c.Cuts);
            Same(Reference(c), h.Json, "windows");
            return h.Rejections.Count == 0;
        }), 300);

    /// <summary>Every window any event falls in, by start; in each, the events whose time is in
    /// [start, start + size), grouped by "k" in order of first appearance, aggregated the obvious way.</summary>
    private static IEnumerable<string> Reference(Case c)
    {
        var schema = Schema.Of("window_start", "window_end", "k", "n", "c", "sum", "avg", "min", "max", "distinct", "first", "last");
        long FloorTo(long ms, long step) => ms - (((ms % step) + step) % step);
        var starts = c.Events.SelectMany(e =>
        {
            long at = e["at_ms"].AsInt;
            return Enumerable.Range(0, (int)(c.SizeMs / c.SlideMs)).Select(i => FloorTo(at, c.SlideMs) - i * c.SlideMs);
        }).Distinct().Order();
        foreach (long start in starts)
        {
            var inside = c.Events.Where(e => e["at_ms"].AsInt >= start && e["at_ms"].AsInt < start + c.SizeMs);
            foreach (var g in inside.GroupBy(e => e["k"]))
            {
                var values = g.Select(r => r["v"]).Where(v => !v.IsNull).ToArray();
                Value sum = values.Length == 0 ? Value.Null : values.Aggregate((a, b) => Ex.Add(a, b));
                Value avg = values.Length == 0 ? Value.Null : Ex.Divide(
                    values.Select(v => v.Kind == ValueKind.Int ? Value.FromDecimal(v.AsInt) : v).Aggregate((a, b) => Ex.Add(a, b)), values.Length);
                Value min = values.Length == 0 ? Value.Null : values.Aggregate((a, b) => ValueOrder.Compare(b, a) < 0 ? b : a);
                Value max = values.Length == 0 ? Value.Null : values.Aggregate((a, b) => ValueOrder.Compare(b, a) > 0 ? b : a);
                yield return new Record(schema,
                [
                    Value.FromTimestamp(DateTime.UnixEpoch.AddMilliseconds(start)), Value.FromTimestamp(DateTime.UnixEpoch.AddMilliseconds(start + c.SizeMs)),
                    g.Key, g.Count(), values.Length, sum, avg, min, max, values.Distinct().Count(), g.First()["v"], g.Last()["v"],
                ]).ToString();
            }
        }
    }
}
