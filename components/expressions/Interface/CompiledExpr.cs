using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>An expression compiled once per run. Thread-safe: batches may be evaluated in parallel.</summary>
public sealed class CompiledExpr
{
    private readonly Evaluator _root;

    internal CompiledExpr(Expr source, Evaluator root)
    {
        Source = source;
        _root = root;
    }

    public Expr Source { get; }

    /// <summary>True when the expression folded to a constant at compile time.</summary>
    public bool IsConstant => _root.IsConstant;

    /// <summary>The field this expression reads when it is a bare field reference.</summary>
    public string? Field => _root.Field;

    /// <summary>The top-level field when the expression is nothing but a reference to it (no path).</summary>
    public string? PlainField => _root is FieldEval ? _root.Field : null;

    /// <summary>Evaluates against one record; throws <see cref="EvalException"/> when the record must be rejected.</summary>
    public Value Eval(in Row row) => _root.Eval(row);

    public Value Eval(Record record) => _root.Eval(Row.Of(record));

    /// <summary>
    /// Evaluates every row of the batch at once into <paramref name="results"/> (one per row), at a fraction
    /// of the cost of row by row. False when some row fails (results are then unspecified): the caller
    /// evaluates row by row, which rejects exactly the failing records, with their reasons.
    /// </summary>
    public bool TryEvalAll(Batch batch, Span<Value> results)
    {
        int n = batch.Count;
        if (n == 0) return true;
        if (!BlockWorthTrying) return false;
        results = results[..n];
        var scratch = BlockScratch.Enter(n);
        try
        {
            var column = _root.EvalBlock(new RowBlock(batch.Schema, batch.Cells, n), scratch);
            for (int i = 0; i < results.Length; i++) results[i] = column[i];
        }
        catch (EvalException)
        {
            _blockFailures++;
            return false;
        }
        finally
        {
            scratch.Exit();
        }
        _blockSuccesses++;
        return true;
    }

    /// <summary>
    /// Evaluates every row of the batch at once and stores each result in the row's cell at
    /// <paramref name="slot"/> (after every row is evaluated, so the expression may read that cell). False
    /// when some row fails, and then no cell has changed: the caller evaluates row by row.
    /// </summary>
    public bool TryEvalInto(Batch batch, int slot)
    {
        int n = batch.Count;
        if (n == 0) return true;
        if (!BlockWorthTrying) return false;
        var scratch = BlockScratch.Enter(n);
        try
        {
            var column = _root.EvalBlock(new RowBlock(batch.Schema, batch.Cells, n), scratch);
            for (int i = 0; i < n; i++) batch.RowForUpdate(i)[slot] = column[i];
        }
        catch (EvalException)
        {
            _blockFailures++;
            return false;
        }
        finally
        {
            scratch.Exit();
        }
        _blockSuccesses++;
        return true;
    }

    /// <summary><see cref="IsTrue"/> for every row of the batch at once (comparisons and and/or straight to flags,
    /// with no values in between); false (flags unspecified) when some row fails or gives something other than
    /// true, false or null: the caller then tests row by row.</summary>
    public bool TryTestAll(Batch batch, Span<bool> holds)
    {
        int n = batch.Count;
        if (n == 0) return true;
        if (!BlockWorthTrying) return false;
        holds = holds[..n];
        var scratch = BlockScratch.Enter(n);
        try
        {
            _root.TruthBlock(new RowBlock(batch.Schema, batch.Cells, n), scratch, holds);
        }
        catch (EvalException)
        {
            _blockFailures++;
            return false;
        }
        finally
        {
            scratch.Exit();
        }
        _blockSuccesses++;
        return true;
    }

    // Counted without synchronisation (a lost update only delays the decision). An expression that fails
    // on most batches (a guard such as ["and", [">", ":d", 0], ["<", ["/", 1, ":d"], 2]] over data with
    // zeros) would pay for each block it abandons, so after a few failures it stays row by row unless
    // blocks mostly succeed.
    private int _blockSuccesses, _blockFailures;
    private bool BlockWorthTrying => _blockFailures < 8 || _blockFailures * 8 <= _blockSuccesses;

    /// <summary>A predicate holds only when the result is exactly true (null and false do not).</summary>
    public bool IsTrue(in Row row)
    {
        var v = _root.Eval(row);
        if (v.Kind == ValueKind.Bool) return v.AsBool;
        if (v.IsNull) return false;
        throw EvalException.Type($"a condition must be true, false or null, but {Source} gave {Show.Value(v)}");
    }

    public override string ToString() => Source.ToJson();
}
