using Npgsql;
using Ocht.Testkit;

namespace Ocht.StreamBench;

/// <summary>A throwaway PostgreSQL cluster (the testkit's, from scripts/postgres.sh) for the run, removed afterwards.</summary>
internal sealed class PostgresCluster : IDisposable
{
    private readonly ThrowawayPostgres _cluster = ThrowawayPostgres.Start();

    public string Connection => _cluster.ConnectionString;
    public string Describe => new NpgsqlConnectionStringBuilder(Connection) is var b ? $"{b.Host}:{b.Port}" : "";

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task<double[]> DoublesAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (double[])(await command.ExecuteScalarAsync())!;
    }

    public async Task<long> CountAsync(string table)
    {
        try
        {
            return await ScalarAsync($"SELECT count(*) FROM \"{table}\"");
        }
        catch (PostgresException e) when (e.SqlState == "42P01")
        {
            return 0; // not created yet
        }
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose() => _cluster.Dispose();
}
