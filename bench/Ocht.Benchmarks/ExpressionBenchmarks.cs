using BenchmarkDotNet.Attributes;
using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Benchmarks;

/// <summary>Compiled expressions evaluated row by row over decoded orders: W1's condition and total.</summary>
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
}
