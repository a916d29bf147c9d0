using Ocht.Model;

namespace Ocht.Postgres;

/// <summary>The postgres brick: the postgres connector of §5 (Npgsql), for a host's catalog.</summary>
public static class PostgresConnectors
{
    /// <summary>The postgres connector: source (table or query, incremental by a checkpoint field) and sink (insert, upsert, replace).</summary>
    public static IConnector Create() => new PostgresConnector();
}
