using Ocht.Document;
using Ocht.Model;
using Ocht.Values;
using Xunit;
using Record = Ocht.Values.Record;

namespace Ocht.Testkit;

/// <summary>
/// The compliance suite every connector must pass (Vector-style): derive a test class per connector,
/// say how to make a fresh location and how to plant unreadable input, and these facts run against it.
/// </summary>
public abstract class ConnectorContract : IDisposable
{
    protected ConnectorContract() => Directory.CreateDirectory(WorkDirectory);

    /// <summary>A scratch directory for this test instance, deleted afterwards.</summary>
    protected string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "ocht-contract-" + Guid.NewGuid().ToString("N"));

    protected abstract IConnector Connector { get; }

    /// <summary>A connector object (JSON) for a new, empty location named <paramref name="name"/>.</summary>
    protected abstract string Location(string name);

    /// <summary>The connector object for one role, for connectors whose sources need options sinks do not take.</summary>
    protected virtual string Location(string name, Roles role) => Location(name);

    /// <summary>Records the connector must give back exactly as written (in their JSON form).</summary>
    protected virtual IReadOnlyList<Record> RoundTripRecords =>
    [
        Record.Of(("id", 1), ("name", "Ada"), ("price", 12.50m), ("at", new DateTime(2024, 5, 17, 13, 45, 12, DateTimeKind.Utc)), ("note", Value.Null)),
        Record.Of(("id", 2), ("name", "Grace, \"Amazing\""), ("price", 0.99m), ("at", new DateTime(2024, 5, 18, 0, 0, 0, DateTimeKind.Utc)), ("note", "é ß 日本")),
        Record.Of(("id", 3), ("name", ""), ("price", -3.00m), ("at", new DateTime(2025, 1, 1, 23, 59, 59, DateTimeKind.Utc)), ("note", "line")),
    ];

    /// <summary>Plants input at <paramref name="name"/> whose record number <paramref name="badRecord"/> (1-based among three) cannot be read; returns the position the rejection must report (e.g. the line).</summary>
    protected abstract long PlantUnreadable(string name, int badRecord);

    /// <summary>True when what a sink wrote can be read back before the run commits (per-batch durable sinks).</summary>
    protected virtual bool VisibleBeforeCommit => false;

    protected ConnectorConfig Config(string json, Roles role)
    {
        var parsed = DocParser.Parse(json);
        Assert.True(parsed.Ok, string.Join("; ", parsed.Diagnostics));
        var config = new ConnectorConfig(Connector, parsed.Root!, role, WorkDirectory, Secrets.None);
        var diagnostics = new Diagnostics();
        SpecValidator.Check(parsed.Root!, Connector.Spec, role, diagnostics, ["connector"]);
        Connector.Validate(config, diagnostics);
        Assert.False(diagnostics.HasErrors, string.Join("; ", diagnostics.Items));
        return config;
    }

    protected static readonly SourceContext SourceContext = new("contract", 2, TimeProvider.System);
    protected static readonly SinkContext SinkContext = new("contract", 2, TimeProvider.System);

    protected async Task WriteAsync(string name, IEnumerable<Record> records, bool commit)
    {
        await using var sink = Connector.OpenSink(Config(Location(name, Roles.Sink), Roles.Sink), SinkContext);
        var rejected = new SinkRejections();
        foreach (var batch in Batch.FromRecords(records, 2))
        {
            rejected.Begin(batch);
            await sink.WriteAsync(batch, rejected, CancellationToken.None);
        }
        Assert.Empty(rejected.Items);
        await sink.FlushAsync(CancellationToken.None);
        if (commit) await sink.CommitAsync(CancellationToken.None);
        else await sink.AbortAsync();
    }

    protected async Task<(List<Record> Records, List<Rejection> Rejections, List<Batch> Batches)> ReadAsync(string name)
    {
        await using var source = Connector.OpenSource(Config(Location(name, Roles.Source), Roles.Source), SourceContext);
        var records = new List<Record>();
        var rejections = new List<Rejection>();
        var batches = new List<Batch>();
        while (await source.ReadAsync(CancellationToken.None) is { } batch)
        {
            batches.Add(batch);
            records.AddRange(batch.Records());
            rejections.AddRange(batch.Rejections ?? []);
            await source.AcknowledgeAsync(batch.Sequence, CancellationToken.None);
        }
        return (records, rejections, batches);
    }

    private static IEnumerable<string> Json(IEnumerable<Record> records) => records.Select(ValueJson.ToJson);

    [Fact]
    public async Task Committed_records_read_back_unchanged()
    {
        await WriteAsync("round-trip", RoundTripRecords, commit: true);
        var (records, rejections, _) = await ReadAsync("round-trip");
        Assert.Empty(rejections);
        Assert.Equal(Json(RoundTripRecords), Json(records));
    }

    [Fact]
    public async Task Aborted_output_leaves_nothing_behind()
    {
        await WriteAsync("aborted", RoundTripRecords, commit: false);
        if (VisibleBeforeCommit) return;
        Assert.Empty(Leftovers("aborted"));
    }

    [Fact]
    public async Task Output_is_not_visible_before_commit_unless_the_sink_says_it_is_durable()
    {
        await using var sink = Connector.OpenSink(Config(Location("staged", Roles.Sink), Roles.Sink), SinkContext);
        var rejected = new SinkRejections();
        foreach (var batch in Batch.FromRecords(RoundTripRecords, 2))
        {
            rejected.Begin(batch);
            await sink.WriteAsync(batch, rejected, CancellationToken.None);
        }
        bool durable = await sink.FlushAsync(CancellationToken.None);
        Assert.Equal(VisibleBeforeCommit, durable);
        if (!durable) Assert.DoesNotContain(Leftovers("staged"), p => !Path.GetFileName(p).StartsWith('.'));
        await sink.CommitAsync(CancellationToken.None);
        var (records, _, _) = await ReadAsync("staged");
        Assert.Equal(RoundTripRecords.Count, records.Count);
    }

    [Fact]
    public async Task An_empty_commit_reads_back_as_no_records()
    {
        await WriteAsync("empty", [], commit: true);
        var (records, rejections, _) = await ReadAsync("empty");
        Assert.Empty(records);
        Assert.Empty(rejections);
    }

    [Fact]
    public async Task Sources_batch_within_the_batch_size_with_increasing_sequences()
    {
        var many = Enumerable.Range(1, 25).Select(i => Record.Of(("id", i), ("name", $"n{i}"))).ToArray();
        await WriteAsync("many", many, commit: true);
        var (records, _, batches) = await ReadAsync("many");
        Assert.Equal(Json(many), Json(records));
        Assert.All(batches, b => Assert.InRange(b.Count, 0, SourceContext.BatchSize));
        Assert.Equal(batches.Select(b => b.Sequence).Order(), batches.Select(b => b.Sequence));
        Assert.Equal(batches.Count, batches.Select(b => b.Sequence).Distinct().Count());
    }

    [Fact]
    public async Task Unreadable_input_is_rejected_with_its_position_and_the_rest_is_read()
    {
        long position = PlantUnreadable("bad", badRecord: 2);
        var (records, rejections, _) = await ReadAsync("bad");
        var rejection = Assert.Single(rejections);
        Assert.Equal(position, rejection.Line);
        Assert.Equal(2, records.Count);
        Assert.False(string.IsNullOrWhiteSpace(rejection.Message));
        Assert.True(rejection.Raw is not null || rejection.Record is not null);
    }

    [Fact]
    public void Validation_and_probing_have_no_side_effects()
    {
        var before = Leftovers("never-written").ToArray();
        var config = Config(Location("never-written", Roles.Sink), Roles.Sink);
        Connector.Probe(Config(Location("never-written", Roles.Source), Roles.Source));
        Assert.NotNull(config);
        Assert.Equal(before, Leftovers("never-written"));
    }

    /// <summary>Files or rows left at a location; file connectors list the scratch directory.</summary>
    protected virtual IEnumerable<string> Leftovers(string name) =>
        Directory.EnumerateFiles(WorkDirectory, name + "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(WorkDirectory, "." + name + "*", SearchOption.AllDirectories));

    public virtual void Dispose()
    {
        try { Directory.Delete(WorkDirectory, recursive: true); }
        catch (DirectoryNotFoundException) { }
        GC.SuppressFinalize(this);
    }
}
