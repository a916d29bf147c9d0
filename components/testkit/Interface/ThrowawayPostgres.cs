using System.Diagnostics;

namespace Ocht.Testkit;

/// <summary>
/// A PostgreSQL cluster of its own from scripts/postgres.sh (temp directory, free port, non-root user),
/// for tests and benchmarks that must not share test.sh's: it can be paused and resumed as an outage
/// would, and is removed on dispose.
/// </summary>
public sealed class ThrowawayPostgres : IDisposable
{
    private readonly string _directory;

    private ThrowawayPostgres(string directory, string connectionString)
    {
        _directory = directory;
        ConnectionString = connectionString;
    }

    /// <summary>An Npgsql connection string to the database "ocht" as user "ocht".</summary>
    public string ConnectionString { get; }

    public static ThrowawayPostgres Start()
    {
        // The script prints export lines: export OCHT_PG_DIR='...' and export OCHT_TEST_POSTGRES='...'.
        var exports = Script("start").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line["export ".Length..].Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1].Trim('\''));
        return new ThrowawayPostgres(exports["OCHT_PG_DIR"], exports["OCHT_TEST_POSTGRES"]);
    }

    /// <summary>Stops the server (clients lose their connections); its data and port stay for <see cref="Resume"/>.</summary>
    public void Pause() => Script("pause", _directory);

    public void Resume() => Script("resume", _directory);

    public void Dispose() => Script("stop", _directory);

    private static string Script(params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(Golden.RepositoryRoot(), "scripts", "postgres.sh"));
        foreach (string a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"scripts/postgres.sh {string.Join(' ', args)} failed: {error.Result}");
        return output;
    }
}
