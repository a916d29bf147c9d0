namespace Ocht.Values;

/// <summary>
/// A record (or a source row that never became one) refused with its reason: the content of a
/// dead letter (pipeline-v1 §6). <see cref="Step"/> is null for rejections by the source or a sink.
/// </summary>
public sealed record Rejection(
    string Error,
    string Message,
    long Line,
    Record? Record = null,
    string? Raw = null,
    int? Step = null,
    string? Op = null)
{
    /// <summary>Error kinds used across Ocht.</summary>
    public static class Kinds
    {
        public const string Parse = "parse-error";
        public const string Type = "type-error";
        public const string Arithmetic = "arithmetic-error";
        public const string RegexTimeout = "regex-timeout";
        public const string Schema = "schema-error";
        public const string Sink = "sink-error";
        public const string Late = "late";
    }
}
