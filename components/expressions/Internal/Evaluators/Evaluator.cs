using System.Runtime.CompilerServices;
using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>A compiled expression node. Built once per run; evaluated per record with no allocation
/// beyond the values it produces.</summary>
internal abstract class Evaluator
{
    public abstract Value Eval(in Row row);

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

internal sealed class ConstEval(Value value) : Evaluator
{
    public Value Value { get; } = value;
    public override Value Eval(in Row row) => Value;
    public override bool IsConstant => true;
}

/// <summary>Reads a top-level field. The slot is cached per schema: records of one schema (every CSV
/// row, most JSONL lines) pay one reference comparison, not a name lookup.</summary>
internal sealed class FieldEval(string name) : Evaluator
{
    private sealed record Slot(Schema Schema, int Index);

    private Slot _slot = new(Schema.Empty, -1);

    public override string? Field => name;

    public override Value Eval(in Row row)
    {
        var slot = _slot;
        if (!ReferenceEquals(slot.Schema, row.Schema))
            _slot = slot = new Slot(row.Schema, row.Schema.IndexOf(name));
        return slot.Index >= 0 ? row.Cells[slot.Index] : Value.Null;
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
}
