using Npgsql;
using Ocht.Document;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Postgres;

/// <summary>
/// Writes batches by binary COPY inside a transaction that each flush commits (insert, upsert: the
/// executor acknowledges the source after that commit) or that the run's commit ends (replace: the
/// table is truncated and reloaded atomically). Insert and replace COPY straight into the table; upsert
/// COPYs into a temporary staging table and merges with INSERT ... ON CONFLICT, the last record of a
/// batch winning for a repeated key. Every record is checked against the column types first.
/// </summary>
internal sealed class PostgresSink : ISink
{
    private const string Staging = "pg_temp.\"ocht_staging\"";
    private const string StagingRow = "\"ocht staging row\"";

    private readonly PostgresSettings _settings;
    private readonly TableName _table;
    private readonly string _mode;
    private readonly IReadOnlyList<string> _key;
    private readonly bool _create;
    private readonly SinkContext _context;

    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;
    private Dictionary<string, ColumnWriter?>? _columns;
    private BatchPlan? _plan;
    private readonly CopyBuffer _buffer = new();
    private bool _truncated, _stagingReady;
    /// <summary>The staging table still holds a merged batch: it empties itself on commit (ON COMMIT DELETE ROWS,
    /// in place; a TRUNCATE per batch made a new file each time), so only a second batch in one transaction clears it.</summary>
    private bool _stagingHolds;

    public PostgresSink(ConnectorConfig config, SinkContext context)
    {
        _settings = new PostgresSettings(config, context.Pipeline);
        var o = config.Options;
        _table = TableName.Parse(o.String("table")!);
        _mode = o.String("mode") ?? "insert";
        _key = _mode == "upsert" ? o.Strings("key") : [];
        _create = o.Bool("create");
        _context = context;
    }

    private bool Upsert => _mode == "upsert";
    private bool Replace => _mode == "replace";

    public async ValueTask WriteAsync(Batch batch, SinkRejections rejected, CancellationToken cancellation)
    {
        if (batch.Count == 0) return;
        try
        {
            await BeginAsync(batch, cancellation);
            var plan = PlanFor(batch.Schema);
            if (plan.Problem is { } problem)
            {
                for (int r = 0; r < batch.Count; r++) rejected.Reject(r, Rejection.Kinds.Sink, problem);
                return;
            }
            if (_stagingHolds)
            {
                await ExecuteAsync($"TRUNCATE {Staging}", cancellation);
                _stagingHolds = false;
            }
            int copied = await CopyAsync(batch, plan, rejected, cancellation);
            if (Upsert && copied > 0)
            {
                await using var merge = new NpgsqlCommand(plan.MergeSql, _connection, _transaction);
                await merge.ExecuteNonQueryAsync(cancellation);
                _stagingHolds = true;
            }
        }
        catch (Exception e) when (DatabaseErrors.IsDatabaseError(e) && !cancellation.IsCancellationRequested)
        {
            throw DatabaseErrors.Map(e, _settings, $"writing to {_table}");
        }
    }

    /// <summary>Connection, transaction, and on the first batch the table (created if asked) and what the mode needs.</summary>
    private async Task BeginAsync(Batch batch, CancellationToken cancellation)
    {
        _connection ??= await _settings.OpenAsync(cancellation);
        _transaction ??= await _connection.BeginTransactionAsync(cancellation);
        if (_columns is null)
        {
            var columns = await TargetTable.ColumnsAsync(_connection, _table, _transaction, cancellation);
            if (columns is null && _create)
            {
                await ExecuteAsync(TargetTable.CreateSql(_table, batch, _key, _context), cancellation);
                columns = await TargetTable.ColumnsAsync(_connection, _table, _transaction, cancellation);
            }
            if (columns is null)
                throw new PermanentFailure($"{_settings.Describe}: table {_table} does not exist; create it or set \"create\": true");
            _columns = columns.ToDictionary(c => c.Name, ColumnWriter.For, StringComparer.Ordinal);
        }
        if (Replace && !_truncated)
        {
            await ExecuteAsync($"TRUNCATE {_table.Sql}", cancellation);
            _truncated = true;
        }
        if (Upsert && !_stagingReady)
        {
            await ExecuteAsync($"DROP TABLE IF EXISTS {Staging}; CREATE TEMP TABLE \"ocht_staging\" ON COMMIT DELETE ROWS AS SELECT * FROM {_table.Sql} WITH NO DATA; ALTER TABLE {Staging} ADD COLUMN {StagingRow} bigint", cancellation);
            _stagingReady = true;
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, _connection, _transaction);
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>Copies the rows that fit their columns; rejects the others with the reason. Returns the rows copied.
    /// The rows are encoded here (<see cref="CopyBuffer"/>) and sent in pieces, so the server parses one while the next is encoded.</summary>
    private async Task<int> CopyAsync(Batch batch, BatchPlan plan, SinkRejections rejected, CancellationToken cancellation)
    {
        const int SendAt = 128 * 1024;
        var writers = plan.Writers;
        var buffer = _buffer;
        int copied = 0;
        buffer.Clear();
        buffer.WriteHeader();
        await using var copy = await _connection!.BeginRawBinaryCopyAsync(plan.CopySql, cancellation);
        try
        {
            for (int r = 0; r < batch.Count; r++)
            {
                var row = batch.Row(r);
                if (Problem(row, plan) is { } problem)
                {
                    rejected.Reject(r, Rejection.Kinds.Type, problem);
                    continue;
                }
                buffer.StartRow(Upsert ? writers.Length + 1 : writers.Length);
                for (int f = 0; f < writers.Length; f++) writers[f].Encode(buffer, row[f]);
                if (Upsert) buffer.WriteInt64Field(r);
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

    private static string? Problem(ReadOnlySpan<Value> row, BatchPlan plan)
    {
        foreach (int k in plan.KeyFields)
            if (row[k].IsNull) return $"key field \"{plan.Writers[k].Column.Name}\" is null";
        for (int f = 0; f < row.Length; f++)
            if (plan.Writers[f].Check(row[f]) is { } problem) return problem;
        return null;
    }

    private BatchPlan PlanFor(Schema schema)
    {
        if (_plan is { } cached && cached.Schema.SameFields(schema)) return cached;
        return _plan = new BatchPlan(schema, _columns!, _table, _key, Upsert, _settings.Describe);
    }

    public async ValueTask<bool> FlushAsync(CancellationToken cancellation)
    {
        if (Replace) return false;
        await CommitTransactionAsync(cancellation);
        return true;
    }

    public async ValueTask CommitAsync(CancellationToken cancellation)
    {
        try
        {
            // replace with no records at all still empties the table (when it exists).
            if (Replace && !_truncated)
            {
                _connection ??= await _settings.OpenAsync(cancellation);
                _transaction ??= await _connection.BeginTransactionAsync(cancellation);
                if (await TargetTable.ColumnsAsync(_connection, _table, _transaction, cancellation) is not null)
                    await ExecuteAsync($"TRUNCATE {_table.Sql}", cancellation);
                _truncated = true;
            }
        }
        catch (Exception e) when (DatabaseErrors.IsDatabaseError(e) && !cancellation.IsCancellationRequested)
        {
            throw DatabaseErrors.Map(e, _settings, $"emptying {_table}");
        }
        await CommitTransactionAsync(cancellation);
    }

    private async Task CommitTransactionAsync(CancellationToken cancellation)
    {
        if (_transaction is null) return;
        try
        {
            await _transaction.CommitAsync(cancellation);
        }
        catch (Exception e) when (DatabaseErrors.IsDatabaseError(e) && !cancellation.IsCancellationRequested)
        {
            throw DatabaseErrors.Map(e, _settings, $"committing to {_table}");
        }
        finally
        {
            await _transaction.DisposeAsync();
            _transaction = null;
            _stagingHolds = false;
        }
    }

    public async ValueTask AbortAsync()
    {
        if (_transaction is null) return;
        try
        {
            await _transaction.RollbackAsync();
        }
        catch (Exception e) when (DatabaseErrors.IsDatabaseError(e))
        {
            // The connection is gone: the server has discarded the transaction already.
        }
        await _transaction.DisposeAsync();
        _transaction = null;
        _stagingHolds = false;
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null) await AbortAsync();
        if (_connection is not null) await _connection.DisposeAsync();
    }

    /// <summary>How batches of one schema are written: the column per field, the COPY and merge statements,
    /// or why none of its records can be (a field the table lacks, a key field missing).</summary>
    private sealed class BatchPlan
    {
        public BatchPlan(Schema schema, Dictionary<string, ColumnWriter?> columns, TableName table, IReadOnlyList<string> key, bool upsert, string describe)
        {
            Schema = schema;
            Writers = new ColumnWriter[schema.Width];
            KeyFields = new int[key.Count];
            for (int f = 0; f < schema.Width; f++)
            {
                if (!columns.TryGetValue(schema[f], out var writer))
                {
                    string hint = Suggest.Hint(schema[f], columns.Keys);
                    Problem = $"table {table} has no column \"{schema[f]}\"{hint}";
                    return;
                }
                Writers[f] = writer ?? throw new PermanentFailure(
                    $"{describe}: column \"{schema[f]}\" has a type the postgres sink cannot write; write to a text or jsonb column, or leave the field out");
            }
            for (int k = 0; k < key.Count; k++)
            {
                KeyFields[k] = schema.IndexOf(key[k]);
                if (KeyFields[k] < 0)
                {
                    Problem = $"the record has no key field \"{key[k]}\"";
                    return;
                }
            }
            string fields = string.Join(", ", schema.Names.Select(Identifier.Quote));
            CopySql = upsert
                ? $"COPY {Staging} ({fields}, {StagingRow}) FROM STDIN (FORMAT BINARY)"
                : $"COPY {table.Sql} ({fields}) FROM STDIN (FORMAT BINARY)";
            if (!upsert) return;
            string keys = string.Join(", ", key.Select(Identifier.Quote));
            var updates = schema.Names.Where(n => !key.Contains(n)).Select(n => $"{Identifier.Quote(n)} = EXCLUDED.{Identifier.Quote(n)}").ToArray();
            string conflict = updates.Length == 0 ? "DO NOTHING" : "DO UPDATE SET " + string.Join(", ", updates);
            MergeSql = $"INSERT INTO {table.Sql} ({fields}) SELECT {fields} FROM (SELECT DISTINCT ON ({keys}) * FROM {Staging} ORDER BY {keys}, {StagingRow} DESC) AS latest WHERE true ON CONFLICT ({keys}) {conflict}";
        }

        public Schema Schema { get; }
        public ColumnWriter[] Writers { get; }
        public int[] KeyFields { get; }
        public string? Problem { get; }
        public string CopySql { get; } = "";
        public string MergeSql { get; } = "";
    }
}
