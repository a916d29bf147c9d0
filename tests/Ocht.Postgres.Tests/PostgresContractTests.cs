using Ocht.Model;
using Ocht.Testkit;

namespace Ocht.Postgres.Tests;

/// <summary>
/// The connector contract against a real server. A table needs column types, which a sink learns only
/// from records (an empty commit has none), so the locations exist beforehand, as they would in
/// production; creating tables is tested in <see cref="SinkTests"/>.
/// </summary>
public sealed class PostgresContractTests : ConnectorContract
{
    private readonly TestDatabase _db = new();

    public PostgresContractTests()
    {
        foreach (var name in new[] { "round-trip", "aborted", "staged" })
            _db.Execute($"CREATE TABLE \"{name}\" (id bigint, name text, price numeric, at timestamptz, note text)");
        foreach (var name in new[] { "many", "empty" })
            _db.Execute($"CREATE TABLE \"{name}\" (id bigint, name text)");
    }

    protected override IConnector Connector { get; } = PostgresConnectors.Create();

    protected override string Location(string name) =>
        $$"""{"connector": "postgres", "connection": "{{_db.ConnectionString}}", "table": "{{name}}"}""";

    /// <summary>Each flush commits: what was written is visible (and durable) before the run's commit.</summary>
    protected override bool VisibleBeforeCommit => true;

    protected override long PlantUnreadable(string name, int badRecord)
    {
        _db.Execute($"CREATE TABLE \"{name}\" (id int, price numeric)");
        for (int i = 1; i <= 3; i++)
            _db.Execute($"INSERT INTO \"{name}\" VALUES ({i}, {(i == badRecord ? "'NaN'" : "1.5")})");
        return badRecord;
    }

    protected override IEnumerable<string> Leftovers(string name) =>
        _db.TableExists(name) ? _db.Json($"SELECT * FROM \"{name}\"") : [];

    public override void Dispose()
    {
        _db.Dispose();
        base.Dispose();
    }
}
