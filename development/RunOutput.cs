using Ocht.Executor;
using Ocht.Values;

namespace Ocht.Development;

/// <summary>What a notebook run produced: the records each sink committed (by the sink's path or name),
/// the dead letters, and the run's report with its counts.</summary>
public sealed record RunOutput(IReadOnlyDictionary<string, IReadOnlyList<Record>> Sinks, IReadOnlyList<Record> DeadLetters, RunReport Report)
{
    /// <summary>The records of every sink, in sink order.</summary>
    public IReadOnlyList<Record> Records => Sinks.Values.SelectMany(r => r).ToArray();

    /// <summary>Prints each sink's records as a table, then the dead letters and the counts.</summary>
    public void Show(int maxRows = 20)
    {
        foreach (var (sink, records) in Sinks)
        {
            if (Sinks.Count > 1) Console.WriteLine($"sink {sink}");
            Table.Show(records, maxRows);
        }
        if (DeadLetters.Count > 0)
        {
            Console.WriteLine("dead letters");
            Table.Show(DeadLetters, maxRows);
        }
        var counts = Report.Records;
        Console.WriteLine($"{(Report.Succeeded ? "succeeded" : "failed")}: read {counts.Read}, written {counts.Written}, dropped {counts.Dropped}, rejected {counts.Rejected}"
            + (Report.Error is { } e ? $"; {e.Kind}: {e.Message}" : ""));
    }
}
