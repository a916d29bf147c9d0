using Npgsql;
using NpgsqlTypes;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Postgres;

/// <summary>
/// Streams a query's rows in batches of the run's batch size: one open reader, rows taken off the wire
/// as batches are asked for, never the whole result in memory. With a checkpoint field, rows come in its
/// order after the stored value, and each batch carries the checkpoint that is safe to store once it is
/// acknowledged: its last value, unless the next row has that same value (then the value before it, so
/// a resumed run re-reads a split tie instead of skipping its rest). Acknowledgements arrive on the
/// writer's thread while reads go on: the pending checkpoints are guarded, and stored on a second connection.
/// </summary>
internal sealed class PostgresSource : ISource
{
    private readonly PostgresSettings _settings;
    private readonly SourceQuery _query;
    private readonly string _pipeline;
    private readonly int _batchSize;

    private NpgsqlConnection? _connection, _checkpointConnection;
    private NpgsqlCommand? _command;
    private NpgsqlDataReader? _reader;
    private CheckpointStore? _store;
    private Schema _schema = Schema.Empty;
    private ColumnReader[] _columns = [];
    private int _checkpointColumn = -1;
    private long _sequence, _row;
    private bool _done;

    // The row read ahead of a full batch (to see whether it continues a tie), and the checkpoint run so far.
    private Value[] _ahead = [];
    private string? _aheadError;
    private bool _hasAhead;
    private Value _last, _beforeLast;

    private readonly object _gate = new();
    private readonly Queue<(long Sequence, Value Checkpoint)> _unacknowledged = new();
    private readonly SemaphoreSlim _saving = new(1, 1);

    public PostgresSource(ConnectorConfig config, SourceContext context)
    {
        _settings = new PostgresSettings(config, context.Pipeline);
        _query = new SourceQuery(config);
        _pipeline = context.Pipeline;
        _batchSize = context.BatchSize;
    }

    public async ValueTask<Batch?> ReadAsync(CancellationToken cancellation)
    {
        if (_done && !_hasAhead) return null;
        try
        {
            _reader ??= await OpenAsync(cancellation);
            return await FillAsync(cancellation);
        }
        catch (Exception e) when (DatabaseErrors.IsDatabaseError(e) && !cancellation.IsCancellationRequested)
        {
            throw DatabaseErrors.Map(e, _settings, "reading");
        }
    }

    private async Task<Batch?> FillAsync(CancellationToken cancellation)
    {
        var batch = new Batch(_schema, _batchSize) { Sequence = ++_sequence };
        int taken = 0;
        if (_hasAhead)
        {
            _hasAhead = false;
            Take(batch, _ahead, _aheadError);
            taken++;
        }
        while (!_done)
        {
            if (!await _reader!.ReadAsync(cancellation))
            {
                _done = true;
                break;
            }
            _row++;
            var error = ReadRow(_ahead);
            if (taken == _batchSize)
            {
                _hasAhead = true;
                _aheadError = error;
                break;
            }
            Take(batch, _ahead, error);
            taken++;
        }
        if (taken == 0) return null;
        if (_checkpointColumn >= 0) Remember(batch.Sequence);
        return batch;
    }

    /// <summary>Reads the current row into <paramref name="cells"/>; returns why it cannot be read, or null.</summary>
    private string? ReadRow(Value[] cells)
    {
        var reader = _reader!;
        string? error = null;
        for (int c = 0; c < cells.Length; c++)
        {
            if (reader.IsDBNull(c))
            {
                cells[c] = Value.Null;
                continue;
            }
            try
            {
                cells[c] = ColumnReaders.Read(reader, c, _columns[c]);
            }
            catch (Exception e) when (e is InvalidCastException or OverflowException or FormatException)
            {
                cells[c] = Value.Null;
                error ??= $"column \"{_schema[c]}\" ({reader.GetDataTypeName(c)}) cannot be read: {e.Message}";
            }
        }
        if (error is null && _checkpointColumn >= 0 && cells[_checkpointColumn].IsNull)
            error = $"checkpoint field \"{_query.Checkpoint}\" is null, so an incremental read cannot place this row (make the column NOT NULL)";
        return error;
    }

    private void Take(Batch batch, Value[] cells, string? error)
    {
        long line = _row;
        if (error is not null)
        {
            batch.AddRejection(new Rejection(Rejection.Kinds.Parse, _settings.Redact(error), line, new Record(_schema, (Value[])cells.Clone()), null, null, "source"));
            return;
        }
        batch.AddRow(cells, line);
        if (_checkpointColumn < 0) return;
        var value = cells[_checkpointColumn];
        if (!ValueOrder.StrictEquals(value, _last))
        {
            _beforeLast = _last;
            _last = value;
        }
    }

    /// <summary>The checkpoint this batch makes safe, for when it is acknowledged.</summary>
    private void Remember(long sequence)
    {
        bool tieContinues = _hasAhead && (_aheadError is not null || ValueOrder.StrictEquals(_ahead[_checkpointColumn], _last));
        var safe = tieContinues ? _beforeLast : _last;
        if (safe.IsNull) return;
        lock (_gate) _unacknowledged.Enqueue((sequence, safe));
    }

    public async ValueTask AcknowledgeAsync(long sequence, CancellationToken cancellation)
    {
        if (_store is null) return;
        await _saving.WaitAsync(cancellation);
        try
        {
            Value? checkpoint = null;
            lock (_gate)
            {
                while (_unacknowledged.TryPeek(out var next) && next.Sequence <= sequence)
                    checkpoint = _unacknowledged.Dequeue().Checkpoint;
            }
            if (checkpoint is { } value) await _store.SaveAsync(ValueText.Format(value), cancellation);
        }
        catch (Exception e) when (DatabaseErrors.IsDatabaseError(e) && !cancellation.IsCancellationRequested)
        {
            throw DatabaseErrors.Map(e, _settings, "storing the checkpoint");
        }
        finally
        {
            _saving.Release();
        }
    }

    private async Task<NpgsqlDataReader> OpenAsync(CancellationToken cancellation)
    {
        string? after = null;
        if (_query.Checkpoint is not null)
        {
            _checkpointConnection = await _settings.OpenAsync(cancellation);
            _store = new CheckpointStore(_checkpointConnection, _pipeline, _query.Key);
            after = await _store.LoadAsync(cancellation);
        }
        _connection = await _settings.OpenAsync(cancellation);
        _command = new NpgsqlCommand(_query.Sql(after is not null), _connection);
        // Untyped: PostgreSQL reads the stored text as the checkpoint column's own type.
        if (after is not null) _command.Parameters.Add(new NpgsqlParameter { Value = after, NpgsqlDbType = NpgsqlDbType.Unknown });
        var reader = await _command.ExecuteReaderAsync(cancellation);
        Describe(reader);
        return reader;
    }

    private void Describe(NpgsqlDataReader reader)
    {
        var names = new string[reader.FieldCount];
        _columns = new ColumnReader[names.Length];
        for (int c = 0; c < names.Length; c++)
        {
            names[c] = reader.GetName(c);
            _columns[c] = ColumnReaders.For(reader.GetPostgresType(c))
                ?? throw new PermanentFailure($"{_settings.Describe}: column \"{names[c]}\" has type {reader.GetDataTypeName(c)}, which Ocht cannot read; cast it in a \"query\" (e.g. \"{names[c]}\"::text)");
        }
        if (names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } dup)
            throw new PermanentFailure($"{_settings.Describe}: the result has two columns named \"{dup.Key}\"; give each a name of its own (AS ...)");
        _schema = Schema.Of(names);
        _ahead = new Value[names.Length];
        if (_query.Checkpoint is { } checkpoint)
        {
            _checkpointColumn = _schema.IndexOf(checkpoint);
            if (_checkpointColumn < 0)
                throw new PermanentFailure($"{_settings.Describe}: the checkpoint field \"{checkpoint}\" is not a column of the result");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_reader is not null) await _reader.DisposeAsync();
        if (_command is not null) await _command.DisposeAsync();
        if (_connection is not null) await _connection.DisposeAsync();
        if (_checkpointConnection is not null) await _checkpointConnection.DisposeAsync();
        _saving.Dispose();
    }
}
