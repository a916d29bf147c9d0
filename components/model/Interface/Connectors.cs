using Ocht.Document;
using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Model;

/// <summary>A connector's validated configuration, where it appears in the document.</summary>
public sealed class ConnectorConfig(IConnector connector, DocNode node, Roles role, string baseDirectory, Secrets secrets)
{
    public IConnector Connector { get; } = connector;
    public string Name => Connector.Spec.Name;
    public DocNode Node { get; } = node;
    public Roles Role { get; } = role;
    public Options Options { get; } = new(node, connector.Spec);
    /// <summary>Directory of the pipeline file: relative paths resolve against it (§1).</summary>
    public string BaseDirectory { get; } = baseDirectory;
    public Secrets Secrets { get; } = secrets;

    /// <summary>How dead letters and messages name this connector, e.g. "csv:orders.csv" (secrets redacted).</summary>
    public string Describe() => Secrets.Redact(Connector.Describe(this));
}

/// <summary>
/// A connector (§5): one registration describes it (spec), checks its configuration cheaply and
/// without side effects, and opens sources and sinks for runs.
/// </summary>
public interface IConnector
{
    ComponentSpec Spec { get; }

    /// <summary>Checks beyond the option shapes (combinations, values); no I/O with side effects.</summary>
    void Validate(ConnectorConfig config, Diagnostics diagnostics);

    /// <summary>The fields a source will produce if it can tell cheaply (a CSV header); unknown otherwise.</summary>
    FieldScope Probe(ConnectorConfig config);

    /// <summary>A short name for messages and dead letters, e.g. "csv:orders.csv".</summary>
    string Describe(ConnectorConfig config);

    ISource OpenSource(ConnectorConfig config, SourceContext context);

    ISink OpenSink(ConnectorConfig config, SinkContext context);
}

/// <summary>How much a connector's own diagnostic message matters.</summary>
public enum ConnectorLogLevel { Debug, Information, Warning, Error }

/// <summary>Where a connector sends its own diagnostics (a client library's log lines), so they reach the
/// run's log with its run id instead of going to stderr.</summary>
public delegate void ConnectorLog(ConnectorLogLevel level, string message);

/// <summary>What a source gets from the run.</summary>
public sealed record SourceContext(string Pipeline, int BatchSize, TimeProvider Clock)
{
    /// <summary>The run's log for the connector's own diagnostics.</summary>
    public ConnectorLog Log { get; init; } = (_, _) => { };

    /// <summary>The only fields the pipeline reads, when the plan can tell (null: all of them). A source
    /// may leave the others out of its records, but must still reject records it could not read.</summary>
    public IReadOnlyList<string>? Fields { get; init; }

    /// <summary>How many fields the steps right after the source add to each record at most (derive, lookup): a
    /// source may leave that much room in its batches' rows, so the steps add them without moving rows.</summary>
    public int SpareFields { get; init; }
}

/// <summary>What a sink gets from the run.</summary>
public sealed record SinkContext(string Pipeline, int BatchSize, TimeProvider Clock)
{
    /// <summary>The run's log for the connector's own diagnostics.</summary>
    public ConnectorLog Log { get; init; } = (_, _) => { };

    /// <summary>The fields records will have, in order, when the plan knows them (e.g. a CSV sink's
    /// header before any record arrives); null when unknown.</summary>
    public IReadOnlyList<string>? Fields { get; init; }

    /// <summary>The kinds of values fields will hold, where the plan knows them before any record (the
    /// dead-letter fields): a sink that creates a table types these columns from it, not from a sample.</summary>
    public IReadOnlyDictionary<string, ValueKind>? Kinds { get; init; }
}

/// <summary>
/// Pull side of a connector. Batches carry increasing <see cref="Batch.Sequence"/> numbers; the
/// executor acknowledges a sequence only when every sink has durably taken all records up to it,
/// so a source that commits positions (Kafka offsets, checkpoints) commits on acknowledgement only.
/// </summary>
public interface ISource : IAsyncDisposable
{
    /// <summary>The next batch, or null at the end of a bounded input. Unbounded sources wait for data;
    /// cancellation means "stop pulling" and ends the input.</summary>
    ValueTask<Batch?> ReadAsync(CancellationToken cancellation);

    /// <summary>Every record of batches up to <paramref name="sequence"/> is durably written.</summary>
    ValueTask AcknowledgeAsync(long sequence, CancellationToken cancellation);
}

/// <summary>
/// Push side of a connector. A run writes batches, flushes at checkpoints, and finally commits
/// (publishes) or aborts (discards): a failed or cancelled run leaves no partial output.
/// </summary>
public interface ISink : IAsyncDisposable
{
    /// <summary>Writes a batch. Rows the sink cannot take go to <paramref name="rejected"/> with their reason, not lost.</summary>
    ValueTask WriteAsync(Batch batch, SinkRejections rejected, CancellationToken cancellation);

    /// <summary>Makes what was written durable where the sink can; true when it is (a database
    /// commit), false when durability comes only with <see cref="CommitAsync"/> (a file renamed into place).</summary>
    ValueTask<bool> FlushAsync(CancellationToken cancellation);

    /// <summary>The run succeeded: publish everything.</summary>
    ValueTask CommitAsync(CancellationToken cancellation);

    /// <summary>The run failed or was cancelled: discard what was not yet durable.</summary>
    ValueTask AbortAsync();
}

/// <summary>A piece of a source's input that decodes on its own (records never straddle chunks).</summary>
public abstract class SourceChunk
{
    /// <summary>Sequences from here up to (not including) the next chunk's belong to this chunk's batches,
    /// which number themselves from it in order; chunks leave room for <see cref="SequenceSpan"/> batches.</summary>
    public long Sequence { get; init; }

    public const long SequenceSpan = 1L << 20;
}

/// <summary>
/// A source whose input splits into independent chunks: the executor reads chunks in order on one
/// thread and decodes them — and runs the stateless steps on them — on several, keeping input order.
/// </summary>
public interface IChunkedSource : ISource
{
    /// <summary>The next chunk in input order, or null at the end (see <see cref="ISource.ReadAsync"/>).</summary>
    ValueTask<SourceChunk?> ReadChunkAsync(CancellationToken cancellation);

    /// <summary>Decodes a chunk into batches of at most the batch size. Thread-safe.</summary>
    IReadOnlyList<Batch> Decode(SourceChunk chunk);
}
