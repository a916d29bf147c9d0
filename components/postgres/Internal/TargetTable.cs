using System.Text;
using Dapper;
using Npgsql;
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
    public static string CreateSql(TableName table, Batch batch, IReadOnlyList<string> key)
    {
        var sql = new StringBuilder($"CREATE TABLE IF NOT EXISTS {table.Sql} (");
        for (int f = 0; f < batch.Width; f++)
        {
            var sample = Value.Null;
            for (int r = 0; r < batch.Count && sample.IsNull; r++) sample = batch[r, f];
            if (f > 0) sql.Append(", ");
            sql.Append(Identifier.Quote(batch.Schema[f])).Append(' ').Append(ColumnWriter.CreateType(sample));
        }
        if (key.Count > 0) sql.Append(", PRIMARY KEY (").AppendJoin(", ", key.Select(Identifier.Quote)).Append(')');
        return sql.Append(')').ToString();
    }
}
