using System.Diagnostics;
using System.Globalization;

namespace Ocht.StreamBench;

/// <summary>ocht-worker (Release) in its own process on the benchmark's document, watched through Postgres.</summary>
internal static class WorkerRun
{
    public sealed record Throughput(double Streaming, double Total);

    public sealed record Latency(int Records, double P50Ms, double P99Ms, double MaxMs);

    /// <summary>Streaming: from the first row inserted to the last, read from a clock_timestamp() column default
    /// (the group join excluded, as the raw loop's is); total: from the process start. The table is polled only
    /// twice a second: counting a growing table more often would take CPU from the worker being measured.</summary>
    public static async Task<Throughput> ThroughputAsync(Settings settings, string brokers, PostgresCluster postgres, string topic, string table, int sales)
    {
        await postgres.ExecuteAsync($"""
            CREATE TABLE "{table}" (id bigint PRIMARY KEY, customer text, quantity bigint, total numeric,
                                    landed timestamptz NOT NULL DEFAULT clock_timestamp())
            """);
        string document = WriteDocument(settings, table, topic, group: table, extraFields: "");
        double startedAt = Events.UnixMicros() / 1e6;
        var started = Stopwatch.StartNew();
        using var worker = Start(settings, document, brokers, postgres);
        while (true)
        {
            long rows = await postgres.CountAsync(table);
            if (rows >= sales) break;
            if (worker.HasExited) throw new InvalidOperationException($"the worker exited with {worker.ExitCode}");
            if (started.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"{table}: {rows} of {sales} rows after 10 minutes");
            await Task.Delay(500);
        }
        await StopAsync(worker);
        double[] landed = await postgres.DoublesAsync($"SELECT ARRAY[extract(epoch FROM min(landed)), extract(epoch FROM max(landed))]::float8[] FROM \"{table}\"");
        // Every run starts from the same server state: without this, each run's 900k rows stayed in the shared
        // buffers and the WAL, and every run was slower than the one before (5.7, 6.1, 6.8 s).
        await postgres.ExecuteAsync($"DROP TABLE \"{table}\"; CHECKPOINT");
        return new Throughput(landed[1] - landed[0], landed[1] - startedAt);
    }

    /// <summary>Offers <see cref="Settings.LatencyRate"/> events/s for <see cref="Settings.LatencySeconds"/> s; latency of
    /// an event = the time Postgres inserted its row (a column default) − the time it was sent.</summary>
    public static async Task<Latency> LatencyAsync(Settings settings, string brokers, PostgresCluster postgres, Ocht.Kafka.KafkaMockCluster kafka)
    {
        const string table = "latency", topic = "latency";
        kafka.CreateTopic(topic, 1);
        await postgres.ExecuteAsync($"""
            CREATE TABLE "{table}" (id bigint PRIMARY KEY, customer text, quantity bigint, total numeric, sent_us bigint,
                                    landed timestamptz NOT NULL DEFAULT clock_timestamp())
            """);
        // librdkafka's mock broker answers a fetch only after fetch.wait.max.ms (default 500 ms) even when data is
        // there, which a real broker does not: without the lower wait, p50 was ~310 ms instead of ~80 ms.
        string document = WriteDocument(settings with { BatchSize = 1000 }, table, topic, group: table, extraFields: ", \"sent_us\"",
            sourceProperties: """{"fetch.wait.max.ms": "10"}""");
        using var worker = Start(settings, document, brokers, postgres);
        // Warm up: the worker has joined its group and written once, and the producer has connected and found the
        // partition leader, before the timed load starts. With a producer made for the timed load, some runs began
        // with a backlog (the first ~1.2 s of events landed up to 1 s late, then none did): p99 read about 1 s.
        using var producer = Events.Producer(brokers, steady: true);
        Events.Produce(producer, topic, 20, ratePerSecond: null, stampTime: true, firstId: -100);
        while (await postgres.CountAsync(table) == 0) await Task.Delay(20);
        int count = settings.LatencyRate * settings.LatencySeconds;
        var (_, sales) = Events.Produce(producer, topic, count, settings.LatencyRate, stampTime: true);
        var waited = Stopwatch.StartNew();
        while (await postgres.ScalarAsync($"SELECT count(*) FROM \"{table}\" WHERE id >= 0") < sales)
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException("the latency run's rows did not all land within 2 minutes");
            await Task.Delay(100);
        }
        await StopAsync(worker);
        string sql = $"""
            SELECT percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY ms) || ARRAY[max(ms), count(*)]
            FROM (SELECT (extract(epoch FROM landed) * 1e6 - sent_us) / 1000.0 AS ms FROM "{table}" WHERE id >= 0) t
            """;
        double[] values = await postgres.DoublesAsync(sql);
        return new Latency((int)values[3], values[0], values[1], values[2]);
    }

    private static string WriteDocument(Settings settings, string table, string topic, string group, string extraFields, string sourceProperties = "{}")
    {
        string path = Path.Combine(Path.GetTempPath(), $"ocht-bench-{table}.json");
        File.WriteAllText(path, $$"""
            {
              "ocht": 1,
              "name": "{{table}}",
              "source": {"connector": "kafka", "brokers": "${env:KAFKA_BROKERS}", "topic": "{{topic}}", "group": "{{group}}", "start": "earliest", "properties": {{sourceProperties}} },
              "steps": [
                {"op": "filter", "where": ["=", ":kind", "sale"]},
                {"op": "derive", "fields": {"total": ["*", ":amount", ":quantity"]} },
                {"op": "select", "fields": ["id", "customer", "quantity", "total"{{extraFields}}]}
              ],
              "sink": {"connector": "postgres", "connection": "${env:OCHT_PG}", "table": "{{table}}", "mode": "upsert", "key": ["id"], "create": true},
              "options": {"batch_size": {{settings.BatchSize.ToString(CultureInfo.InvariantCulture)}} }
            }
            """);
        return path;
    }

    private static Process Start(Settings settings, string document, string brokers, PostgresCluster postgres)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = false, RedirectStandardOutput = true };
        info.ArgumentList.Add(settings.WorkerDll);
        info.ArgumentList.Add(document);
        info.ArgumentList.Add("--Serilog:MinimumLevel:Default=Warning");
        info.Environment["KAFKA_BROKERS"] = brokers;
        info.Environment["OCHT_PG"] = postgres.Connection;
        return Process.Start(info)!;
    }

    private static async Task StopAsync(Process worker)
    {
        using (var kill = Process.Start("kill", ["-TERM", worker.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await worker.WaitForExitAsync(timeout.Token);
        if (worker.ExitCode != 0) throw new InvalidOperationException($"the worker exited with {worker.ExitCode} when stopped");
    }
}
