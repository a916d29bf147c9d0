using Dapper;
using Npgsql;

namespace Ocht.Postgres;

/// <summary>
/// The table <c>ocht_checkpoints</c> (in the connection's default schema): one row per pipeline and
/// source holding the last acknowledged checkpoint as text, which the next run compares with the
/// column as an untyped literal, so PostgreSQL reads it as the column's own type.
/// </summary>
internal sealed class CheckpointStore(NpgsqlConnection connection, string pipeline, string source)
{
    public const string Table = "ocht_checkpoints";

    private const string CreateSql = $"""
        CREATE TABLE IF NOT EXISTS {Table} (
            pipeline text NOT NULL,
            source text NOT NULL,
            value text NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (pipeline, source))
        """;

    public async Task<string?> LoadAsync(CancellationToken cancellation)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(CreateSql, cancellationToken: cancellation));
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
        {
            // Another run created it at the same moment.
        }
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            $"SELECT value FROM {Table} WHERE pipeline = @pipeline AND source = @source",
            new { pipeline, source }, cancellationToken: cancellation));
    }

    public Task SaveAsync(string value, CancellationToken cancellation) =>
        connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO {Table} (pipeline, source, value) VALUES (@pipeline, @source, @value)
            ON CONFLICT (pipeline, source) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
            """,
            new { pipeline, source, value }, cancellationToken: cancellation));
}
