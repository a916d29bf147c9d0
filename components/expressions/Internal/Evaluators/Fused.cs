using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>
/// One node of a numeric sub-tree in fused form: a struct whose children are fields of generic types, so a whole
/// sub-tree is one type and the JIT inlines every node's <see cref="Eval"/> into one loop over the block: no
/// column between nodes, no virtual call per node and row, every intermediate in registers. Nodes never throw: a
/// row a node cannot hold exactly is <see cref="ScaledTag.Other"/>, which the sub-tree's root hands to the row form.
/// </summary>
internal interface IScaledNode : IBindable
{
    /// <summary>The node's value on the row whose first cell is <paramref name="row"/>: a tag, and for
    /// <see cref="ScaledTag.Int"/> and <see cref="ScaledTag.Decimal"/> a mantissa and decimal scale.</summary>
    ScaledTag Eval(ref readonly Value row, out long mantissa, out int scale);
}

/// <summary>A fused node (<see cref="IScaledNode"/>, <see cref="ITruthNode"/>), which reads fields by their slots.</summary>
internal interface IBindable
{
    /// <summary>Looks up the slots of the fields read, in records of <paramref name="schema"/>.</summary>
    void Bind(Schema schema);
}

/// <summary>The two operands of a fused node, bound together.</summary>
internal struct Operands<TFirst, TSecond>(TFirst first, TSecond second) : IBindable
    where TFirst : struct, IBindable where TSecond : struct, IBindable
{
    public TFirst First = first;
    public TSecond Second = second;

    public void Bind(Schema schema)
    {
        First.Bind(schema);
        Second.Bind(schema);
    }
}

/// <summary>A fused node bound to the slots of the schema its loop last met; the threads running the loop share it.</summary>
internal sealed class SchemaBound<TNode>(TNode unbound) where TNode : struct, IBindable
{
    /// <summary>The node with its slots for one schema. A loop calls the node where it lies here: a copy in a
    /// local would be copied again per row, as the JIT does not keep a struct this large in registers.</summary>
    public sealed class Bound(Schema schema, TNode node)
    {
        public readonly Schema Schema = schema;
        public TNode Node = node;
    }

    private Bound _bound = new(Schema.Empty, unbound);

    public Bound For(Schema schema)
    {
        var bound = _bound;
        if (ReferenceEquals(bound.Schema, schema)) return bound;
        var rebound = unbound;
        rebound.Bind(schema);
        return _bound = new Bound(schema, rebound);
    }
}

/// <summary>"+", "-" and "*" on mantissas and scales (the rules of <see cref="Numbers"/>).</summary>
internal interface IScaledOp
{
    /// <summary>Int with int; false on overflow (which the row form reports).</summary>
    static abstract bool TryInts(long a, long b, out long result);
    static abstract bool TryScaled(long ma, int sa, long mb, int sb, out long result, out int scale);
}

/// <summary>A fused sub-tree (<see cref="IScaledNode"/>, <see cref="ITruthNode"/>): its type, and the node (boxed) with its constants.</summary>
internal readonly record struct FusedNode(Type Type, object Node)
{
    /// <summary>Sub-trees deeper than this are evaluated by the row form inside the loop: the JIT stops
    /// inlining at about 20 levels, and a type nested further only grows its name.</summary>
    public const int MaxDepth = 12;

    public static FusedNode Of<TNode>(TNode node) where TNode : struct => new(typeof(TNode), node);

    /// <summary>A node of the generic <paramref name="definition"/> over these children (built once per run).</summary>
    public static FusedNode Make(Type definition, Type[] typeArguments, params object[] arguments)
    {
        var type = definition.MakeGenericType(typeArguments);
        return new(type, Activator.CreateInstance(type, arguments)!);
    }

    /// <summary>The child's node, or past <see cref="MaxDepth"/> the child's row form.</summary>
    public static FusedNode Child(Evaluator child, int depth) =>
        depth >= MaxDepth ? Of(new EvaluatedNode(child)) : child.Fuse(depth + 1);
}

internal struct FieldNode(string name) : IScaledNode
{
    private int _slot = -1;

    public void Bind(Schema schema) => _slot = schema.IndexOf(name);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ScaledTag Eval(ref readonly Value row, out long mantissa, out int scale)
    {
        mantissa = 0;
        scale = 0;
        if (_slot < 0) return ScaledTag.Null;
        return ScaledForm(in Unsafe.Add(ref Unsafe.AsRef(in row), _slot), out mantissa, out scale);
    }

    /// <summary>A value's scaled form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScaledTag ScaledForm(in Value v, out long mantissa, out int scale)
    {
        mantissa = 0;
        scale = 0;
        switch (v.Kind)
        {
            case ValueKind.Null: return ScaledTag.Null;
            case ValueKind.Int: mantissa = v.AsInt; return ScaledTag.Int;
            case ValueKind.Decimal: return v.TryGetScaled(out mantissa, out scale) ? ScaledTag.Decimal : ScaledTag.Other;
            default: return ScaledTag.Other;
        }
    }
}

internal readonly struct ConstNode : IScaledNode
{
    private readonly ScaledTag _tag;
    private readonly long _mantissa;
    private readonly int _scale;

    public ConstNode(Value value) => _tag = FieldNode.ScaledForm(value, out _mantissa, out _scale);

    public void Bind(Schema schema) { }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ScaledTag Eval(ref readonly Value row, out long mantissa, out int scale)
    {
        mantissa = _mantissa;
        scale = _scale;
        return _tag;
    }
}

/// <summary>Null if either side is null; int with int stays int; otherwise the scaled decimal rules. An overflow,
/// or anything the scaled form does not hold, is <see cref="ScaledTag.Other"/>.</summary>
internal struct ArithmeticNode<TOp, TLeft, TRight>(TLeft left, TRight right) : IScaledNode
    where TOp : struct, IScaledOp where TLeft : struct, IScaledNode where TRight : struct, IScaledNode
{
    private Operands<TLeft, TRight> _operands = new(left, right);

    public void Bind(Schema schema) => _operands.Bind(schema);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ScaledTag Eval(ref readonly Value row, out long mantissa, out int scale)
    {
        var a = _operands.First.Eval(in row, out long ma, out int sa);
        var b = _operands.Second.Eval(in row, out long mb, out int sb);
        mantissa = 0;
        scale = 0;
        if (a == ScaledTag.Other || b == ScaledTag.Other) return ScaledTag.Other;
        if (a == ScaledTag.Null || b == ScaledTag.Null) return ScaledTag.Null;
        if (a == ScaledTag.Int && b == ScaledTag.Int) return TOp.TryInts(ma, mb, out mantissa) ? ScaledTag.Int : ScaledTag.Other;
        return TOp.TryScaled(ma, sa, mb, sb, out mantissa, out scale) ? ScaledTag.Decimal : ScaledTag.Other;
    }
}

/// <summary>["round", x, digits]: an int keeps its value when rounded to places; to tens and beyond, and
/// past 28 places, the row form decides.</summary>
internal struct RoundNode<TValue>(TValue value, long digits) : IScaledNode where TValue : struct, IScaledNode
{
    private TValue _value = value;
    private readonly int _digits = digits is >= 0 and <= 28 ? (int)digits : -1;

    public void Bind(Schema schema) => _value.Bind(schema);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ScaledTag Eval(ref readonly Value row, out long mantissa, out int scale)
    {
        var tag = _value.Eval(in row, out mantissa, out scale);
        if (tag == ScaledTag.Int) return _digits >= 0 ? ScaledTag.Int : ScaledTag.Other;
        if (tag != ScaledTag.Decimal) return tag;
        if (_digits < 0 || !Numbers.TryRoundScaled(mantissa, scale, _digits, out mantissa)) return ScaledTag.Other;
        scale = _digits;
        return ScaledTag.Decimal;
    }
}

internal struct CoalesceNode<TFirst, TSecond>(TFirst first, TSecond second) : IScaledNode
    where TFirst : struct, IScaledNode where TSecond : struct, IScaledNode
{
    private Operands<TFirst, TSecond> _operands = new(first, second);

    public void Bind(Schema schema) => _operands.Bind(schema);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ScaledTag Eval(ref readonly Value row, out long mantissa, out int scale)
    {
        var tag = _operands.First.Eval(in row, out mantissa, out scale);
        return tag != ScaledTag.Null ? tag : _operands.Second.Eval(in row, out mantissa, out scale);
    }
}

/// <summary>A sub-tree past <see cref="FusedNode.MaxDepth"/>, evaluated by its row form; an error is
/// <see cref="ScaledTag.Other"/>, so the root's row form meets it again and reports it.</summary>
internal struct EvaluatedNode(Evaluator evaluator) : IScaledNode
{
    private Schema _schema = Schema.Empty;

    public void Bind(Schema schema) => _schema = schema;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public readonly ScaledTag Eval(ref readonly Value row, out long mantissa, out int scale)
    {
        Value value;
        try
        {
            value = evaluator.Eval(new Row(_schema, MemoryMarshal.CreateReadOnlySpan(in row, _schema.Width)));
        }
        catch (EvalException)
        {
            mantissa = 0;
            scale = 0;
            return ScaledTag.Other;
        }
        return FieldNode.ScaledForm(value, out mantissa, out scale);
    }
}

/// <summary>A numeric sub-tree fused into one loop per block.</summary>
internal abstract class FusedScaled
{
    /// <summary>Each row's value written to <paramref name="cells"/>[row × <paramref name="stride"/>], built in its cell;
    /// rows the scaled form leaves are evaluated by <paramref name="root"/>'s row form. Returns how many left it.</summary>
    public abstract int WriteInto(Evaluator root, in RowBlock rows, Span<Value> cells, int stride);

    public static FusedScaled For(Evaluator root)
    {
        var node = root.Fuse(0);
        return (FusedScaled)Activator.CreateInstance(typeof(FusedScaled<>).MakeGenericType(node.Type), node.Node)!;
    }
}

internal sealed class FusedScaled<TNode>(TNode node) : FusedScaled where TNode : struct, IScaledNode
{
    private readonly SchemaBound<TNode> _node = new(node);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int WriteInto(Evaluator root, in RowBlock rows, Span<Value> cells, int stride)
    {
        int others = 0, count = rows.Count, rowStride = rows.Stride;
        if (count == 0) return 0;
        // Checked once here, so the loop reads and writes without a bounds check per row.
        rows.CheckCells();
        if ((long)(count - 1) * stride >= cells.Length) throw new ArgumentOutOfRangeException(nameof(cells), "fewer cells than the block has rows");
        var bound = _node.For(rows.Schema);
        ref var row = ref MemoryMarshal.GetReference(rows.Cells);
        ref var cell = ref MemoryMarshal.GetReference(cells);
        for (int i = 0; i < count; i++)
        {
            ref var into = ref Unsafe.Add(ref cell, (nint)i * stride);
            switch (bound.Node.Eval(in Unsafe.Add(ref row, (nint)i * rowStride), out long mantissa, out int scale))
            {
                case ScaledTag.Null: into = default; break;
                case ScaledTag.Int: into = Value.FromInt(mantissa); break;
                case ScaledTag.Decimal:
                    if (scale <= 28 && mantissa != long.MinValue) into = Value.FromScaledExact(mantissa, scale);
                    else into = Value.FromScaled(mantissa, scale);
                    break;
                default:
                    others++;
                    into = root.Eval(rows.Row(i));
                    break;
            }
        }
        return others;
    }
}
