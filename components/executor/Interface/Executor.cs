using Ocht.Model;
using Ocht.Values;

namespace Ocht.Executor;

/// <summary>Records through a plan's steps without connectors (<c>ocht test</c>, the notebook).</summary>
public sealed record TransformResult(IReadOnlyList<Record> Output, IReadOnlyList<Rejection> Rejections, IReadOnlyList<StepReport> Steps);

/// <summary>The executor brick: runs plans.</summary>
public static class Executor
{
    /// <summary>
    /// Runs a plan from its source to its sinks. <paramref name="abort"/> stops at once and commits
    /// nothing (Ctrl-C in the CLI); <paramref name="stop"/> stops pulling, then finishes and commits what
    /// was read (graceful shutdown of the worker). Never throws for run failures: they are in the report.
    /// </summary>
    public static Task<RunReport> RunAsync(PipelinePlan plan, RunEnvironment environment, CancellationToken abort = default, CancellationToken stop = default) =>
        new Run(plan, environment).ExecuteAsync(abort, stop);

    /// <summary>Runs the plan's inline tests (§7) through the steps, without the source and sinks.</summary>
    public static Task<IReadOnlyList<TestOutcome>> TestAsync(PipelinePlan plan, RunEnvironment environment, CancellationToken cancellation = default) =>
        InlineTests.RunAsync(plan, environment, cancellation);

    /// <summary>Feeds records through the steps only; lookup tables are still loaded through their connectors.</summary>
    public static async Task<TransformResult> TransformAsync(PipelinePlan plan, IEnumerable<Record> input, RunEnvironment environment, CancellationToken cancellation = default)
    {
        var context = new SourceContext(plan.Name, plan.Options.BatchSize, environment.Clock);
        var resources = await LookupTables.ResourcesAsync(plan, environment, context, cancellation);
        using var chain = new StepChain(plan.Steps, resources, environment.Clock);
        var into = new ChainOutput();
        var output = new List<Record>();
        var rejections = new List<Rejection>();
        void Drain()
        {
            foreach (var b in into.Batches) output.AddRange(b.Records());
            rejections.AddRange(into.Rejections);
            into.Clear();
        }
        long sequence = 0;
        foreach (var batch in Batch.FromRecords(input, plan.Options.BatchSize, firstLine: 1))
        {
            batch.Sequence = ++sequence;
            chain.Push(batch, into);
            Drain();
            if (chain.Satisfied) break;
        }
        foreach (var _ in chain.Complete(into)) Drain();
        Drain();
        var steps = chain.Counters.Select(c => c.ToReport(environment.Clock.TimestampFrequency)).ToArray();
        return new TransformResult(output, rejections, steps);
    }
}
