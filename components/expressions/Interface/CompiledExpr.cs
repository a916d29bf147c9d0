using System.Runtime.CompilerServices;
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
    /// Evaluates every row of the batch at once into <paramref name="results"/> (one per row): each node runs
    /// once per block of rows, fields are read where they are. False when some row fails (results are then
    /// unspecified): the caller evaluates row by row, which rejects exactly the failing records, with their reasons.
    /// </summary>
    public bool TryEvalAll(Batch batch, Span<Value> results) => TryBlocks(batch, new ToValues(results));

    /// <summary>
    /// Evaluates every row of the batch at once and stores each result in the row's cell at
    /// <paramref name="slot"/> (a block's cells after the whole block is evaluated, so the expression may read
    /// that cell). False when some row fails: cells of rows before it may already hold results, and the
    /// caller evaluates row by row.
    /// </summary>
    public bool TryEvalInto(Batch batch, int slot) => TryBlocks(batch, new ToSlot(batch, slot));

    /// <summary><see cref="IsTrue"/> for every row of the batch at once (comparisons and and/or straight to flags,
    /// with no values in between); false (flags unspecified) when some row fails or gives something other than
    /// true, false or null: the caller then tests row by row.</summary>
    public bool TryTestAll(Batch batch, Span<bool> holds) => TryBlocks(batch, new ToFlags(holds));

    // Rows per block: a result column of 2,048 values (48 KB) stays off the large-object heap and in cache.
    private const int BlockRows = 2048;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryBlocks<TTarget>(Batch batch, TTarget target) where TTarget : IBlockTarget, allows ref struct
    {
        int n = batch.Count;
        if (n == 0) return true;
        if (!BlockWorthTrying) return false;
        var cells = batch.Cells;
        int stride = batch.Stride;
        var scratch = BlockScratch.Enter(Math.Min(n, BlockRows));
        try
        {
            for (int start = 0; start < n; start += BlockRows)
            {
                int rows = Math.Min(BlockRows, n - start);
                scratch.Next(rows);
                target.Take(_root, new RowBlock(batch.Schema, cells.Slice(start * stride, rows * stride), rows, stride), scratch, start);
            }
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

    /// <summary>Where a block's results go.</summary>
    private interface IBlockTarget
    {
        void Take(Evaluator root, in RowBlock rows, BlockScratch scratch, int start);
    }

    private readonly ref struct ToValues(Span<Value> results) : IBlockTarget
    {
        private readonly Span<Value> _results = results;

        public void Take(Evaluator root, in RowBlock rows, BlockScratch scratch, int start)
        {
            var column = root.EvalBlock(rows, scratch);
            var results = _results.Slice(start, rows.Count);
            for (int i = 0; i < results.Length; i++) results[i] = column[i];
        }
    }

    private readonly struct ToSlot(Batch batch, int slot) : IBlockTarget
    {
        public void Take(Evaluator root, in RowBlock rows, BlockScratch scratch, int start)
        {
            int stride = batch.Stride;
            var cells = batch.CellsForUpdate.Slice(start * stride + slot, (rows.Count - 1) * stride + 1);
            if (root.TryEvalBlockInto(rows, scratch, cells, stride)) return;
            var column = root.EvalBlock(rows, scratch);
            for (int i = 0; i < rows.Count; i++) cells[i * stride] = column[i];
        }
    }

    private readonly ref struct ToFlags(Span<bool> holds) : IBlockTarget
    {
        private readonly Span<bool> _holds = holds;

        public void Take(Evaluator root, in RowBlock rows, BlockScratch scratch, int start) =>
            root.TruthBlock(rows, scratch, _holds.Slice(start, rows.Count));
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
