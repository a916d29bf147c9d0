using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>Temporary storage for sort runs. Effects live at the edge: the executor's host passes a
/// temp-file store; tests can pass memory.</summary>
public interface ISpillStore : IDisposable
{
    /// <summary>A new, empty run to write; returns its id with the stream.</summary>
    (int Id, Stream Stream) Create();

    /// <summary>Opens a finished run for reading, once: a store may give back its space as it is read.</summary>
    Stream Open(int id);

    /// <summary>Removes a run that is no longer needed.</summary>
    void Delete(int id);
}

/// <summary>What steps need from their surroundings for one run.</summary>
public sealed class StepResources
{
    /// <summary>Memory a blocking step (sort) may hold before it spills (options.memory_mb).</summary>
    public long MemoryBudgetBytes { get; init; } = 512L << 20;

    /// <summary>Records per emitted batch (options.batch_size).</summary>
    public int BatchSize { get; init; } = 4096;

    /// <summary>Spill storage for sort; null keeps everything in memory.</summary>
    public Func<ISpillStore>? Spill { get; init; }

    /// <summary>Loads a lookup's side table (the records of its "from" connector).</summary>
    public Func<StepDefinition, IReadOnlyList<Record>>? LoadTable { get; init; }
}
