using Dapper;
using Npgsql;
using Ocht.Executor;
using Ocht.Model;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Postgres.Tests;

/// <summary>
/// A schema of its own on the test server (OCHT_TEST_POSTGRES, set by ./test.sh through
/// scripts/postgres.sh), dropped afterwards; its connection string puts that schema first on the
/// search path, so unqualified tables and ocht_checkpoints land in it.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public const string Variable = "OCHT_TEST_POSTGRES";

    public TestDatabase()
    {
        string server = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s
            : throw new InvalidOperationException($"{Variable} is not set: these tests need a PostgreSQL server. Run ./test.sh, or first: eval \"$(scripts/postgres.sh start)\"");
        Schema = "t_" + Guid.NewGuid().ToString("N")[..12];
        ServerConnectionString = server;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = Schema }.ConnectionString;
        Execute($"CREATE SCHEMA {Schema}");
    }

    public string Schema { get; }
    public string ServerConnectionString { get; }
    public string ConnectionString { get; }
    public string Password => new NpgsqlConnectionStringBuilder(ConnectionString).Password!;

    public MemoryStore Store { get; } = new();

    public void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Execute(sql);
    }

    /// <summary>Rows as JSON objects (PostgreSQL's own row_to_json), in the query's order.</summary>
    public List<string> Json(string query)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        return connection.Query<string>($"SELECT row_to_json(q)::text FROM ({query}) q").ToList();
    }

    public T Scalar<T>(string query)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        return connection.ExecuteScalar<T>(query)!;
    }

    public bool TableExists(string name) => Scalar<bool>($"SELECT to_regclass('{Schema}.' || quote_ident('{name.Replace("'", "''")}')) IS NOT NULL");

    public LoadResult Load(string document, string? connection = null) =>
        Pipelines.Load(document, new LoadOptions { Environment = n => n == "OCHT_PG" ? connection ?? ConnectionString : null },
            new Catalog([PostgresConnectors.Create(), new MemoryConnector(Store)]));

    /// <summary>Runs a document whose connectors read ${env:OCHT_PG} (this schema, or <paramref name="connection"/>).</summary>
    public async Task<RunReport> RunAsync(string document, string? connection = null)
    {
        var loaded = Load(document, connection);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Messages(null)));
        return await Executor.Executor.RunAsync(loaded.Plan!, new RunEnvironment("test", TimeProvider.System));
    }

    public void Input(string name, params string[] json) => Store.Inputs[name] = json.Select(ValueJson.ParseRecord).ToArray();

    public List<string> Output(string name) => Store.Output(name).Committed.Select(r => r.ToString()).ToList();

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(ServerConnectionString);
        connection.Execute($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
    }
}
