using Ocht.Model;
using Ocht.Transforms;
using Ocht.Values;

namespace Ocht.Executor;

/// <summary>Step resources for a run, with every lookup's side table read through its connector.</summary>
internal static class LookupTables
{
    public static async Task<StepResources> ResourcesAsync(PipelinePlan plan, RunEnvironment env, SourceContext context, CancellationToken cancellation)
    {
        var tables = new Dictionary<int, IReadOnlyList<Record>>();
        foreach (var (index, table) in plan.Tables)
            tables[index] = await LoadAsync(table, context, cancellation);
        return new StepResources
        {
            BatchSize = plan.Options.BatchSize,
            MemoryBudgetBytes = plan.Options.MemoryBytes,
            Spill = env.Spill,
            LoadTable = step => tables[step.Index],
        };
    }

    /// <summary>Reads a side table completely. A row it cannot read fails the run: a silently
    /// missing table row would change every join against it.</summary>
    private static async Task<IReadOnlyList<Record>> LoadAsync(ConnectorConfig table, SourceContext context, CancellationToken cancellation)
    {
        var records = new List<Record>();
        await using var source = table.Connector.OpenSource(table, context);
        while (await source.ReadAsync(cancellation) is { } batch)
        {
            if (batch.Rejections is { Count: > 0 } rejected)
                throw new RunFailure(rejected[0].Error, $"lookup table {DeadLetters.Describe(rejected[0], table.Describe())}");
            records.AddRange(batch.Records());
        }
        return records;
    }
}
