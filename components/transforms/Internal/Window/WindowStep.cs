using Ocht.Document;
using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>The window sizes of one step, in ticks: windows start at multiples of
/// <see cref="Slide"/> since the Unix epoch and last <see cref="Size"/>.</summary>
internal sealed record WindowShape(long Size, long Slide, long Lateness)
{
    /// <summary>How many windows each record falls in.</summary>
    public int PerRecord => (int)(Size / Slide);

    /// <summary>The start of the latest window containing <paramref name="time"/> (ticks).</summary>
    public long LatestStart(long time)
    {
        long sinceEpoch = time - DateTime.UnixEpoch.Ticks;
        return DateTime.UnixEpoch.Ticks + sinceEpoch - (((sinceEpoch % Slide) + Slide) % Slide);
    }
}

internal static class WindowStep
{
    public const string Start = "window_start", End = "window_end";

    /// <summary>More windows per record than this is almost certainly a mistake and costs memory per record.</summary>
    private const long MaxWindowsPerRecord = 1000;

    public static readonly ComponentSpec Spec = new("step", "window", "Event-time windows for streams (an Ocht extension of spec v1): one record per window and group, " +
        "with window_start and window_end (timestamps), the group fields, then the aggregates (as in aggregate). Tumbling windows by default; with \"slide\", sliding windows. " +
        "A window is emitted as soon as the watermark (the latest event time seen, minus allowed_lateness) reaches its end, and every open window at the end of the input. " +
        "A record whose windows have all been emitted is rejected with error \"late\". Memory grows with open windows times groups, not records.",
    [
        new OptionSpec("time", OptionType.Expression, "the event time: a timestamp, ISO-8601 text (no zone means UTC) or an int of milliseconds since 1970; null or anything else rejects the record (type-error)") { Required = true },
        new OptionSpec("size", OptionType.String, "window length: a whole number and a unit (ms, s, m, h, d), e.g. \"5m\"") { Required = true },
        new OptionSpec("slide", OptionType.String, "for sliding windows: how far each window starts after the previous one; must divide \"size\" evenly (absent: tumbling, slide = size)"),
        new OptionSpec("by", OptionType.FieldList, "group fields") { Default = "[]" },
        new OptionSpec("fields", OptionType.AggregateMap, "output name to [aggregate, expression?], as in aggregate") { Required = true },
        new OptionSpec("allowed_lateness", OptionType.String, "how far behind the latest event time a record may be and still be counted") { Default = "\"0s\"" },
    ])
    {
        Example = """{ "op": "window", "time": ":ts", "size": "1h", "slide": "15m", "by": ["country"], "fields": { "orders": ["count"], "revenue": ["sum", ":total"] } }""",
        Details = "Windows are aligned to the Unix epoch: a \"1h\" window runs from a whole hour to the next, and [start, end) includes its start but not its end. " +
            "With \"slide\" every record counts in size/slide windows (at most 1000). Windows without records produce nothing. " +
            "Output comes in the order of window end, then window start, then groups in order of first appearance in the window. " +
            "The result depends only on the order of the records, not on how they are split into batches, so a batch run and a streaming run of the same records give the same windows and rejections. " +
            "A record that is behind the watermark but still has an open window is counted in the windows still open; only a record with no open window left is rejected as late.",
    };

    public static StepDefinition? Compile(StepSource s)
    {
        int before = s.Diagnostics.Count;
        var timeExpr = Expressions.Expressions.Parse(s.At("time"), s.Diagnostics, s.Input);
        var time = timeExpr is null ? null : Expressions.Expressions.Compile(timeExpr, s.Diagnostics);
        var shape = ParseShape(s);
        var grouping = Grouping.Parse(s, reserved: [Start, End]);
        if (time is null || shape is null || grouping is null || s.Diagnostics.Count > before) return null;
        var output = Schema.Of(new[] { Start, End }.Concat(grouping.By).Concat(grouping.Fields.Select(f => f.Output)).ToArray());
        string kind = shape.Slide == shape.Size ? $"tumbling {Durations.Format(shape.Size)}" : $"sliding {Durations.Format(shape.Size)} every {Durations.Format(shape.Slide)}";
        string summary = $"{kind} windows on {time}, lateness {Durations.Format(shape.Lateness)}; {grouping.Summary}";
        return s.Define(FieldScope.Of(output.Names), StepTraits.Aggregating, summary,
            (d, r) => new WindowRunner(d, time, shape, grouping, output, r.BatchSize),
            Needs.Exactly(grouping.Reads.Concat(Needs.Of([time])).Distinct()));
    }

    private static WindowShape? ParseShape(StepSource s)
    {
        long? size = Durations.Parse(s.At("size"), "size", s.Diagnostics, allowZero: false);
        long? slide = size;
        if (s.Options.Has("slide"))
        {
            slide = Durations.Parse(s.At("slide"), "slide", s.Diagnostics, allowZero: false);
            if (size is { } total && slide is { } step)
            {
                string sizeText = Durations.Format(total), slideText = Durations.Format(step);
                if (step > total)
                    s.Diagnostics.Add(s.At("slide"), $"\"slide\" ({slideText}) is longer than \"size\" ({sizeText}); windows would leave gaps. Use a slide of at most {sizeText}");
                else if (total % step != 0)
                    s.Diagnostics.Add(s.At("slide"), $"\"slide\" ({slideText}) must divide \"size\" ({sizeText}) evenly, so every record counts in the same number of windows; e.g. {Divisors(total, step)}");
                else if (total / step > MaxWindowsPerRecord)
                    s.Diagnostics.Add(s.At("slide"), $"\"size\" {sizeText} with \"slide\" {slideText} puts every record in {total / step} windows; at most {MaxWindowsPerRecord} are allowed");
            }
        }
        long? lateness = Durations.Parse(s.Options.Get("allowed_lateness")!, "allowed_lateness", s.Diagnostics, allowZero: true);
        return size is { } sz && slide is { } sl && lateness is { } late && sz >= sl && sz % sl == 0 && sz / sl <= MaxWindowsPerRecord
            ? new WindowShape(sz, sl, late) : null;
    }

    /// <summary>The slides nearest to <paramref name="slide"/> that divide <paramref name="size"/> evenly, as suggestions.</summary>
    private static string Divisors(long size, long slide)
    {
        long fewer = size / slide, more = fewer + 1;
        var options = new[] { fewer, more }
            .Where(n => size % n == 0 && size / n % TimeSpan.TicksPerMillisecond == 0)
            .Select(n => $"\"{Durations.Format(size / n)}\"").ToArray();
        return options.Length > 0 ? string.Join(" or ", options) : $"\"{Durations.Format(size)}\"";
    }
}
