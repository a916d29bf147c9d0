using Npgsql;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Postgres;

/// <summary>
/// Writes batches by binary COPY. Insert and upsert commit every batch in a transaction of its own, on
/// two connections ("lanes") used in turn: while one lane merges and commits batch n, the other already
/// uploads batch n+1, and batches still commit in their order (a lane's merge starts only once the batch
/// before it has committed), so the last record of a key wins across batches as within one. A flush
/// waits for every commit, and only then does the executor acknowledge the source. Replace truncates and
/// reloads the table in one transaction on one lane, committed by the run's commit. Upsert COPYs into a
/// temporary staging table and merges with INSERT ... ON CONFLICT. Every record is checked against the
/// column types first.
/// </summary>
internal sealed class PostgresSink : ISink
{
    private readonly PostgresSettings _settings;
    private readonly TableName _table;
    private readonly string _mode;
    private readonly IReadOnlyList<string> _key;
    private readonly bool _create;
    private readonly SinkContext _context;
    private readonly Lane[] _lanes;
    private readonly CopyBuffer _buffer = new();
    /// <summary>The integer keys of the batch being copied, and whether they were all different.</summary>
    private readonly HashSet<long> _keys = new();
    private bool _keysUnique;

    private Dictionary<string, ColumnWriter?>? _columns;
    private BatchPlan? _plan;
    private bool _truncated;
    private int _next;
    /// <summary>The last batch's merge and commit, which waited for every batch before it.</summary>
    private Task _committed = Task.CompletedTask;

    /// <summary>One connection and its open transaction; <see cref="Done"/> is its last batch's merge and commit.</summary>
    private sealed class Lane
    {
        public NpgsqlConnection? Connection;
        public NpgsqlTransaction? Transaction;
        public bool StagingReady;
        public Task Done = Task.CompletedTask;
    }

    public PostgresSink(ConnectorConfig config, SinkContext context)
    {
        _settings = new PostgresSettings(config, context.Pipeline);
        var o = config.Options;
        _table = TableName.Parse(o.String("table")!);
        _mode = o.String("mode") ?? "insert";
        _key = _mode == "upsert" ? o.Strings("key") : [];
        _create = o.Bool("create");
        _context = context;
        _lanes = Replace ? [new Lane()] : [new Lane(), new Lane()];
    }

    private bool Upsert => _mode == "upsert";
    private bool Replace => _mode == "replace";

    public async ValueTask WriteAsync(Batch batch, SinkRejections rejected, CancellationToken cancellation)
    {
        if (batch.Count == 0) return;
        var lane = _lanes[_next];
        try
        {
            await lane.Done; // the lane's previous batch has committed (or its failure surfaces here)
            await BeginAsync(lane, batch, cancellation);
            var plan = PlanFor(batch.Schema);
            int copied = 0;
            if (plan.Problem is { } problem)
            {
                for (int r = 0; r < batch.Count; r++) rejected.Reject(r, Rejection.Kinds.Sink, problem);
            }
            else
            {
                copied = await CopyAsync(lane, batch, plan, rejected, cancellation);
            }
            if (Replace) return;
            _next = (_next + 1) % _lanes.Length;
            string? merge = !Upsert || copied == 0 ? null : _keysUnique ? plan.UniqueMergeSql : plan.MergeSql;
            lane.Done = _committed = FinishAsync(lane, _committed, merge, cancellation);
        }
        catch (Exception e) when (DatabaseErrors.IsDatabaseError(e) && !cancellation.IsCancellationRequested)
        {
            throw DatabaseErrors.Map(e, _settings, $"writing to {_table}");
        }
    }

    /// <summary>After the batch before has committed: merge this lane's staged batch (upsert) and commit.</summary>
    private async Task FinishAsync(Lane lane, Task previous, string? mergeSql, CancellationToken cancellation)
    {
        await previous;
        try
        {
            if (mergeSql is not null) await ExecuteAsync(lane, mergeSql, cancellation);
            await CommitAsync(lane, cancellation);
        }
        catch (Exception e) when (DatabaseErrors.IsDatabaseError(e) && !cancellation.IsCancellationRequested)
        {
            throw DatabaseErrors.Map(e, _settings, $"writing to {_table}");
        }
    }

    /// <summary>The lane's connection and transaction, and on the first batch the table (created if asked) and
    /// what the mode needs. A lane's first batch waits for every earlier commit: the table may be created in one.</summary>
    private async Task BeginAsync(Lane lane, Batch batch, CancellationToken cancellation)
    {
        if (lane.Connection is null)
        {
            await _committed;
            lane.Connection = await _settings.OpenAsync(cancellation);
        }
        lane.Transaction ??= await lane.Connection.BeginTransactionAsync(cancellation);
        if (_columns is null)
        {
            var columns = await TargetTable.ColumnsAsync(lane.Connection, _table, lane.Transaction, cancellation);
            if (columns is null && _create)
            {
                await ExecuteAsync(lane, TargetTable.CreateSql(_table, batch, _key, _context), cancellation);
                columns = await TargetTable.ColumnsAsync(lane.Connection, _table, lane.Transaction, cancellation);
            }
            if (columns is null)
                throw new PermanentFailure($"{_settings.Describe}: table {_table} does not exist; create it or set \"create\": true");
            _columns = columns.ToDictionary(c => c.Name, ColumnWriter.For, StringComparer.Ordinal);
        }
        if (Replace && !_truncated)
        {
            await ExecuteAsync(lane, $"TRUNCATE {_table.Sql}", cancellation);
            _truncated = true;
        }
        if (Upsert && !lane.StagingReady)
        {
            // ON COMMIT DELETE ROWS empties it in place at each commit; a TRUNCATE per batch made a new file each time.
            await ExecuteAsync(lane, $"DROP TABLE IF EXISTS {BatchPlan.Staging}; CREATE TEMP TABLE \"ocht_staging\" ON COMMIT DELETE ROWS AS SELECT * FROM {_table.Sql} WITH NO DATA; ALTER TABLE {BatchPlan.Staging} ADD COLUMN {BatchPlan.StagingRow} bigint", cancellation);
            lane.StagingReady = true;
        }
    }

    private static async Task ExecuteAsync(Lane lane, string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, lane.Connection, lane.Transaction);
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>Copies the rows that fit their columns; rejects the others with the reason. Returns the rows copied.
    /// The rows are encoded here (<see cref="CopyBuffer"/>) and sent in pieces, so the server parses one while the next is encoded.</summary>
    private async Task<int> CopyAsync(Lane lane, Batch batch, BatchPlan plan, SinkRejections rejected, CancellationToken cancellation)
    {
        const int SendAt = 128 * 1024;
        var writers = plan.Writers;
        var buffer = _buffer;
        int copied = 0;
        int key = plan.IntegerKey;
        _keys.Clear();
        _keysUnique = key >= 0;
        buffer.Clear();
        buffer.WriteHeader();
        await using var copy = await lane.Connection!.BeginRawBinaryCopyAsync(plan.CopySql, cancellation);
        try
        {
            for (int r = 0; r < batch.Count; r++)
            {
                var row = batch.Row(r);
                if (plan.RowProblem(row) is { } problem)
                {
                    rejected.Reject(r, Rejection.Kinds.Type, problem);
                    continue;
                }
                buffer.StartRow(Upsert ? writers.Length + 1 : writers.Length);
                for (int f = 0; f < writers.Length; f++) writers[f].Encode(buffer, row[f]);
                if (Upsert) buffer.WriteInt64Field(r);
                if (key >= 0) _keysUnique &= _keys.Add(row[key].AsInt);
                copied++;
                if (buffer.Length >= SendAt)
                {
                    await copy.WriteAsync(buffer.Written, cancellation);
                    buffer.Clear();
                }
            }
            buffer.WriteTrailer();
            await copy.WriteAsync(buffer.Written, cancellation);
            buffer.Clear();
        }
        catch
        {
            // Without this the stream would end the COPY normally on disposal, with the rows sent so far.
            await copy.CancelAsync();
            throw;
        }
        return copied;
    }

    private BatchPlan PlanFor(Schema schema)
    {
        if (_plan is { } cached && cached.Schema.SameFields(schema)) return cached;
        return _plan = new BatchPlan(schema, _columns!, _table, _key, Upsert, _settings.Describe);
    }

    public async ValueTask<bool> FlushAsync(CancellationToken cancellation)
    {
        if (Replace) return false;
        await _committed;
        return true;
    }

    public async ValueTask CommitAsync(CancellationToken cancellation)
    {
        if (!Replace)
        {
            await _committed;
            return;
        }
        var lane = _lanes[0];
        try
        {
            // replace with no records at all still empties the table (when it exists).
            if (!_truncated)
            {
                lane.Connection ??= await _settings.OpenAsync(cancellation);
                lane.Transaction ??= await lane.Connection.BeginTransactionAsync(cancellation);
                if (await TargetTable.ColumnsAsync(lane.Connection, _table, lane.Transaction, cancellation) is not null)
                    await ExecuteAsync(lane, $"TRUNCATE {_table.Sql}", cancellation);
                _truncated = true;
            }
            await CommitAsync(lane, cancellation);
        }
        catch (Exception e) when (DatabaseErrors.IsDatabaseError(e) && !cancellation.IsCancellationRequested)
        {
            throw DatabaseErrors.Map(e, _settings, $"committing to {_table}");
        }
    }

    private static async Task CommitAsync(Lane lane, CancellationToken cancellation)
    {
        if (lane.Transaction is null) return;
        try
        {
            await lane.Transaction.CommitAsync(cancellation);
        }
        finally
        {
            await lane.Transaction.DisposeAsync();
            lane.Transaction = null;
        }
    }

    public async ValueTask AbortAsync()
    {
        foreach (var lane in _lanes)
        {
            try
            {
                await lane.Done;
            }
            catch (Exception)
            {
                // The run is failing already (this failure is its cause, or a consequence of it): roll back below.
            }
            if (lane.Transaction is null) continue;
            try
            {
                await lane.Transaction.RollbackAsync();
            }
            catch (Exception e) when (DatabaseErrors.IsDatabaseError(e))
            {
                // The connection is gone: the server has discarded the transaction already.
            }
            await lane.Transaction.DisposeAsync();
            lane.Transaction = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await AbortAsync();
        foreach (var lane in _lanes)
            if (lane.Connection is not null) await lane.Connection.DisposeAsync();
    }
}
