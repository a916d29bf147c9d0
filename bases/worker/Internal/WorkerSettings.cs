namespace Ocht.Worker;

/// <summary>The "Ocht" configuration section (appsettings.json &lt; environment &lt; command line).</summary>
internal sealed class WorkerSettings
{
    public const string Section = "Ocht";

    /// <summary>Pipeline documents or folders (every *.json in them); positional arguments replace this list.</summary>
    public List<string> Pipelines { get; set; } = new();

    /// <summary>Variables for every document, as <c>--var name=value</c>.</summary>
    public Dictionary<string, string> Vars { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Exit once every pipeline has finished (bounded inputs); false keeps the worker up until signalled.</summary>
    public bool ExitWhenFinished { get; set; } = true;

    /// <summary>How long a graceful stop may take before the runs are aborted.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>"text" (one line per event) or "json" (one JSON object per event, for log collectors).</summary>
    public string LogFormat { get; set; } = "text";

    public RetrySettings Retry { get; set; } = new();

    /// <summary>Every problem with the settings, as messages naming the configuration key.</summary>
    public IEnumerable<string> Problems()
    {
        if (LogFormat is not ("text" or "json"))
            yield return $"{Section}:LogFormat must be \"text\" or \"json\", found \"{LogFormat}\"";
        if (ShutdownTimeout <= TimeSpan.Zero)
            yield return $"{Section}:ShutdownTimeout must be positive, found {ShutdownTimeout}";
        foreach (var p in Retry.Problems()) yield return p;
    }
}

/// <summary>Restarts of runs that failed because a connector's system was unavailable: exponential
/// backoff with jitter, at most <see cref="MaxAttempts"/> restarts in a row without progress.</summary>
internal sealed class RetrySettings
{
    /// <summary>Restarts in a row before the worker gives up (0: never restart).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first delay; each next one doubles, with jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>No single delay is longer.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<string> Problems()
    {
        const string at = WorkerSettings.Section + ":Retry:";
        if (MaxAttempts < 0) yield return $"{at}MaxAttempts must be 0 or more, found {MaxAttempts}";
        if (BaseDelay <= TimeSpan.Zero) yield return $"{at}BaseDelay must be positive, found {BaseDelay}";
        if (MaxDelay < BaseDelay) yield return $"{at}MaxDelay ({MaxDelay}) must be at least BaseDelay ({BaseDelay})";
    }
}
