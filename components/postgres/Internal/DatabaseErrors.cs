using System.Net.Sockets;
using Npgsql;
using Ocht.Model;

namespace Ocht.Postgres;

/// <summary>
/// Turns database failures into what a run reports: an outage (refused connection, server shutting
/// down, lost connection, deadlock) becomes <see cref="ConnectorUnavailableException"/> so a worker
/// retries; anything else (a missing table, a permission, a constraint) fails the run as an I/O error
/// with PostgreSQL's message and SQLSTATE. Messages name the connector, never the connection string.
/// </summary>
internal static class DatabaseErrors
{
    public static bool IsDatabaseError(Exception e) =>
        e is not PermanentFailure && e is NpgsqlException or SocketException or TimeoutException or IOException
        || e is InvalidOperationException && e.Source == "Npgsql";

    public static Exception Map(Exception e, PostgresSettings settings, string doing)
    {
        string message = settings.Redact(e is PostgresException pg ? Describe(pg) : e.Message);
        string text = $"{settings.Describe}: {doing}: {message}";
        return IsTransient(e)
            ? new ConnectorUnavailableException(text + " (transient: retrying later may succeed)", e)
            : new PermanentFailure(text, e);
    }

    private static string Describe(PostgresException e)
    {
        string text = $"{e.MessageText} (SQLSTATE {e.SqlState})";
        if (!string.IsNullOrEmpty(e.Detail)) text += "; " + e.Detail;
        if (!string.IsNullOrEmpty(e.Hint)) text += "; hint: " + e.Hint;
        return text;
    }

    private static bool IsTransient(Exception e) => e switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300" or "40001" or "40P01",
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        // Npgsql reports a connection it had to close after a network failure as an invalid operation.
        InvalidOperationException => true,
        _ => true,
    };
}

/// <summary>A problem that retrying will not fix (an unreadable column type, a missing table, a server error
/// that is not an outage): fails the run as an I/O error. Already mapped, so it is never wrapped again.</summary>
internal sealed class PermanentFailure(string message, Exception? inner = null) : IOException(message, inner);
