using System.Text;
using Dapper;
using Npgsql;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Postgres;

/// <summary>The sink's table: its columns from the catalog, and creating it from a batch's value types.</summary>
internal static class TargetTable
{
    private const string ColumnsSql = """
        SELECT a.attname AS name,
               format_type(a.atttypid, a.atttypmod) AS display,
               CASE WHEN t.typtype = 'd' THEN b.typname ELSE t.typname END AS type,
               CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS typmod,
               a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) AS notnull
        FROM pg_attribute a
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_type b ON b.oid = t.typbasetype
        WHERE a.attrelid = to_regclass(@table) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """;

    /// <summary>The table's columns, or null when there is no such table.</summary>
    public static async Task<IReadOnlyList<TableColumn>?> ColumnsAsync(NpgsqlConnection connection, TableName table, NpgsqlTransaction transaction, CancellationToken cancellation)
    {
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT to_regclass(@table) IS NOT NULL", new { table = table.Sql }, transaction, cancellationToken: cancellation));
        if (!exists) return null;
        var columns = await connection.QueryAsync<TableColumn>(new CommandDefinition(
            ColumnsSql, new { table = table.Sql }, transaction, cancellationToken: cancellation));
        return columns.AsList();
    }

    /// <summary>CREATE TABLE for the batch's fields: each typed by its first non-null value (text when all are null).</summary>
    /// <summary>CREATE TABLE for the first batch: a column per field the sink was told to expect (in that
    /// order; e.g. every dead-letter field, though a letter has "record" or "raw"), then any other field of
    /// the batch. A column's type is the kind the plan declared for it, else that of the batch's first
    /// non-null value (all null: text); a field the batch lacks gets jsonb, which takes any value.</summary>
    public static string CreateSql(TableName table, Batch batch, IReadOnlyList<string> key, SinkContext context)
    {
        var expected = context.Fields;
        var sql = new StringBuilder($"CREATE TABLE IF NOT EXISTS {table.Sql} (");
        var names = new List<string>(expected ?? []);
        foreach (string name in batch.Schema.Names)
            if (!names.Contains(name)) names.Add(name);
        for (int n = 0; n < names.Count; n++)
        {
            int f = batch.Schema.IndexOf(names[n]);
            var sample = Value.Null;
            for (int r = 0; f >= 0 && r < batch.Count && sample.IsNull; r++) sample = batch[r, f];
            string type = context.Kinds is { } kinds && kinds.TryGetValue(names[n], out var kind) ? ColumnWriter.CreateType(kind)
                : f < 0 ? "jsonb" : ColumnWriter.CreateType(sample.Kind);
            if (n > 0) sql.Append(", ");
            sql.Append(Identifier.Quote(names[n])).Append(' ').Append(type);
        }
        if (key.Count > 0) sql.Append(", PRIMARY KEY (").AppendJoin(", ", key.Select(Identifier.Quote)).Append(')');
        return sql.Append(')').ToString();
    }
}
