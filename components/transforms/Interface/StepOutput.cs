using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>
/// Where a step puts its results: emitted batches (in order), rejected records, and counts of records
/// dropped on purpose, merged into aggregates, or held to be emitted later (sort). The executor checks
/// in = out + dropped + rejected + merged + held for every step (aggregating steps: in = merged +
/// rejected) and that nothing is still held when a run ends.
/// </summary>
public sealed class StepOutput
{
    private readonly List<Batch> _batches = new();
    private readonly List<Rejection> _rejections = new();

    public IReadOnlyList<Batch> Batches => _batches;
    public IReadOnlyList<Rejection> Rejections => _rejections;
    public long Dropped { get; private set; }
    public long Merged { get; private set; }
    public long Held { get; private set; }

    public void Emit(Batch batch) => _batches.Add(batch);
    public void Reject(Rejection rejection) => _rejections.Add(rejection);
    public void Drop(long count) => Dropped += count;
    /// <summary>Records consumed into aggregate state (they come out as groups, not as themselves).</summary>
    public void Merge(long count) => Merged += count;
    /// <summary>Records taken into state to be emitted later (positive), or released by emitting them (negative).</summary>
    public void Hold(long count) => Held += count;

    /// <summary>Empties the output for reuse; counts are kept by the caller.</summary>
    public void Clear()
    {
        _batches.Clear();
        _rejections.Clear();
        Dropped = 0;
        Merged = 0;
        Held = 0;
    }
}
