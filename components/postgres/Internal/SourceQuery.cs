using System.Security.Cryptography;
using System.Text;
using Ocht.Model;

namespace Ocht.Postgres;

/// <summary>The SQL a source runs: the table or the query as a subquery, filtered and ordered by the checkpoint.</summary>
internal sealed class SourceQuery
{
    public SourceQuery(ConnectorConfig config)
    {
        var o = config.Options;
        Checkpoint = o.String("checkpoint");
        if (o.String("table") is { } table)
        {
            From = TableName.Parse(table).Sql;
            Key = "table:" + table;
        }
        else
        {
            string query = Trim(o.String("query")!);
            From = $"({query}) AS ocht_query";
            // A changed query is a different source: it starts from the beginning again.
            Key = "query:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)))[..16];
        }
        if (Checkpoint is not null) Key += "#" + Checkpoint;
    }

    public string From { get; }
    public string? Checkpoint { get; }

    /// <summary>Names this source in <c>ocht_checkpoints</c> (with the pipeline name).</summary>
    public string Key { get; }

    /// <summary>The statement; with a stored checkpoint it takes one parameter, the value to start after.</summary>
    public string Sql(bool after)
    {
        if (Checkpoint is null) return $"SELECT * FROM {From}";
        string column = Identifier.Quote(Checkpoint);
        return after
            ? $"SELECT * FROM {From} WHERE {column} > $1 ORDER BY {column}"
            : $"SELECT * FROM {From} ORDER BY {column}";
    }

    /// <summary>The query without surrounding blanks and trailing semicolons (it runs as a subquery).</summary>
    public static string Trim(string query) => query.Trim().TrimEnd(';', ' ', '\t', '\r', '\n');
}
