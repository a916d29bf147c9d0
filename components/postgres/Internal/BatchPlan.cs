using Ocht.Document;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Postgres;

/// <summary>How batches of one schema are written: the column per field, the COPY and merge statements,
/// or why none of its records can be (a field the table lacks, a key field missing).</summary>
internal sealed class BatchPlan
{
    /// <summary>The upsert staging table: one per session (temporary), emptied by every commit.</summary>
    public const string Staging = "pg_temp.\"ocht_staging\"";
    /// <summary>The staging column holding a record's row in its batch, so the last record of a key wins.</summary>
    public const string StagingRow = "\"ocht staging row\"";

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
        UniqueMergeSql = $"INSERT INTO {table.Sql} ({fields}) SELECT {fields} FROM {Staging} ON CONFLICT ({keys}) {conflict}";
        if (KeyFields.Length == 1 && Writers[KeyFields[0]].IsInteger) IntegerKey = KeyFields[0];
    }

    public Schema Schema { get; }
    public ColumnWriter[] Writers { get; }
    public int[] KeyFields { get; }
    public string? Problem { get; }
    public string CopySql { get; } = "";
    /// <summary>The merge that keeps the last record of each key in the batch.</summary>
    public string MergeSql { get; } = "";
    /// <summary>The merge for a batch whose keys are all different: no sort to find each key's last record.</summary>
    public string UniqueMergeSql { get; } = "";
    /// <summary>The key field when the key is one integer column (the sink then checks whether a batch's keys are
    /// unique; other types may be equal in PostgreSQL while different here, e.g. citext), else -1.</summary>
    public int IntegerKey { get; } = -1;

    /// <summary>Why this record cannot be written (a null key, a value its column cannot take), or null.</summary>
    public string? RowProblem(ReadOnlySpan<Value> row)
    {
        foreach (int k in KeyFields)
            if (row[k].IsNull) return $"key field \"{Writers[k].Column.Name}\" is null";
        for (int f = 0; f < row.Length; f++)
            if (Writers[f].Check(row[f]) is { } problem) return problem;
        return null;
    }
}
