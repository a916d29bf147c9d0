using Npgsql;
using Ocht.Document;
using Ocht.Expressions;
using Ocht.Model;

namespace Ocht.Postgres;

/// <summary>The postgres connector (§5) on Npgsql: binary COPY out of and into PostgreSQL.</summary>
internal sealed class PostgresConnector : IConnector
{
    public static readonly string[] Modes = ["insert", "upsert", "replace"];

    public ComponentSpec Spec { get; } = new("connector", "postgres", "PostgreSQL tables and queries, with incremental reads and idempotent upserts. As a source: a table or a query, streamed in batches, optionally incremental by a checkpoint field whose last acknowledged value is stored in the database. As a sink: binary COPY, one transaction per batch; insert, upsert (by key) or replace; records of the wrong type for a column are rejected with the reason.",
    [
        new OptionSpec("connection", OptionType.String, "an Npgsql connection string (Host=...;Port=...;Database=...;Username=...;Password=...).") { Required = true, Sensitive = true },
        new OptionSpec("table", OptionType.String, "\"table\" or \"schema.table\", names exactly as written (quoted in SQL: case, spaces and quotes are kept); a sink needs it, a source needs it or \"query\""),
        new OptionSpec("query", OptionType.String, "a SELECT whose rows are the records (instead of \"table\"); run as a subquery, so no trailing ';'") { Roles = Roles.Source },
        new OptionSpec("checkpoint", OptionType.String, "a field that only grows (an id, an updated_at): rows are read in its order, and the next run reads only rows above the last value every sink acknowledged") { Roles = Roles.Source },
        new OptionSpec("mode", OptionType.String, "insert: append; upsert: insert or update by \"key\" (idempotent); replace: empty the table and load it in one transaction committed when the run succeeds") { Default = "\"insert\"", Choices = Modes, Roles = Roles.Sink },
        new OptionSpec("key", OptionType.FieldList, "the fields that identify a row, for mode upsert (a primary key or unique index on these columns)") { Roles = Roles.Sink },
        new OptionSpec("create", OptionType.Boolean, "create the table when it is missing, with column types from the first batch (int: bigint, decimal: numeric, float: double precision, string: text, bool: boolean, timestamp: timestamptz, list/map: jsonb; all-null: text; a field the first batch lacks: jsonb; dead-letter fields: their own types, so a dead-letter table has record jsonb, raw text, step bigint...) and the key as primary key") { Default = "false", Roles = Roles.Sink },
    ])
    {
        Example = """{ "connector": "postgres", "connection": "${env:OCHT_PG}", "table": "public.orders", "mode": "upsert", "key": ["order_id"], "create": true }""",
        Details = "Types read: smallint/integer/bigint as int, numeric as exact decimal, real/double as float, boolean, text/varchar/char/uuid as string, date (midnight UTC), timestamp (taken as UTC) and timestamptz as timestamp, json/jsonb as the value they hold; other column types fail the run with a hint to cast them in a `query`. A row that cannot be read (numeric NaN or beyond the decimal range, JSON numbers out of range) is rejected with its row number; infinite dates and timestamps read as the smallest and largest timestamps. A `checkpoint` source stores its progress in the table `ocht_checkpoints` (created in the connection's default schema) keyed by pipeline name and source, only when every sink has durably taken the rows; rows with a null checkpoint are rejected. A sink checks every record against the table's column types first (int into integer columns within range, int/decimal into numeric within its precision, numbers into floats, text into text within its length and without U+0000 (nor in jsonb), timestamps into date/timestamp columns, anything into json) and rejects the ones that do not fit with the column and reason, so one bad record never fails a batch. Each batch of insert and upsert is one transaction, on two connections in turn so that one batch uploads while the one before merges and commits, and batches still commit in order; a flush waits for those commits, and the source is acknowledged only after them; `replace` truncates and loads inside a single transaction committed at the end of the run, so readers see the old rows or the new ones, never a half-loaded table. Transient failures (server unreachable or shutting down, a lost connection) are reported as the run error kind `unavailable`, which the worker retries.",
    };

    public void Validate(ConnectorConfig config, Diagnostics diagnostics)
    {
        var o = config.Options;
        if (o.Get("connection") is { IsString: true } connection) ValidateConnection(connection, diagnostics);
        var table = o.Get("table");
        if (table is { IsString: true } && TableName.Problem(table.Text!) is { } tableProblem)
            diagnostics.Add(table, $"bad \"table\": {tableProblem}");
        if (config.Role == Roles.Source) ValidateSource(config, diagnostics);
        else ValidateSink(config, diagnostics);
    }

    private static void ValidateConnection(DocNode connection, Diagnostics diagnostics)
    {
        // The text is a secret: the message must not quote it (not even the keyword, which may be part of a password).
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connection.Text!);
            if (string.IsNullOrEmpty(builder.Host))
                diagnostics.Add(connection, "\"connection\" names no Host (Host=...;Database=...;Username=...;Password=...)");
        }
        catch (ArgumentException)
        {
            diagnostics.Add(connection, "\"connection\" is not a valid Npgsql connection string: expected Key=Value pairs separated by ';' with keys such as Host, Port, Database, Username, Password (quote values containing ';')");
        }
    }

    private static void ValidateSource(ConnectorConfig config, Diagnostics diagnostics)
    {
        var o = config.Options;
        var table = o.Get("table");
        var query = o.Get("query");
        if (table is null && query is null)
            diagnostics.Add(config.Node, "a postgres source needs \"table\" or \"query\"");
        if (table is not null && query is not null)
            diagnostics.Add(query, "give \"table\" or \"query\", not both");
        if (query is { IsString: true } && string.IsNullOrWhiteSpace(SourceQuery.Trim(query.Text!)))
            diagnostics.Add(query, "\"query\" is empty");
        if (o.Get("checkpoint") is { IsString: true } checkpoint && Identifier.Problem(checkpoint.Text!) is { } problem)
            diagnostics.Add(checkpoint, $"bad \"checkpoint\" field: {problem}");
    }

    private static void ValidateSink(ConnectorConfig config, Diagnostics diagnostics)
    {
        var o = config.Options;
        if (o.Get("table") is null)
            diagnostics.Add(config.Node, "a postgres sink needs \"table\"");
        string mode = o.String("mode") ?? "insert";
        var key = o.Get("key");
        if (mode == "upsert" && key is null)
            diagnostics.Add(o.Get("mode")!, "mode \"upsert\" needs \"key\": the fields that identify a row, e.g. \"key\": [\"id\"]");
        if (key is null) return;
        if (mode != "upsert")
            diagnostics.Add(key, $"\"key\" applies only to mode \"upsert\" (mode is \"{mode}\")");
        else if (key is { IsArray: true, Items.Count: 0 })
            diagnostics.Add(key, "\"key\" needs at least one field");
        var fields = o.Strings("key");
        foreach (var field in fields)
            if (Identifier.Problem(field) is { } problem) diagnostics.Add(key, $"bad \"key\" field: {problem}");
        if (fields.GroupBy(f => f).FirstOrDefault(g => g.Count() > 1) is { } dup)
            diagnostics.Add(key, $"field \"{dup.Key}\" is listed twice in \"key\"");
    }

    /// <summary>Unknown without asking the server, and validation does no I/O.</summary>
    public FieldScope Probe(ConnectorConfig config) => FieldScope.Unknown;

    public string Describe(ConnectorConfig config) =>
        "postgres:" + (config.Options.String("table") ?? "query");

    public ISource OpenSource(ConnectorConfig config, SourceContext context) => new PostgresSource(config, context);

    public ISink OpenSink(ConnectorConfig config, SinkContext context) => new PostgresSink(config, context);
}
