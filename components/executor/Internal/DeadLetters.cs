using Ocht.Values;

namespace Ocht.Executor;

/// <summary>Turns rejections into dead-letter records (§6):
/// {"record": {...} | "raw": "...", "step": N, "op": "...", "error": "...", "message": "...", "line": L, "source": "..."}.</summary>
internal static class DeadLetters
{
    private static readonly Schema WithRecord = Schema.Of("record", "step", "op", "error", "message", "line", "source");
    private static readonly Schema WithRaw = Schema.Of("raw", "step", "op", "error", "message", "line", "source");

    /// <summary>Every field a dead letter may have, in order (a letter has "record" or "raw", not both):
    /// the columns for sinks that need them up front, such as CSV.</summary>
    public static readonly IReadOnlyList<string> Fields = ["record", "raw", "step", "op", "error", "message", "line", "source"];

    /// <summary>What each dead-letter field holds (when it is not null).</summary>
    public static readonly IReadOnlyDictionary<string, ValueKind> Kinds = new Dictionary<string, ValueKind>
    {
        ["record"] = ValueKind.Map, ["raw"] = ValueKind.String, ["step"] = ValueKind.Int, ["op"] = ValueKind.String,
        ["error"] = ValueKind.String, ["message"] = ValueKind.String, ["line"] = ValueKind.Int, ["source"] = ValueKind.String,
    };

    /// <summary>Dead-letter records; messages are scrubbed of secrets (the record itself is data and kept as it was).</summary>
    public static IEnumerable<Batch> ToBatches(IReadOnlyList<Rejection> rejections, string source, Ocht.Document.Secrets secrets, int batchSize, long sequence)
    {
        Batch? current = null;
        foreach (var r in rejections)
        {
            var schema = r.Record is null ? WithRaw : WithRecord;
            if (current is not null && (current.IsFull || !ReferenceEquals(current.Schema, schema)))
            {
                yield return current;
                current = null;
            }
            current ??= new Batch(schema, batchSize) { Sequence = sequence };
            var row = current.AddRow(r.Line);
            row[0] = r.Record is null ? Value.FromString(r.Raw) : Value.FromMap(new MapValue(r.Record.Schema, r.Record.Values.ToArray()));
            row[1] = r.Step is int step ? Value.FromInt(step) : Value.Null;
            row[2] = Value.FromString(r.Op ?? "source");
            row[3] = Value.FromString(r.Error);
            row[4] = Value.FromString(secrets.Redact(r.Message));
            row[5] = r.Line > 0 ? Value.FromInt(r.Line) : Value.Null;
            row[6] = Value.FromString(source);
        }
        if (current is not null) yield return current;
    }

    /// <summary>One line for messages: "orders.csv line 17, step 1 (derive): total: ...".</summary>
    public static string Describe(Rejection r, string? source = null)
    {
        string where = r.Line > 0 ? $"line {r.Line}" : "a record";
        if (source is not null) where = $"{source} {where}";
        where += r.Step is int step ? $", step {step} ({r.Op})" : r.Op is null or "source" ? "" : $", {r.Op}";
        return $"{where}: {r.Message}";
    }
}
