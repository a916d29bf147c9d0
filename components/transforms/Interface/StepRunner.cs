using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>
/// The runtime of one step in one run. The executor feeds input batches in order and collects what
/// the step emits; a step that holds records (sort, aggregate) emits them on <see cref="Complete"/>.
/// Batches handed to a step belong to it; it may change and re-emit them.
/// </summary>
public abstract class StepRunner : IDisposable
{
    protected StepRunner(StepDefinition definition) => Definition = definition;

    public StepDefinition Definition { get; }
    public int Index => Definition.Index;
    public string Op => Definition.Op;

    /// <summary>Processes one batch. Every input record must end up emitted, dropped, rejected, or held (merged into state).</summary>
    public abstract void Process(Batch input, StepOutput output);

    /// <summary>End of input: yields whatever is held, a batch at a time, so a large sort streams out
    /// instead of materialising. Counts (e.g. released holds) go to <paramref name="output"/>.</summary>
    public virtual IEnumerable<Batch> Complete(StepOutput output) => [];

    /// <summary>The sequence of the oldest input batch whose records the step still holds (sort,
    /// aggregate, dedupe keep-last), or null when it holds none. The executor acknowledges a source
    /// only below this: held records are not yet written anywhere.</summary>
    public long? HoldsFrom { get; protected set; }

    /// <summary>Notes that records of <paramref name="batch"/> are now held.</summary>
    protected void Holding(Batch batch) => HoldsFrom ??= batch.Sequence;

    /// <summary>True once the step will drop everything it is given (a limit that is full): upstream may stop pulling.</summary>
    public virtual bool Satisfied => false;

    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>A rejection of row <paramref name="row"/> of <paramref name="batch"/> by this step.</summary>
    protected Rejection Reject(Batch batch, int row, string kind, string message) =>
        new(kind, message, batch.LineOf(row), batch.GetRecord(row), null, Index, Op);
}
