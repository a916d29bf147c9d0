using System.Diagnostics;
using Npgsql;

namespace Ocht.StreamBench;

/// <summary>A throwaway PostgreSQL cluster of scripts/postgres.sh for the run, removed afterwards.</summary>
internal sealed class PostgresCluster : IDisposable
{
    private readonly string _repo, _dir;

    private PostgresCluster(string repo, string dir, string connection)
    {
        _repo = repo;
        _dir = dir;
        Connection = connection;
    }

    public string Connection { get; }
    public string Describe => new NpgsqlConnectionStringBuilder(Connection) is var b ? $"{b.Host}:{b.Port}" : "";

    public static PostgresCluster Start(string repo)
    {
        var env = Script(repo, "start").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line["export ".Length..].Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1].Trim('\''));
        return new PostgresCluster(repo, env["OCHT_PG_DIR"], env["OCHT_TEST_POSTGRES"]);
    }

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

    private static string Script(string repo, params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(repo, "scripts", "postgres.sh"));
        foreach (string a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"scripts/postgres.sh {args[0]} failed: {error.Result}");
        return output;
    }

    public void Dispose() => Script(_repo, "stop", _dir);
}
