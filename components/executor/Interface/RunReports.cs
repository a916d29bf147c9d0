using System.Buffers;
using System.Text;
using System.Text.Json;
using Ocht.Values;

namespace Ocht.Executor;

/// <summary>The JSON form of a run report (the CLI's <c>--summary json</c>, §7), shared by every host.
/// Keys of the contract come first, in its order; run_id, merged and sinks are additions.</summary>
public static class RunReports
{
    public static string ToJson(RunReport report, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, ValueJson.WriterOptions with { Indented = indented, SkipValidation = false }))
            Write(w, report);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Write(Utf8JsonWriter w, RunReport report)
    {
        w.WriteStartObject();
        w.WriteString("pipeline", report.Pipeline);
        w.WriteString("status", report.Succeeded ? "succeeded" : "failed");
        w.WriteStartObject("records");
        w.WriteNumber("read", report.Records.Read);
        w.WriteNumber("written", report.Records.Written);
        w.WriteNumber("dropped", report.Records.Dropped);
        w.WriteNumber("rejected", report.Records.Rejected);
        w.WriteEndObject();
        w.WriteStartArray("steps");
        foreach (var s in report.Steps)
        {
            w.WriteStartObject();
            w.WriteNumber("index", s.Index);
            w.WriteString("op", s.Op);
            w.WriteNumber("in", s.In);
            w.WriteNumber("out", s.Out);
            w.WriteNumber("dropped", s.Dropped);
            w.WriteNumber("rejected", s.Rejected);
            w.WriteNumber("ms", s.Ms);
            w.WriteNumber("merged", s.Merged);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("duration_ms", report.DurationMs);
        if (report.Error is null) w.WriteNull("error");
        else
        {
            w.WriteStartObject("error");
            w.WriteString("kind", report.Error.Kind);
            w.WriteString("message", report.Error.Message);
            w.WriteEndObject();
        }
        w.WriteString("run_id", report.RunId);
        w.WriteStartArray("sinks");
        foreach (var s in report.Sinks)
        {
            w.WriteStartObject();
            w.WriteString("sink", s.Sink);
            w.WriteNumber("written", s.Written);
            w.WriteNumber("rejected", s.Rejected);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
