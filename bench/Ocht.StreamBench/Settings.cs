using System.Globalization;

namespace Ocht.StreamBench;

/// <summary>The benchmark's knobs, from the command line.</summary>
internal sealed record Settings(string Repo, int Records, int Partitions, int Runs, int BatchSize, int LatencyRate, int LatencySeconds)
{
    private const string Usage = """
        usage: bench/stream [--records N] [--partitions N] [--runs N] [--batch-size N] [--rate N] [--seconds N]
          --records     events for the throughput runs (default 1000000)
          --partitions  partitions of the topic (default 32: the mock cluster keeps about 50,000 of these events per partition)
          --runs        throughput runs of each consumer; the table shows medians (default 3)
          --batch-size  the worker document's options.batch_size (default 8192)
          --rate        offered load of the latency run, events/s (default 10000)
          --seconds     length of the latency run (default 10)
        """;

    public static Settings? Parse(string[] args)
    {
        var s = new Settings(FindRepo(), 1_000_000, 32, 3, 8192, 10_000, 10);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "-h" or "--help") { Console.WriteLine(Usage); return null; }
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
            {
                Console.Error.WriteLine($"bench/stream: {args[i]} needs a positive whole number\n{Usage}");
                return null;
            }
            s = args[i++] switch
            {
                "--records" => s with { Records = n },
                "--partitions" => s with { Partitions = n },
                "--runs" => s with { Runs = n },
                "--batch-size" => s with { BatchSize = n },
                "--rate" => s with { LatencyRate = n },
                "--seconds" => s with { LatencySeconds = n },
                var other => Unknown(other),
            };
            if (s is null) return null;
        }
        return s;
    }

    private static Settings? Unknown(string option)
    {
        Console.Error.WriteLine($"bench/stream: unknown option {option}\n{Usage}");
        return null;
    }

    private static string FindRepo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "workspace.json"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("run bench/stream from the Ocht repository");
    }

    public string WorkerDll => Path.Combine(Repo, "artifacts", "bin", "ocht-worker", "release", "ocht-worker.dll");
}
