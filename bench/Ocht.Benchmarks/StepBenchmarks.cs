using BenchmarkDotNet.Attributes;
using Ocht.Transforms;
using Ocht.Values;

namespace Ocht.Benchmarks;

/// <summary>Steps over every batch of the orders slice: filter, derive, W1's and W2's steps, aggregate.
/// Steps change the batches they get, so each iteration starts from fresh copies (not timed).</summary>
[MemoryDiagnoser]
public class StepBenchmarks
{
    private const string PaidAndFive = """{"op": "filter", "where": ["and", ["=", ":status", "paid"], [">=", ":quantity", 5]]}""";
    private const string Paid = """{"op": "filter", "where": ["=", ":status", "paid"]}""";
    private const string Total = """{"op": "derive", "fields": {"total": ["round", ["*", ":quantity", ":unit_price", ["-", 1, ["coalesce", ":discount", 0]]], 2]}}""";
    private const string W1Select = """{"op": "select", "fields": ["order_id", "country", "total"]}""";
    private const string W2Aggregate = """{"op": "aggregate", "by": ["country", "category"], "fields": {"count": ["count"], "sum_total": ["sum", ":total"], "avg_quantity": ["avg", ":quantity"], "max_unit_price": ["max", ":unit_price"]}}""";
    private const string W2Round = """{"op": "derive", "fields": {"avg_quantity": ["round", ":avg_quantity", 4]}}""";
    private const string W2Sort = """{"op": "sort", "by": [":country", ":category"]}""";
    private const string Aggregate = """{"op": "aggregate", "by": ["country", "category"], "fields": {"count": ["count"], "sum_price": ["sum", ":unit_price"], "avg_quantity": ["avg", ":quantity"], "max_unit_price": ["max", ":unit_price"]}}""";

    private readonly StepResources _resources = new() { BatchSize = Orders.BatchSize };
    private Orders _orders = null!;
    private Batch[] _input = [];
    private CompiledSteps _filter = null!, _derive = null!, _w1 = null!, _aggregate = null!, _w2 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _orders = new Orders();
        _filter = new CompiledSteps(_orders.Fields, PaidAndFive);
        _derive = new CompiledSteps(_orders.Fields, Total);
        _w1 = new CompiledSteps(_orders.Fields, PaidAndFive, Total, W1Select);
        _aggregate = new CompiledSteps(_orders.Fields, Aggregate);
        _w2 = new CompiledSteps(_orders.Fields, Paid, Total, W2Aggregate, W2Round, W2Sort);
    }

    [IterationSetup]
    public void CopyInput() => _input = _orders.Copy();

    [GlobalCleanup]
    public void Cleanup() => _orders.Dispose();

    [Benchmark]
    public long Filter() => _filter.Run(_input, _resources);

    [Benchmark]
    public long Derive() => _derive.Run(_input, _resources);

    /// <summary>Aggregate alone over every row (no derived total).</summary>
    [Benchmark]
    public long AggregateByCountryAndCategory() => _aggregate.Run(_input, _resources);

    [Benchmark]
    public long W1Steps() => _w1.Run(_input, _resources);

    [Benchmark]
    public long W2Steps() => _w2.Run(_input, _resources);
}
