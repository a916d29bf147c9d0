using BenchmarkDotNet.Attributes;
using Ocht.Spill;
using Ocht.Transforms;
using Ocht.Values;

namespace Ocht.Benchmarks;

/// <summary>
/// W3's sort by (country, ts, order_id): in memory, and with a budget of about an eighth of the data so
/// it spills sorted runs to temp files. SpillRuns stops before the end of input (run generation only);
/// SpillRunsAndMerge also merges, so the difference between the two is the merge.
/// </summary>
[MemoryDiagnoser]
public class SortBenchmarks
{
    private const string W3Sort = """{"op": "sort", "by": [":country", ":ts", ":order_id"]}""";
    private const int Runs = 8;

    private Orders _orders = null!;
    private CompiledSteps _sort = null!;
    private StepResources _inMemory = null!, _spilling = null!;
    private Batch[] _input = [];

    [GlobalSetup]
    public void Setup()
    {
        _orders = new Orders();
        _sort = new CompiledSteps(_orders.Fields, W3Sort);
        long bytes = _orders.Batches.Sum(b => Enumerable.Range(0, b.Count).Sum(row => MemoryEstimate.OfRow(b.Row(row))));
        _inMemory = new StepResources { BatchSize = Orders.BatchSize, MemoryBudgetBytes = long.MaxValue };
        _spilling = new StepResources
        {
            BatchSize = Orders.BatchSize,
            MemoryBudgetBytes = bytes / Runs,
            Spill = SpillStores.TempFiles(_orders.Folder),
        };
    }

    [IterationSetup]
    public void CopyInput() => _input = _orders.Copy();

    [GlobalCleanup]
    public void Cleanup() => _orders.Dispose();

    [Benchmark]
    public long InMemory() => _sort.Run(_input, _inMemory);

    [Benchmark]
    public void SpillRuns() => _sort.Feed(_input, _spilling);

    [Benchmark]
    public long SpillRunsAndMerge() => _sort.Run(_input, _spilling);
}
