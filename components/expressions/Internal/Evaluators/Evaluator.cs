using System.Runtime.CompilerServices;
using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>A compiled expression node. Built once per run; evaluated per record with no allocation
/// beyond the values it produces.</summary>
internal abstract class Evaluator
{
    public abstract Value Eval(in Row row);

    /// <summary>Evaluates every row of the block. Throws <see cref="EvalException"/> when some row fails,
    /// possibly one the row-by-row form would not reach (lazy forms evaluate every row here); the caller
    /// then evaluates the block row by row, which decides exactly which records fail and why.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public virtual Column EvalBlock(in RowBlock rows, BlockScratch scratch)
    {
        var results = scratch.Rent();
        for (int i = 0; i < results.Length; i++) results[i] = Eval(rows.Row(i));
        return Column.Of(results);
    }

    /// <summary><see cref="EvalBlock"/> written straight to <paramref name="cells"/>[row × <paramref name="stride"/>] (a batch's
    /// field) when this node builds its values itself (the scaled form); false, writing nothing, otherwise.</summary>
    public virtual bool TryEvalBlockInto(in RowBlock rows, BlockScratch scratch, Span<Value> cells, int stride) => false;

    /// <summary>For conditions: whether each row of the block gives exactly true. Throws as <see cref="EvalBlock"/>
    /// does, and also when some row gives something other than true, false or null. A condition with a fused form
    /// (<see cref="FuseTruth"/>) runs it; this default otherwise reads the node's values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public virtual void TruthBlock(in RowBlock rows, BlockScratch scratch, Span<bool> truth)
    {
        if (TryFusedTruth(rows, truth)) return;
        var column = EvalBlock(rows, scratch);
        for (int i = 0; i < truth.Length; i++)
        {
            ref readonly var v = ref column[i];
            if (v.Kind == ValueKind.Bool) truth[i] = v.AsBool;
            else if (v.IsNull) truth[i] = false;
            else throw EvalException.Type($"a condition must be true, false or null, not {Show.Kind(v.Kind)}");
        }
    }

    /// <summary>Whether this node is worth evaluating in scaled form (<see cref="Fuse"/>): fields, number
    /// constants, and the arithmetic, round and coalesce nodes over them.</summary>
    public virtual bool Scalable => false;

    /// <summary>This node in fused scaled form, <paramref name="depth"/> levels below the sub-tree's root (see
    /// <see cref="IScaledNode"/>). This default evaluates the node by its row form.</summary>
    public virtual FusedNode Fuse(int depth) => FusedNode.Of(new EvaluatedNode(this));

    /// <summary>This condition in fused form (<see cref="ITruthNode"/>), <paramref name="depth"/> levels below the
    /// condition's root; null when it has none (it then keeps its block form).</summary>
    public virtual FusedNode? FuseTruth(int depth) => null;

    private FusedTruth? _fusedTruth;

    /// <summary>The block through this condition's fused loop (built on first use); false when it has none.</summary>
    protected bool TryFusedTruth(in RowBlock rows, Span<bool> truth) => (_fusedTruth ??= FusedTruth.For(this)).TryTest(rows, truth);

    /// <summary>This operand of a comparison in fused form (<see cref="IValueNode"/>): fields and constants.</summary>
    public virtual FusedNode? FuseValue() => null;

    /// <summary>The field this node reads directly, for messages ("... (field "quantity")").</summary>
    public virtual string? Field => null;

    public virtual bool IsConstant => false;
}

/// <summary>Room for up to eight evaluated arguments on the stack.</summary>
[InlineArray(8)]
internal struct ArgBuffer
{
    private Value _element;
}

/// <summary>The gathered argument columns of one block.</summary>
[InlineArray(8)]
internal struct ArgColumns
{
    private Value[] _element;
}

internal sealed class ConstEval(Value value) : Evaluator
{
    private readonly Value[] _cell = [value];

    public Value Value { get; } = value;
    public override Value Eval(in Row row) => Value;
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Column EvalBlock(in RowBlock rows, BlockScratch scratch) => new(in _cell[0], 0);
    public override bool IsConstant => true;
    public override bool Scalable { get; } = FieldNode.ScaledForm(value, out _, out _) != ScaledTag.Other;
    public override FusedNode Fuse(int depth) => FusedNode.Of(new ConstNode(Value));
    public override FusedNode? FuseValue() => FusedNode.Of(new ConstValue(Value));

    public override FusedNode? FuseTruth(int depth) => Value.Kind switch
    {
        ValueKind.Null => FusedNode.Of(new ConstTruth(Truth.Null)),
        ValueKind.Bool => FusedNode.Of(new ConstTruth(Value.AsBool ? Truth.True : Truth.False)),
        _ => null,
    };
}

/// <summary>Reads a top-level field. The slot is cached per schema: records of one schema (every CSV
/// row, most JSONL lines) pay one reference comparison, not a name lookup.</summary>
internal sealed class FieldEval(string name) : Evaluator
{
    private sealed record Slot(Schema Schema, int Index);

    private Slot _slot = new(Schema.Empty, -1);

    public override string? Field => name;
    public override bool Scalable => true;
    public override FusedNode Fuse(int depth) => FusedNode.Of(new FieldNode(name));
    public override FusedNode? FuseValue() => FusedNode.Of(new FieldValue(name));

    public override Value Eval(in Row row)
    {
        int slot = SlotIn(row.Schema);
        return slot >= 0 ? row.Cells[slot] : Value.Null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Column EvalBlock(in RowBlock rows, BlockScratch scratch)
    {
        int slot = SlotIn(rows.Schema);
        return slot >= 0 ? new Column(in rows.Cells[slot], rows.Stride) : Column.Nulls;
    }

    private int SlotIn(Schema schema)
    {
        var slot = _slot;
        if (!ReferenceEquals(slot.Schema, schema))
            _slot = slot = new Slot(schema, schema.IndexOf(name));
        return slot.Index;
    }
}

/// <summary>":a.b.c": a field, then keys of nested maps. A missing key or a null on the way gives null.</summary>
internal sealed class PathEval(FieldEval head, string[] path) : Evaluator
{
    public override string? Field => string.Join(".", path);

    public override Value Eval(in Row row)
    {
        var v = head.Eval(row);
        for (int i = 1; i < path.Length; i++)
        {
            if (v.IsNull) return v;
            if (v.Kind != ValueKind.Map)
                throw EvalException.Type($"\":{Field}\" cannot be read: \"{string.Join(".", path[..i])}\" is {Show.Value(v)}, not a map");
            v.AsMap.TryGet(path[i], out v);
        }
        return v;
    }
}

/// <summary>A strict function: evaluate every argument, then apply the reference semantics.</summary>
internal sealed class CallEval(FunctionDef function, Evaluator[] args) : Evaluator
{
    public override FusedNode? FuseTruth(int depth) => FusedTruth.Call(function, args, depth);

    public override Value Eval(in Row row)
    {
        var buffer = new ArgBuffer();
        Span<Value> values = args.Length <= 8 ? buffer[..args.Length] : new Value[args.Length];
        for (int i = 0; i < args.Length; i++)
            values[i] = args[i].Eval(row);
        try
        {
            return function.Apply!(values);
        }
        catch (EvalException e) when (e.Operand is int i && i < args.Length && args[i].Field is { } field && e.Field is null)
        {
            throw e.WithField(field);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Column EvalBlock(in RowBlock rows, BlockScratch scratch)
    {
        if (args.Length > 8) return base.EvalBlock(rows, scratch);
        // Columns are stack-only and cannot be kept side by side, so each argument is gathered into scratch.
        var columns = new ArgColumns();
        for (int a = 0; a < args.Length; a++)
        {
            var column = args[a].EvalBlock(rows, scratch);
            var gathered = scratch.RentArray();
            for (int i = 0; i < rows.Count; i++) gathered[i] = column[i];
            columns[a] = gathered;
        }
        var results = scratch.Rent();
        var buffer = new ArgBuffer();
        Span<Value> values = buffer[..args.Length];
        for (int i = 0; i < results.Length; i++)
        {
            for (int a = 0; a < values.Length; a++) values[a] = columns[a][i];
            results[i] = function.Apply!(values);
        }
        return Column.Of(results);
    }
}
