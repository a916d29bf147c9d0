using System.Runtime.CompilerServices;
using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>Two-operand comparison without the argument buffer (the most common filter shape).</summary>
internal sealed class CompareEval(string op, Evaluator left, Evaluator right) : Evaluator
{
    public override Value Eval(in Row row)
    {
        var a = left.Eval(row);
        var b = right.Eval(row);
        if (_rule.TryCompareAlike(a, b, out bool holds)) return Value.FromBool(holds);
        try
        {
            return Comparisons.Apply(op, a, b);
        }
        catch (EvalException e) when (e.Operand is int i && (i == 0 ? left : right).Field is { } field && e.Field is null)
        {
            throw e.WithField(field);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Column EvalBlock(in RowBlock rows, BlockScratch scratch)
    {
        var a = left.EvalBlock(rows, scratch);
        var b = right.EvalBlock(rows, scratch);
        var results = scratch.RentForScalars();
        for (int i = 0; i < results.Length; i++)
        {
            ref readonly var x = ref a[i];
            ref readonly var y = ref b[i];
            results[i] = _rule.TryCompareAlike(x, y, out bool holds) ? Value.FromBool(holds) : Comparisons.Apply(op, x, y);
        }
        return Column.Of(results);
    }

    /// <summary>Straight to flags: a condition's comparisons produce no values at all.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void TruthBlock(in RowBlock rows, BlockScratch scratch, Span<bool> truth)
    {
        if (TryFusedTruth(rows, truth)) return;
        var a = left.EvalBlock(rows, scratch);
        var b = right.EvalBlock(rows, scratch);
        for (int i = 0; i < truth.Length; i++)
        {
            ref readonly var x = ref a[i];
            ref readonly var y = ref b[i];
            if (_rule.TryCompareAlike(x, y, out bool holds)) truth[i] = holds;
            else
            {
                var v = Comparisons.Apply(op, x, y);
                truth[i] = v.Kind == ValueKind.Bool && v.AsBool;
            }
        }
    }

    private readonly CompareRule _rule = new(op);

    /// <summary>Fields and constants compared as values; numeric sub-trees (arithmetic on either side) in scaled form.</summary>
    public override FusedNode? FuseTruth(int depth)
    {
        if (left.FuseValue() is { } a && right.FuseValue() is { } b)
            return FusedNode.Make(typeof(CompareNode<,>), [a.Type, b.Type], op, a.Node, b.Node);
        if (!left.Scalable || !right.Scalable || depth >= FusedNode.MaxDepth) return null;
        var l = FusedNode.Child(left, depth);
        var r = FusedNode.Child(right, depth);
        return FusedNode.Make(typeof(ScaledCompareNode<,>), [l.Type, r.Type], this, op, l.Node, r.Node);
    }
}

/// <summary>What a comparison operator says for each sign of the comparison, decided once instead of per row.</summary>
internal readonly struct CompareRule(string op)
{
    private readonly bool _less = op is "<" or "<=" or "!=", _equal = op is "=" or "<=" or ">=", _greater = op is ">" or ">=" or "!=";
    private readonly bool _equality = op is "=" or "!=";

    /// <summary>Two ints or two texts, compared here (the common case); false for anything else, which
    /// <see cref="Comparisons.Apply"/> decides.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool TryCompareAlike(in Value x, in Value y, out bool holds)
    {
        if (x.Kind != y.Kind || x.Kind is not (ValueKind.Int or ValueKind.String))
        {
            holds = false;
            return false;
        }
        // Ordinal equality is code-point equality, and string.Equals stops at the first difference.
        int c = x.Kind == ValueKind.Int ? x.AsInt.CompareTo(y.AsInt)
            : _equality ? (string.Equals(x.AsString, y.AsString) ? 0 : 1)
            : ValueOrder.CompareText(x.AsString, y.AsString);
        holds = Holds(c);
        return true;
    }

    /// <summary>What the operator says for a comparison's sign (negative, zero, positive).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool Holds(int c) => c < 0 ? _less : c == 0 ? _equal : _greater;
}

/// <summary>Two-operand arithmetic with null propagation and text coercion.</summary>
internal sealed class ArithmeticEval(string op, Evaluator left, Evaluator right) : Evaluator
{
    public override Value Eval(in Row row)
    {
        // Both operands are evaluated before the null check, as in the reference semantics: an error
        // on either side rejects the record even when the other side is null.
        var a = left.Eval(row);
        var b = right.Eval(row);
        if (a.IsNull) return a;
        if (b.IsNull) return b;
        try
        {
            if (!a.IsNumber) a = Numbers.Coerce(a, op, 0);
            if (!b.IsNumber) b = Numbers.Coerce(b, op, 1);
            return Apply(a, b);
        }
        catch (EvalException e) when (e.Operand is int i && (i == 0 ? left : right).Field is { } field && e.Field is null)
        {
            throw e.WithField(field);
        }
    }

    // "/" and "%" leave exact scaled form (a quotient may not terminate), so only these three take it.
    public override bool Scalable { get; } = op is "+" or "-" or "*" && left.Scalable && right.Scalable;
    private bool _scaledGaveUp;
    private FusedScaled? _fused;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryEvalBlockInto(in RowBlock rows, BlockScratch scratch, Span<Value> cells, int stride)
    {
        if (!Scalable || _scaledGaveUp) return false;
        ScaledBlocks.MaterializeInto(this, ref _fused, rows, ref _scaledGaveUp, cells, stride);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Column EvalBlock(in RowBlock rows, BlockScratch scratch)
    {
        if (Scalable && !_scaledGaveUp) return ScaledBlocks.Materialize(this, ref _fused, rows, scratch, ref _scaledGaveUp);
        var lefts = left.EvalBlock(rows, scratch);
        var rights = right.EvalBlock(rows, scratch);
        var results = scratch.RentForScalars();
        // The operator is chosen once per block; each loop calls its operation directly.
        switch (op)
        {
            case "+": Loop<AddOp>(lefts, rights, results); break;
            case "-": Loop<SubtractOp>(lefts, rights, results); break;
            case "*": Loop<MultiplyOp>(lefts, rights, results); break;
            case "/": Loop<DivideOp>(lefts, rights, results); break;
            default: Loop<RemainderOp>(lefts, rights, results); break;
        }
        return Column.Of(results);
    }

    private void Loop<TOp>(Column lefts, Column rights, Span<Value> results) where TOp : struct, INumberOp
    {
        for (int i = 0; i < results.Length; i++)
        {
            ref readonly var a = ref lefts[i];
            ref readonly var b = ref rights[i];
            if (a.IsNull) results[i] = a;
            else if (b.IsNull) results[i] = b;
            else if (a.IsNumber && b.IsNumber)
            {
                if (!TOp.TryScaled(a, b, out results[i])) results[i] = TOp.Apply(a, b);
            }
            else results[i] = TOp.Apply(Numbers.Coerce(a, op, 0), Numbers.Coerce(b, op, 1));
        }
    }

    public override FusedNode Fuse(int depth)
    {
        Type operation = op switch { "+" => typeof(AddOp), "-" => typeof(SubtractOp), _ => typeof(MultiplyOp) };
        var a = FusedNode.Child(left, depth);
        var b = FusedNode.Child(right, depth);
        return FusedNode.Make(typeof(ArithmeticNode<,,>), [operation, a.Type, b.Type], a.Node, b.Node);
    }

    private interface INumberOp
    {
        static abstract Value Apply(in Value a, in Value b);

        /// <summary>The result when a decimal is involved and both fit the scaled fast form (inlined into the
        /// block loop); false leaves it to <see cref="Apply"/>, which gives the same result either way.</summary>
        static virtual bool TryScaled(in Value a, in Value b, out Value result)
        {
            result = default;
            return false;
        }
    }

    private readonly struct AddOp : INumberOp, IScaledOp
    {
        public static Value Apply(in Value a, in Value b) => Numbers.Add(a, b);
        public static bool TryScaled(in Value a, in Value b, out Value result) => NotBothInts(a, b, out result) && Numbers.TryScaledAdd(a, b, subtract: false, out result);

        public static bool TryInts(long a, long b, out long result)
        {
            result = a + b;
            return ((a ^ result) & (b ^ result)) >= 0;
        }

        public static bool TryScaled(long ma, int sa, long mb, int sb, out long result, out int scale) =>
            Numbers.TryAddScaled(ma, sa, mb, sb, subtract: false, out result, out scale);
    }

    private readonly struct SubtractOp : INumberOp, IScaledOp
    {
        public static Value Apply(in Value a, in Value b) => Numbers.Subtract(a, b);
        public static bool TryScaled(in Value a, in Value b, out Value result) => NotBothInts(a, b, out result) && Numbers.TryScaledAdd(a, b, subtract: true, out result);

        public static bool TryInts(long a, long b, out long result)
        {
            result = a - b;
            return ((a ^ b) & (a ^ result)) >= 0;
        }

        public static bool TryScaled(long ma, int sa, long mb, int sb, out long result, out int scale) =>
            Numbers.TryAddScaled(ma, sa, mb, sb, subtract: true, out result, out scale);
    }

    private readonly struct MultiplyOp : INumberOp, IScaledOp
    {
        public static Value Apply(in Value a, in Value b) => Numbers.Multiply(a, b);
        public static bool TryScaled(in Value a, in Value b, out Value result) => NotBothInts(a, b, out result) && Numbers.TryScaledMultiply(a, b, out result);

        public static bool TryInts(long a, long b, out long result)
        {
            long high = Math.BigMul(a, b, out result);
            return high == (result >> 63);
        }

        public static bool TryScaled(long ma, int sa, long mb, int sb, out long result, out int scale) =>
            Numbers.TryMultiplyScaled(ma, sa, mb, sb, out result, out scale);
    }

    private readonly struct DivideOp : INumberOp { public static Value Apply(in Value a, in Value b) => Numbers.Divide(a, b); }
    private readonly struct RemainderOp : INumberOp { public static Value Apply(in Value a, in Value b) => Numbers.Remainder(a, b); }

    // Int with int stays int (with its overflow rules), so only mixed or decimal operands take the scaled form.
    private static bool NotBothInts(in Value a, in Value b, out Value result)
    {
        result = default;
        return a.Kind != ValueKind.Int || b.Kind != ValueKind.Int;
    }

    private Value Apply(in Value a, in Value b) => op switch
    {
        "+" => Numbers.Add(a, b),
        "-" => Numbers.Subtract(a, b),
        "*" => Numbers.Multiply(a, b),
        "/" => Numbers.Divide(a, b),
        _ => Numbers.Remainder(a, b),
    };
}

/// <summary>Lazy forms: and, or, if, coalesce evaluate arguments only as far as needed.</summary>
internal sealed class LazyEval(FunctionDef function, Evaluator[] args) : Evaluator
{
    /// <summary>"and" and "or" of any number of operands as one loop (see <see cref="FusedTruth.Chain"/>).</summary>
    public override FusedNode? FuseTruth(int depth) =>
        function.Spec.Name is "and" or "or" ? FusedTruth.Chain(function.Spec.Name == "and", args, depth) : null;

    public override Value Eval(in Row row)
    {
        var source = new RowArgs(args, row);
        return LazyForms.Eval(function.Spec.Name, ref source);
    }

    private readonly ref struct RowArgs(Evaluator[] args, Row row) : LazyForms.IArgs
    {
        private readonly Row _row = row;
        public int Count => args.Length;
        public Value Get(int i) => args[i].Eval(_row);
        public string? FieldOf(int i) => args[i].Field;
    }
}

/// <summary>["matches", s, "literal pattern"]: the regex is built once, at compile time.</summary>
internal sealed class MatchesEval(Evaluator text, System.Text.RegularExpressions.Regex regex) : Evaluator
{
    public override Value Eval(in Row row)
    {
        var s = text.Eval(row);
        if (s.IsNull) return s;
        try { return Text.Matches(Text.Of(s), regex); }
        catch (EvalException e) when (text.Field is { } field) { throw e.WithField(field); }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Column EvalBlock(in RowBlock rows, BlockScratch scratch)
    {
        var texts = text.EvalBlock(rows, scratch);
        var results = scratch.RentForScalars();
        for (int i = 0; i < results.Length; i++)
        {
            ref readonly var s = ref texts[i];
            results[i] = s.IsNull ? s : Text.Matches(Text.Of(s), regex);
        }
        return Column.Of(results);
    }
}

/// <summary>["round", x, literal digits].</summary>
internal sealed class RoundEval(Evaluator value, long digits) : Evaluator
{
    public override Value Eval(in Row row)
    {
        var v = value.Eval(row);
        if (v.IsNull) return v;
        try
        {
            return Numbers.Round(v.IsNumber ? v : Numbers.Coerce(v, "round", 0), digits);
        }
        catch (EvalException e) when (e.Operand == 0 && value.Field is { } field && e.Field is null)
        {
            throw e.WithField(field);
        }
    }

    public override bool Scalable { get; } = value.Scalable;
    private bool _scaledGaveUp;
    private FusedScaled? _fused;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryEvalBlockInto(in RowBlock rows, BlockScratch scratch, Span<Value> cells, int stride)
    {
        if (!Scalable || _scaledGaveUp) return false;
        ScaledBlocks.MaterializeInto(this, ref _fused, rows, ref _scaledGaveUp, cells, stride);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Column EvalBlock(in RowBlock rows, BlockScratch scratch)
    {
        if (Scalable && !_scaledGaveUp) return ScaledBlocks.Materialize(this, ref _fused, rows, scratch, ref _scaledGaveUp);
        var values = value.EvalBlock(rows, scratch);
        var results = scratch.RentForScalars();
        for (int i = 0; i < results.Length; i++)
        {
            ref readonly var v = ref values[i];
            results[i] = v.IsNull ? v : Numbers.Round(v.IsNumber ? v : Numbers.Coerce(v, "round", 0), digits);
        }
        return Column.Of(results);
    }

    public override FusedNode Fuse(int depth)
    {
        var v = FusedNode.Child(value, depth);
        return FusedNode.Make(typeof(RoundNode<>), [v.Type], v.Node, digits);
    }
}

/// <summary>["coalesce", a, b]: b is evaluated only when a is null.</summary>
internal sealed class CoalesceEval(Evaluator first, Evaluator second) : Evaluator
{
    // Inside numeric sub-trees only: as a root it would hand back its operand as the scaled form holds it
    // (a decimal -0.00 as 0.00), where the row form hands back the operand itself.
    public override bool Scalable { get; } = first.Scalable && second.Scalable;

    public override FusedNode Fuse(int depth)
    {
        var a = FusedNode.Child(first, depth);
        var b = FusedNode.Child(second, depth);
        return FusedNode.Make(typeof(CoalesceNode<,>), [a.Type, b.Type], a.Node, b.Node);
    }

    public override Value Eval(in Row row)
    {
        var v = first.Eval(row);
        return v.IsNull ? second.Eval(row) : v;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Column EvalBlock(in RowBlock rows, BlockScratch scratch)
    {
        var a = first.EvalBlock(rows, scratch);
        int firstNull = 0;
        while (firstNull < rows.Count && !a[firstNull].IsNull) firstNull++;
        if (firstNull == rows.Count) return a;
        var b = second.EvalBlock(rows, scratch);
        var results = scratch.Rent();
        for (int i = 0; i < results.Length; i++)
        {
            ref readonly var v = ref a[i];
            results[i] = v.IsNull ? b[i] : v;
        }
        return Column.Of(results);
    }
}

/// <summary>Two-operand and / or with three-valued logic and short-circuit, as <see cref="LazyForms"/>.</summary>
internal sealed class AndOrEval(bool and, Evaluator left, Evaluator right) : Evaluator
{
    public override Value Eval(in Row row)
    {
        var a = Truth(left, row, 0);
        if (a.Kind == ValueKind.Bool && a.AsBool != and) return a;
        var b = Truth(right, row, 1);
        if (b.Kind == ValueKind.Bool && b.AsBool != and) return b;
        return a.IsNull || b.IsNull ? Value.Null : Value.FromBool(and);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Column EvalBlock(in RowBlock rows, BlockScratch scratch)
    {
        var lefts = left.EvalBlock(rows, scratch);
        var rights = right.EvalBlock(rows, scratch);
        var results = scratch.RentForScalars();
        for (int i = 0; i < results.Length; i++)
        {
            ref readonly var a = ref lefts[i];
            if (a.Kind == ValueKind.Bool && a.AsBool != and) { results[i] = a; continue; }
            if (a.Kind != ValueKind.Bool && !a.IsNull) throw NotLogical(left, a, 0);
            ref readonly var b = ref rights[i];
            if (b.Kind == ValueKind.Bool && b.AsBool != and) { results[i] = b; continue; }
            if (b.Kind != ValueKind.Bool && !b.IsNull) throw NotLogical(right, b, 1);
            results[i] = a.IsNull || b.IsNull ? Value.Null : Value.FromBool(and);
        }
        return Column.Of(results);
    }

    private Value Truth(Evaluator arg, in Row row, int operand)
    {
        var v = arg.Eval(row);
        if (v.Kind is ValueKind.Bool or ValueKind.Null) return v;
        throw NotLogical(arg, v, operand);
    }

    /// <summary>Exactly true: for "and" when both sides are, for "or" when either is (null or true is true).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void TruthBlock(in RowBlock rows, BlockScratch scratch, Span<bool> truth)
    {
        if (TryFusedTruth(rows, truth)) return;
        left.TruthBlock(rows, scratch, truth);
        var rights = scratch.RentFlags();
        right.TruthBlock(rows, scratch, rights);
        if (and) for (int i = 0; i < truth.Length; i++) truth[i] &= rights[i];
        else for (int i = 0; i < truth.Length; i++) truth[i] |= rights[i];
    }

    public override FusedNode? FuseTruth(int depth) => FusedTruth.Chain(and, [left, right], depth);

    private EvalException NotLogical(Evaluator arg, in Value v, int operand)
    {
        var e = EvalException.Type($"\"{(and ? "and" : "or")}\" expects true, false or null, found {Show.Value(v)} ({Show.Kind(v.Kind)})", operand);
        return arg.Field is { } field ? e.WithField(field) : e;
    }
}
