using Ocht.Document;
using Ocht.Expressions;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Testkit;

/// <summary>What a memory sink received: records are visible only once committed, like a file renamed into place.</summary>
public sealed class MemoryTable
{
    private readonly object _gate = new();
    internal List<Record> Pending { get; } = new();
    public List<Record> Committed { get; } = new();
    public int Commits { get; internal set; }
    public int Aborts { get; internal set; }
    public int Flushes { get; internal set; }

    internal void Add(IEnumerable<Record> records) { lock (_gate) Pending.AddRange(records); }

    internal void Commit()
    {
        lock (_gate)
        {
            Committed.AddRange(Pending);
            Pending.Clear();
            Commits++;
        }
    }
}

/// <summary>Inputs and outputs of the memory connector, shared with the test that set them up.</summary>
public sealed class MemoryStore
{
    public Dictionary<string, IReadOnlyList<Record>> Inputs { get; } = new();
    public Dictionary<string, MemoryTable> Outputs { get; } = new();
    /// <summary>Sequences acknowledged per source name, in order.</summary>
    public Dictionary<string, List<long>> Acks { get; } = new();
    /// <summary>Per source name and acknowledgement: the records every output had committed by then.</summary>
    public Dictionary<string, List<int>> CommittedAtAck { get; } = new();
    /// <summary>Batches handed out per source name (to see when pulling stopped).</summary>
    public Dictionary<string, int> BatchesRead { get; } = new();

    public MemoryTable Output(string name)
    {
        lock (Outputs)
        {
            if (!Outputs.TryGetValue(name, out var t)) Outputs[name] = t = new MemoryTable();
            return t;
        }
    }
}

/// <summary>
/// A connector over memory, for tests of the executor: a source of given records (optionally
/// unbounded: it then waits for more until told to stop) and a sink that commits on commit, forgets on
/// abort, and can be made durable per flush (like a database) or fail after some records.
/// </summary>
public sealed class MemoryConnector(MemoryStore store) : IConnector
{
    public ComponentSpec Spec { get; } = new("connector", "memory", "Records in memory (tests only).",
    [
        new OptionSpec("name", OptionType.String, "the input or output name") { Required = true },
        new OptionSpec("unbounded", OptionType.Boolean, "after the records, wait for more until the run stops") { Default = "false", Roles = Roles.Source },
        new OptionSpec("durable", OptionType.Boolean, "each flush makes written records durable (like a database)") { Default = "false", Roles = Roles.Sink },
        new OptionSpec("fail_after", OptionType.Integer, "throw an I/O error after this many records") { Roles = Roles.Sink },
        new OptionSpec("outage", OptionType.Boolean, "fail_after throws a transient ConnectorUnavailableException instead") { Default = "false", Roles = Roles.Sink },
    ]);

    public void Validate(ConnectorConfig config, Diagnostics diagnostics) { }

    public FieldScope Probe(ConnectorConfig config) =>
        config.Role == Roles.Source && store.Inputs.TryGetValue(config.Options.String("name")!, out var records) && records.Count > 0
            ? FieldScope.Of(records[0].Schema.Names) : FieldScope.Unknown;

    public string Describe(ConnectorConfig config) => "memory:" + config.Options.String("name");

    public ISource OpenSource(ConnectorConfig config, SourceContext context) => new Source(store, config, context.BatchSize);

    public ISink OpenSink(ConnectorConfig config, SinkContext context) => new Sink(store.Output(config.Options.String("name")!), config);

    private sealed class Source(MemoryStore store, ConnectorConfig config, int batchSize) : ISource
    {
        private readonly string _name = config.Options.String("name")!;
        private IEnumerator<Batch>? _batches;
        private long _sequence;

        public async ValueTask<Batch?> ReadAsync(CancellationToken cancellation)
        {
            _batches ??= Batch.FromRecords(store.Inputs.GetValueOrDefault(_name) ?? [], batchSize, firstLine: 1).GetEnumerator();
            if (_batches.MoveNext())
            {
                lock (store.BatchesRead) store.BatchesRead[_name] = store.BatchesRead.GetValueOrDefault(_name) + 1;
                _batches.Current.Sequence = ++_sequence;
                return _batches.Current;
            }
            if (!config.Options.Bool("unbounded")) return null;
            await Task.Delay(Timeout.Infinite, cancellation);
            return null;
        }

        public ValueTask AcknowledgeAsync(long sequence, CancellationToken cancellation)
        {
            lock (store.Acks)
            {
                if (!store.Acks.TryGetValue(_name, out var list)) store.Acks[_name] = list = new List<long>();
                list.Add(sequence);
                if (!store.CommittedAtAck.TryGetValue(_name, out var committed)) store.CommittedAtAck[_name] = committed = new List<int>();
                lock (store.Outputs) committed.Add(store.Outputs.Values.Sum(t => t.Committed.Count));
            }
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Sink(MemoryTable table, ConnectorConfig config) : ISink
    {
        private long _written;

        public ValueTask WriteAsync(Batch batch, SinkRejections rejected, CancellationToken cancellation)
        {
            _written += batch.Count;
            if (config.Options.IntOrNull("fail_after") is long limit && _written > limit)
                throw config.Options.Bool("outage")
                    ? new ConnectorUnavailableException($"memory sink unavailable after {limit} records")
                    : new IOException($"memory sink failed after {limit} records");
            table.Add(batch.Records());
            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> FlushAsync(CancellationToken cancellation)
        {
            table.Flushes++;
            if (!config.Options.Bool("durable")) return ValueTask.FromResult(false);
            table.Commit();
            return ValueTask.FromResult(true);
        }

        public ValueTask CommitAsync(CancellationToken cancellation)
        {
            table.Commit();
            return ValueTask.CompletedTask;
        }

        public ValueTask AbortAsync()
        {
            lock (table) table.Aborts++;
            table.Pending.Clear();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
