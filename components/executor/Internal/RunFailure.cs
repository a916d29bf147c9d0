namespace Ocht.Executor;

/// <summary>Ends a run: the kind goes into the summary's error, the message to the user.</summary>
internal sealed class RunFailure(string kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Kind { get; } = kind;

    public static class Kinds
    {
        public const string Cancelled = "cancelled";
        public const string TooManyRejections = "too-many-rejections";
        public const string Io = "io-error";
        /// <summary>A connector's system was out of reach (<see cref="Ocht.Model.ConnectorUnavailableException"/>): a retry may succeed.</summary>
        public const string Unavailable = "unavailable";
        public const string Accounting = "accounting-error";
        public const string Internal = "internal-error";
    }
}
