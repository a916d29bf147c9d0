using Ocht.Model;

namespace Ocht.Worker;

/// <summary>A validated pipeline the worker runs: its file and its plan.</summary>
internal sealed record WorkerPipeline(string File, PipelinePlan Plan)
{
    public string Name => Plan.Name;
}

/// <summary>Finds the documents to run (files, and every *.json of folders) and loads them all through
/// the engine, collecting every problem so that a bad set is reported at once and nothing starts.</summary>
internal static class Documents
{
    public sealed record Loaded(IReadOnlyList<WorkerPipeline> Pipelines, IReadOnlyList<string> Problems, IReadOnlyList<string> Warnings);

    public static Loaded Load(Engine.Engine engine, IReadOnlyList<string> paths, IReadOnlyDictionary<string, string> vars)
    {
        var pipelines = new List<WorkerPipeline>();
        var problems = new List<string>();
        var warnings = new List<string>();
        if (paths.Count == 0)
            problems.Add($"no pipelines: pass documents or folders as arguments, or set {WorkerSettings.Section}:Pipelines");
        foreach (string file in paths.SelectMany(p => Expand(p, problems)))
        {
            var result = engine.Load(file, vars);
            warnings.AddRange(result.Warnings.Select(w => $"{file}: {w}"));
            if (result.Ok) pipelines.Add(new WorkerPipeline(file, result.Plan!));
            else
            {
                problems.AddRange(result.Messages(file));
                int n = result.Diagnostics.Count;
                problems.Add($"{file}: {n} problem{(n == 1 ? "" : "s")}");
            }
        }
        // Logs, metrics and stored positions (checkpoints, consumer groups) are keyed by pipeline name.
        foreach (var same in pipelines.GroupBy(p => p.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"{same.Count()} documents are named \"{same.Key}\" ({string.Join(", ", same.Select(p => p.File))}); pipeline names must be unique in a worker");
        return new Loaded(pipelines, problems, warnings);
    }

    /// <summary>A folder stands for its *.json files (not recursive), in name order.</summary>
    private static IEnumerable<string> Expand(string path, List<string> problems)
    {
        if (!Directory.Exists(path)) return [path];
        var files = Directory.GetFiles(path, "*.json").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) problems.Add($"{path}: the folder holds no *.json pipeline documents");
        return files;
    }
}
