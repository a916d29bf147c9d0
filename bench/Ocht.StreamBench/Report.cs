using System.Globalization;

namespace Ocht.StreamBench;

/// <summary>The benchmark's one table, also saved under bench/results/.</summary>
internal static class Report
{
    public static void Print(Settings settings, List<Row> rows, WorkerRun.Latency latency)
    {
        double Median(string tool, Func<Row, double> pick)
        {
            var values = rows.Where(r => r.Tool == tool).Select(pick).Order().ToArray();
            return values[values.Length / 2];
        }
        double raw = Median("raw", r => r.Seconds), worker = Median("worker", r => r.Seconds), total = Median("worker", r => r.WithStartup!.Value);
        double rawRate = settings.Records / raw, workerRate = settings.Records / worker;
        string Met(bool ok) => ok ? "met" : "MISSED";
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| consumer | events | median s | events/s | worker / raw (target >= 0.5x) | target >= 100,000/s |");
        text.AppendLine("|---|---|---|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| raw Confluent.Kafka consume loop | {settings.Records:N0} | {raw:F2} | {rawRate:N0} | | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| ocht-worker: Kafka → filter/derive → Postgres upsert | {settings.Records:N0} | {worker:F2} | {workerRate:N0} | {workerRate / rawRate:F2}x {Met(workerRate / rawRate >= 0.5)} | {Met(workerRate >= 100_000)} |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Worker with start-up (process start, group join): {total:F2} s median. {settings.Partitions} partitions, batch_size {settings.BatchSize}, {settings.Runs} run(s) each; events/s counts every event consumed (a tenth are refunds the filter drops).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Latency at {settings.LatencyRate:N0} events/s for {settings.LatencySeconds} s (send → row inserted, {latency.Records:N0} rows, batch_size 1000): p50 {latency.P50Ms:F1} ms, p99 {latency.P99Ms:F1} ms, max {latency.MaxMs:F1} ms.");
        Console.WriteLine(text);
        string folder = Path.Combine(settings.Repo, "bench", "results");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, $"stream-{DateTime.Now:yyyyMMdd-HHmmss}.md");
        File.WriteAllText(path, text.ToString());
        Console.WriteLine($"saved as {Path.GetRelativePath(settings.Repo, path)}");
    }
}
