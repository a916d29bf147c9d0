namespace Ocht.Worker;

/// <summary>A problem with how the worker was called or configured (exit 2).</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The worker's arguments: pipeline documents or folders, <c>--var name=value</c>, and configuration
/// overrides <c>--Section:Key=value</c> (or <c>--Section:Key value</c>), the highest-precedence layer.
/// Parsed here rather than by the configuration's command-line provider, which reads an absolute path
/// such as "/data/a.json" as a switch.
/// </summary>
internal sealed record CommandLine(IReadOnlyList<string> Pipelines, IReadOnlyDictionary<string, string?> Overrides, bool Help)
{
    public const string Usage = """
        usage: ocht-worker [PIPELINE.json | FOLDER]... [--var name=value]... [--Ocht:Key=value]...
          Runs every pipeline concurrently until it finishes or the worker is stopped (SIGTERM/SIGINT).
          Without pipeline arguments it runs Ocht:Pipelines from appsettings.json or the environment.
          Exit codes: 0 finished or stopped cleanly, 1 a pipeline failed, 2 invalid documents or usage.
        """;

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var pipelines = new List<string>();
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        bool help = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "--help" or "-h") { help = true; continue; }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                pipelines.Add(arg);
                continue;
            }
            int eq = arg.IndexOf('=');
            string key = eq < 0 ? arg[2..] : arg[2..eq];
            string value = eq >= 0 ? arg[(eq + 1)..]
                : i + 1 < args.Count ? args[++i]
                : throw new UsageException($"{arg} needs a value");
            if (key == "var")
            {
                int split = value.IndexOf('=');
                if (split <= 0) throw new UsageException($"--var expects name=value, found \"{value}\"");
                overrides[$"{WorkerSettings.Section}:Vars:{value[..split]}"] = value[(split + 1)..];
            }
            else if (key.Length == 0) throw new UsageException($"\"{arg}\" names no setting");
            else overrides[key] = value;
        }
        return new CommandLine(pipelines, overrides, help);
    }
}
