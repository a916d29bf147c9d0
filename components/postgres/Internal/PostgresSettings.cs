using Npgsql;
using Ocht.Model;

namespace Ocht.Postgres;

/// <summary>
/// The connection of one source or sink, and the text that must never leave the connector: the
/// connection string and its password are replaced by "***" in every message it produces.
/// </summary>
internal sealed class PostgresSettings
{
    private readonly string[] _secrets;

    public PostgresSettings(ConnectorConfig config, string pipeline)
    {
        Describe = config.Describe();
        string raw = config.Options.String("connection") ?? "";
        var builder = new NpgsqlConnectionStringBuilder(raw);
        if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "ocht:" + pipeline;
        ConnectionString = builder.ConnectionString;
        _secrets = new[] { raw, ConnectionString, builder.Password ?? "" }
            .Where(s => s.Length >= 2).Distinct().OrderByDescending(s => s.Length).ToArray();
    }

    public string ConnectionString { get; }

    /// <summary>How messages name the connector, e.g. "postgres:public.orders".</summary>
    public string Describe { get; }

    public string Redact(string text)
    {
        foreach (var secret in _secrets) text = text.Replace(secret, "***", StringComparison.Ordinal);
        return text;
    }

    /// <summary>Opens a connection, with failures mapped as every other database call (see <see cref="DatabaseErrors"/>).</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellation)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellation);
            return connection;
        }
        catch (Exception e) when (DatabaseErrors.IsDatabaseError(e))
        {
            await connection.DisposeAsync();
            throw DatabaseErrors.Map(e, this, "cannot connect");
        }
    }
}
