using BenchmarkDotNet.Attributes;
using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Benchmarks;

/// <summary>Compiled expressions over decoded orders, W1's condition and total: row by row (the form that decides
/// rejections) and a whole batch at once (the form filter, derive and aggregate use first).</summary>
[MemoryDiagnoser]
public class ExpressionBenchmarks
{
    private Orders _orders = null!;
    private CompiledExpr _paidAndFive = null!;
    private CompiledExpr _total = null!;

    [GlobalSetup]
    public void Setup()
    {
        _orders = new Orders();
        _paidAndFive = Expressions.Expressions.Compile("""["and", ["=", ":status", "paid"], [">=", ":quantity", 5]]""", _orders.Fields);
        _total = Expressions.Expressions.Compile("""["round", ["*", ":quantity", ":unit_price", ["-", 1, ["coalesce", ":discount", 0]]], 2]""", _orders.Fields);
    }

    [GlobalCleanup]
    public void Cleanup() => _orders.Dispose();

    [Benchmark]
    public long Condition()
    {
        long kept = 0;
        foreach (var batch in _orders.Batches)
            for (int row = 0; row < batch.Count; row++)
                if (_paidAndFive.IsTrue(Row.Of(batch, row))) kept++;
        return kept;
    }

    [Benchmark]
    public long Total()
    {
        long nonNull = 0;
        foreach (var batch in _orders.Batches)
            for (int row = 0; row < batch.Count; row++)
                if (!_total.Eval(Row.Of(batch, row)).IsNull) nonNull++;
        return nonNull;
    }

    [Benchmark]
    public long ConditionWholeBatches()
    {
        long kept = 0;
        var holds = new bool[_orders.Batches.Max(b => b.Count)];
        foreach (var batch in _orders.Batches)
        {
            if (!_paidAndFive.TryTestAll(batch, holds)) throw new InvalidOperationException("a batch went row by row");
            for (int row = 0; row < batch.Count; row++)
                if (holds[row]) kept++;
        }
        return kept;
    }

    [Benchmark]
    public long TotalWholeBatches()
    {
        long nonNull = 0;
        var results = new Value[_orders.Batches.Max(b => b.Count)];
        foreach (var batch in _orders.Batches)
        {
            if (!_total.TryEvalAll(batch, results)) throw new InvalidOperationException("a batch went row by row");
            for (int row = 0; row < batch.Count; row++)
                if (!results[row].IsNull) nonNull++;
        }
        return nonNull;
    }
}
