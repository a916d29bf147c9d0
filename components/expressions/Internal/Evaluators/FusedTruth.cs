using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>A condition's three values on one row.</summary>
internal enum Truth : byte
{
    False,
    True,
    Null,
}

/// <summary>
/// A condition in fused form (comparisons, is-null, in, between and other functions of fields and constants, not, and /
/// or of any number of operands; constants true, false and null): as <see cref="IScaledNode"/>, one struct type the JIT
/// inlines into one loop per block. A node follows the row form exactly, short-circuit included, and throws where the
/// row form throws (the caller then goes row by row).
/// </summary>
internal interface ITruthNode : IBindable
{
    Truth Test(ref readonly Value row);
}

/// <summary>An operand of a fused comparison, read where it lies (no copy of the value).</summary>
internal interface IValueNode : IBindable
{
    ref readonly Value Get(ref readonly Value row);
}

internal struct FieldValue(string name) : IValueNode
{
    private int _slot = -1;

    public void Bind(Schema schema) => _slot = schema.IndexOf(name);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ref readonly Value Get(ref readonly Value row) =>
        ref _slot < 0 ? ref Value.Null : ref Unsafe.Add(ref Unsafe.AsRef(in row), _slot);
}

internal readonly struct ConstValue(Value value) : IValueNode
{
    private readonly Value[] _cell = [value];

    public void Bind(Schema schema) { }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref readonly Value Get(ref readonly Value row) => ref MemoryMarshal.GetArrayDataReference(_cell);
}

internal struct CompareNode<TLeft, TRight>(string op, TLeft left, TRight right) : ITruthNode
    where TLeft : struct, IValueNode where TRight : struct, IValueNode
{
    private readonly CompareRule _rule = new(op);
    private Operands<TLeft, TRight> _operands = new(left, right);

    public void Bind(Schema schema) => _operands.Bind(schema);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Truth Test(ref readonly Value row)
    {
        ref readonly var x = ref _operands.First.Get(in row);
        ref readonly var y = ref _operands.Second.Get(in row);
        if (_rule.TryCompareAlike(x, y, out bool holds)) return holds ? Truth.True : Truth.False;
        return Apply(op, x, y);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Truth Apply(string op, in Value x, in Value y)
    {
        var v = Comparisons.Apply(op, x, y);
        if (v.IsNull) return Truth.Null;
        if (v.Kind == ValueKind.Bool) return v.AsBool ? Truth.True : Truth.False;
        throw EvalException.Type($"a comparison gave {Show.Kind(v.Kind)}, not true, false or null");
    }
}

/// <summary>A comparison of numeric sub-trees in scaled form (arithmetic of fields and number constants on either side).
/// A row either side cannot hold exactly (text, a float, past 63 bits), or whose scales cannot meet in 63 bits, is
/// compared by the comparison's row form.</summary>
internal struct ScaledCompareNode<TLeft, TRight>(Evaluator comparison, string op, TLeft left, TRight right) : ITruthNode
    where TLeft : struct, IScaledNode where TRight : struct, IScaledNode
{
    private readonly CompareRule _rule = new(op);
    private Operands<TLeft, TRight> _operands = new(left, right);
    private Schema _schema = Schema.Empty;

    public void Bind(Schema schema)
    {
        _operands.Bind(schema);
        _schema = schema;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Truth Test(ref readonly Value row)
    {
        var a = _operands.First.Eval(in row, out long ma, out int sa);
        var b = _operands.Second.Eval(in row, out long mb, out int sb);
        if (a == ScaledTag.Other || b == ScaledTag.Other) return RowForm(in row);
        if (a == ScaledTag.Null || b == ScaledTag.Null) return Truth.Null;
        if (sa < sb && !Numbers.TryRescale(ma, sb - sa, out ma)) return RowForm(in row);
        if (sb < sa && !Numbers.TryRescale(mb, sa - sb, out mb)) return RowForm(in row);
        return _rule.Holds(ma.CompareTo(mb)) ? Truth.True : Truth.False;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly Truth RowForm(ref readonly Value row)
    {
        var v = comparison.Eval(new Row(_schema, MemoryMarshal.CreateReadOnlySpan(in row, _schema.Width)));
        if (v.IsNull) return Truth.Null;
        return v.AsBool ? Truth.True : Truth.False;
    }
}

/// <summary>An operand of "and", "or" or "not" that has no fused form, evaluated by its row form inside the loop, so the
/// operands around it still stop at the first that decides, as the row form does.</summary>
internal struct EvaluatedTruthNode(Evaluator condition) : ITruthNode
{
    private Schema _schema = Schema.Empty;

    public void Bind(Schema schema) => _schema = schema;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public readonly Truth Test(ref readonly Value row)
    {
        var v = condition.Eval(new Row(_schema, MemoryMarshal.CreateReadOnlySpan(in row, _schema.Width)));
        if (v.IsNull) return Truth.Null;
        if (v.Kind == ValueKind.Bool) return v.AsBool ? Truth.True : Truth.False;
        throw EvalException.Type($"a condition must be true, false or null, not {Show.Kind(v.Kind)}");
    }
}

/// <summary>A constant condition (one folded at compile time).</summary>
internal readonly struct ConstTruth(Truth truth) : ITruthNode
{
    public void Bind(Schema schema) { }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Truth Test(ref readonly Value row) => truth;
}

/// <summary>Two-operand and / or as <see cref="AndOrEval"/>'s row form: the right side is tested only when the left
/// does not decide.</summary>
internal struct AndOrNode<TLeft, TRight>(bool and, TLeft left, TRight right) : ITruthNode
    where TLeft : struct, ITruthNode where TRight : struct, ITruthNode
{
    private readonly Truth _decides = and ? Truth.False : Truth.True, _otherwise = and ? Truth.True : Truth.False;
    private Operands<TLeft, TRight> _operands = new(left, right);

    public void Bind(Schema schema) => _operands.Bind(schema);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Truth Test(ref readonly Value row)
    {
        var a = _operands.First.Test(in row);
        if (a == _decides) return a;
        var b = _operands.Second.Test(in row);
        if (b == _decides) return b;
        return a == Truth.Null || b == Truth.Null ? Truth.Null : _otherwise;
    }
}

/// <summary>["not", a] over a fused condition: null stays null.</summary>
internal struct NotNode<TCondition>(TCondition condition) : ITruthNode where TCondition : struct, ITruthNode
{
    private TCondition _condition = condition;

    public void Bind(Schema schema) => _condition.Bind(schema);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Truth Test(ref readonly Value row) => _condition.Test(in row) switch
    {
        Truth.True => Truth.False,
        Truth.False => Truth.True,
        _ => Truth.Null,
    };
}

/// <summary>["is-null", x].</summary>
internal struct IsNullNode<TValue>(TValue value) : ITruthNode where TValue : struct, IValueNode
{
    private TValue _value = value;

    public void Bind(Schema schema) => _value.Bind(schema);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Truth Test(ref readonly Value row) => _value.Get(in row).IsNull ? Truth.True : Truth.False;
}

/// <summary>["in", x, v1, v2, ...] with constant values, by <see cref="Comparisons.In(in Value, ReadOnlySpan{Value})"/>.</summary>
internal struct InNode<TValue>(TValue value, Value[] candidates) : ITruthNode where TValue : struct, IValueNode
{
    private TValue _value = value;

    public void Bind(Schema schema) => _value.Bind(schema);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Truth Test(ref readonly Value row)
    {
        var found = Comparisons.In(in _value.Get(in row), candidates);
        return found.IsNull ? Truth.Null : found.AsBool ? Truth.True : Truth.False;
    }
}

/// <summary>["between", x, low, high] as <see cref="Comparisons.Between"/>: both ends compared (the function is strict), then
/// three-valued and.</summary>
internal struct BetweenNode<TValue, TLow, THigh>(TValue value, TLow low, THigh high) : ITruthNode
    where TValue : struct, IValueNode where TLow : struct, IValueNode where THigh : struct, IValueNode
{
    private Operands<CompareNode<TValue, TLow>, CompareNode<TValue, THigh>> _ends = new(new(">=", value, low), new("<=", value, high));

    public void Bind(Schema schema) => _ends.Bind(schema);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Truth Test(ref readonly Value row)
    {
        var atLeast = _ends.First.Test(in row);
        var atMost = _ends.Second.Test(in row);
        if (atLeast == Truth.False || atMost == Truth.False) return Truth.False;
        return atLeast == Truth.Null || atMost == Truth.Null ? Truth.Null : Truth.True;
    }
}

/// <summary>Any other strict function of one or two fields or constants used as a condition ("contains", "starts-with",
/// ...): its operands read where they lie and its reference semantics applied, with no column gathered per operand.</summary>
internal struct CallTruthNode<TFirst, TSecond>(Applier apply, int arity, TFirst first, TSecond second) : ITruthNode
    where TFirst : struct, IValueNode where TSecond : struct, IValueNode
{
    private Operands<TFirst, TSecond> _operands = new(first, second);

    public void Bind(Schema schema) => _operands.Bind(schema);

    public readonly Truth Test(ref readonly Value row)
    {
        var buffer = new ArgBuffer();
        buffer[0] = _operands.First.Get(in row);
        if (arity == 2) buffer[1] = _operands.Second.Get(in row);
        var v = apply(buffer[..arity]);
        if (v.IsNull) return Truth.Null;
        if (v.Kind == ValueKind.Bool) return v.AsBool ? Truth.True : Truth.False;
        throw EvalException.Type($"a condition must be true, false or null, not {Show.Kind(v.Kind)}");
    }
}

/// <summary>A condition fused into one loop per block; <see cref="None"/> for one that has no fused form.</summary>
internal abstract class FusedTruth
{
    public static readonly FusedTruth None = new Unfused();

    /// <summary>Whether each row of the block is exactly true; false, writing nothing, when there is no fused form.</summary>
    public abstract bool TryTest(in RowBlock rows, Span<bool> truth);

    /// <summary>The fused form of a strict function used as a condition ("not", "is-null", "in" over constants, "between",
    /// and any other of one or two fields or constants), or null.</summary>
    public static FusedNode? Call(FunctionDef function, Evaluator[] args, int depth)
    {
        switch (function.Spec.Name)
        {
            case "not" when depth < FusedNode.MaxDepth && args[0].FuseTruth(depth + 1) is { } condition:
                return FusedNode.Make(typeof(NotNode<>), [condition.Type], condition.Node);
            case "is-null" when args[0].FuseValue() is { } value:
                return FusedNode.Make(typeof(IsNullNode<>), [value.Type], value.Node);
            case "in" when args[0].FuseValue() is { } value:
                var candidates = new Value[args.Length - 1];
                for (int i = 1; i < args.Length; i++)
                {
                    if (args[i] is not ConstEval constant) return null;
                    candidates[i - 1] = constant.Value;
                }
                return FusedNode.Make(typeof(InNode<>), [value.Type], value.Node, candidates);
            case "between" when args[0].FuseValue() is { } value && args[1].FuseValue() is { } low && args[2].FuseValue() is { } high:
                return FusedNode.Make(typeof(BetweenNode<,,>), [value.Type, low.Type, high.Type], value.Node, low.Node, high.Node);
            default:
                if (function.Apply is not { } apply || args.Length is not (1 or 2) || args[0].FuseValue() is not { } a) return null;
                var b = args.Length == 2 ? args[1].FuseValue() : FusedNode.Of(new ConstValue(Value.Null));
                return b is null ? null : FusedNode.Make(typeof(CallTruthNode<,>), [a.Type, b.Value.Type], apply, args.Length, a.Node, b.Value.Node);
        }
    }

    /// <summary>"and" / "or" of <paramref name="args"/> as two-operand nodes nested to the right: the same order of tests,
    /// the same short-circuit and the same three-valued result as the n-ary form. Operands with no fused form take their
    /// row form inside the loop, so even then no operand is tested that the row form would not test.</summary>
    public static FusedNode? Chain(bool and, Evaluator[] args, int depth)
    {
        if (args.Length == 0 || depth + args.Length > FusedNode.MaxDepth) return null;
        var chain = Operand(args[^1], depth + args.Length);
        for (int i = args.Length - 2; i >= 0; i--)
        {
            var first = Operand(args[i], depth + i + 1);
            chain = FusedNode.Make(typeof(AndOrNode<,>), [first.Type, chain.Type], and, first.Node, chain.Node);
        }
        return chain;
    }

    /// <summary>An operand's fused form, or its row form inside the loop when it has none.</summary>
    private static FusedNode Operand(Evaluator operand, int depth) => operand.FuseTruth(depth) ?? FusedNode.Of(new EvaluatedTruthNode(operand));

    public static FusedTruth For(Evaluator root) => root.FuseTruth(0) is { } node
        ? (FusedTruth)Activator.CreateInstance(typeof(FusedTruth<>).MakeGenericType(node.Type), node.Node)!
        : None;

    private sealed class Unfused : FusedTruth
    {
        public override bool TryTest(in RowBlock rows, Span<bool> truth) => false;
    }
}

internal sealed class FusedTruth<TNode>(TNode node) : FusedTruth where TNode : struct, ITruthNode
{
    private readonly SchemaBound<TNode> _node = new(node);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryTest(in RowBlock rows, Span<bool> truth)
    {
        int count = rows.Count, stride = rows.Stride;
        if (count == 0) return true;
        // Checked once here, so the loop reads without a bounds check per row.
        rows.CheckCells();
        if (count > truth.Length) throw new ArgumentOutOfRangeException(nameof(truth), "fewer flags than the block has rows");
        var bound = _node.For(rows.Schema);
        ref var row = ref MemoryMarshal.GetReference(rows.Cells);
        for (int i = 0; i < count; i++)
            truth[i] = bound.Node.Test(in Unsafe.Add(ref row, (nint)i * stride)) == Truth.True;
        return true;
    }
}
