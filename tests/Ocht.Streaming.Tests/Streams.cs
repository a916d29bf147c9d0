using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Npgsql;
using Ocht.Engine;
using Ocht.Kafka;
using Ocht.Testkit;
using Ocht.Worker.Tests;

namespace Ocht.Streaming.Tests;

/// <summary>
/// What the end-to-end tests share: one Kafka mock cluster in this process, the test PostgreSQL server,
/// and a folder for documents and dead letters. Each test uses topics, groups and tables of its own.
/// </summary>
public sealed class Streams : IDisposable
{
    /// <summary>A PostgreSQL cluster of its own, not the one test.sh shares: the outage tests stop and start
    /// it, which other test projects running at the same time must not see.</summary>
    private readonly ThrowawayPostgres _cluster = ThrowawayPostgres.Start();

    public Streams() => KafkaConnectors.UseSystemLibrary(); // this process's own Confluent.Kafka clients (the producer)

    public KafkaMockCluster Kafka { get; } = new();
    public string Postgres => _cluster.ConnectionString;
    public string Folder { get; } = Directory.CreateTempSubdirectory("ocht-streaming-").FullName;

    public string NewName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public string NewTopic(string prefix, int partitions)
    {
        string topic = NewName(prefix);
        Kafka.CreateTopic(topic, partitions);
        return topic;
    }

    /// <summary>A topic, and the orders document streaming it into a table of the same new name (also the group).</summary>
    public (string Topic, string Table, string Document) NewOrdersStream(string name, int partitions)
    {
        string topic = NewTopic(name, partitions);
        string table = NewName(name);
        return (topic, table, Write($"{table}.json", Orders.Document(name, Orders.KafkaSource(topic, table), table)));
    }

    /// <summary>The reference: the orders document run as a batch over the events as a JSONL file; its table's rows by id.</summary>
    public async Task<List<string>> BatchRowsAsync(string name, IReadOnlyList<string> events)
    {
        string table = NewName(name + "_batch");
        string records = WriteLines($"{table}.jsonl", events);
        await RunBatchAsync(Write($"{table}.json", Orders.Document(name + "-batch", Orders.FileSource(records), table)));
        return await RowsAsync(table, "id");
    }

    /// <summary>Produces JSON lines as messages keyed by their position, spread over the partitions by key.</summary>
    public void Produce(string topic, IReadOnlyList<string> values)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers, LingerMs = 5 }).Build();
        for (int i = 0; i < values.Count; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<string, string> { Key = i.ToString(CultureInfo.InvariantCulture), Value = values[i] });
                    break;
                }
                catch (ProduceException<string, string> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }
        }
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
    }

    /// <summary>Writes a document (or records) into the test folder and returns its path.</summary>
    public string Write(string name, string text)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public string WriteLines(string name, IEnumerable<string> lines)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>The worker on one document, with the brokers and the connection string in its environment.</summary>
    public WorkerProcess StartWorker(string document, params string[] settings) =>
        new(Folder, [document, "--Ocht:Retry:BaseDelay=00:00:00.2", "--Ocht:Retry:MaxDelay=00:00:01", .. settings], Environment());

    public IReadOnlyDictionary<string, string> Environment() => new Dictionary<string, string>
    {
        ["KAFKA_BROKERS"] = Kafka.BootstrapServers,
        ["OCHT_PG"] = Postgres,
    };

    /// <summary>Runs a document in this process, as `ocht run` does (the batch reference).</summary>
    public async Task RunBatchAsync(string document)
    {
        var env = Environment();
        using var engine = new Engine.Engine(new EngineOptions { Environment = name => env.TryGetValue(name, out var v) ? v : null });
        var loaded = engine.Load(document);
        Assert.True(loaded.Plan is not null, string.Join("\n", loaded.Diagnostics.Select(d => d.ToString())));
        var report = await engine.RunAsync(loaded.Plan!);
        Assert.True(report.Succeeded, report.Error?.Message);
    }

    public async Task<long> CountAsync(string table)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<bool> ExistsAsync(string table)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT to_regclass(quote_ident(@t)) IS NOT NULL", connection);
        command.Parameters.AddWithValue("t", table);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until the table holds <paramref name="rows"/> rows (or more), polling.</summary>
    public async Task WaitForRowsAsync(string table, long rows, TimeSpan within, WorkerProcess? worker = null, bool outage = false)
    {
        var clock = Stopwatch.StartNew();
        long seen = 0;
        while (clock.Elapsed < within)
        {
            try
            {
                seen = await CountAsync(table);
                if (seen >= rows) return;
            }
            catch (PostgresException e) when (e.SqlState == "42P01") { } // the worker has not created it yet
            catch (NpgsqlException) when (outage)
            {
                NpgsqlConnection.ClearAllPools(); // connections from before a server restart are dead
            }
            await Task.Delay(25);
        }
        Assert.Fail($"{table} has {seen} of {rows} rows after {within.TotalSeconds} s\n{worker?.Log}");
    }

    /// <summary>The table as text lines ordered by every column, for comparing two tables.</summary>
    public async Task<List<string>> RowsAsync(string table, string orderBy)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT t::text FROM \"{table}\" t ORDER BY {orderBy}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stops or starts the PostgreSQL server, as an outage would (its data and port stay).</summary>
    public void PauseServer() => _cluster.Pause();

    public void ResumeServer()
    {
        _cluster.Resume();
        NpgsqlConnection.ClearAllPools(); // this process's pooled connections died with the old server
    }

    public void Dispose()
    {
        Kafka.Dispose();
        _cluster.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class StreamsCollection : ICollectionFixture<Streams>
{
    public const string Name = "streams";
}
