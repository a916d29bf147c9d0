using Ocht.Expressions;
using Ocht.Values;
using Ex = Ocht.Expressions.Expressions;

namespace Ocht.Transforms;

/// <summary>
/// One aggregate's state for one group. Adding is two-phase so a record that fails on one aggregate
/// (a text that is not a number in "sum") changes none: <see cref="Prepare"/> may throw and leaves
/// the state alone; <see cref="Commit"/> applies what was prepared.
/// </summary>
internal abstract class Accumulator
{
    public abstract void Prepare(in Value v);
    public abstract void Commit();
    public abstract Value Result();

    public static readonly IReadOnlyList<string> Names = ["count", "sum", "avg", "min", "max", "count-distinct", "first", "last"];

    public static Func<Accumulator> Factory(string name, bool hasArgument) => name switch
    {
        "count" when !hasArgument => () => new CountRecords(),
        "count" => () => new CountValues(),
        "sum" => () => new Sum(),
        "avg" => () => new Average(),
        "min" => () => new Extreme(max: false),
        "max" => () => new Extreme(max: true),
        "count-distinct" => () => new CountDistinct(),
        "first" => () => new First(),
        _ => () => new Last(),
    };

    private sealed class CountRecords : Accumulator
    {
        private long _count;
        public override void Prepare(in Value v) { }
        public override void Commit() => _count++;
        public override Value Result() => Value.FromInt(_count);
    }

    private sealed class CountValues : Accumulator
    {
        private long _count;
        private bool _pending;
        public override void Prepare(in Value v) => _pending = !v.IsNull;
        public override void Commit() { if (_pending) _count++; }
        public override Value Result() => Value.FromInt(_count);
    }

    /// <summary>Sum of ints is an int (overflow rejects the record); with decimals, decimal; with floats, float. Nulls are skipped; no values gives null.</summary>
    private sealed class Sum : Accumulator
    {
        private RunningSum _sum = new(intsAsDecimal: false, "sum");
        private bool _pendingAdds;
        public override void Prepare(in Value v)
        {
            _pendingAdds = !v.IsNull;
            if (_pendingAdds) _sum.Prepare(v);
        }
        public override void Commit() { if (_pendingAdds) _sum.Commit(); }
        public override Value Result() => _sum.Value;
    }

    /// <summary>Mean of the non-null values: exact decimal for ints and decimals, float when any is a float.</summary>
    private sealed class Average : Accumulator
    {
        private RunningSum _sum = new(intsAsDecimal: true, "avg");
        private long _count;
        private bool _pendingCounts;
        public override void Prepare(in Value v)
        {
            _pendingCounts = !v.IsNull;
            if (_pendingCounts) _sum.Prepare(v);
        }
        public override void Commit()
        {
            if (!_pendingCounts) return;
            _sum.Commit();
            _count++;
        }
        public override Value Result() => _count == 0 ? Value.Null : Ex.Divide(_sum.Value, Value.FromInt(_count));
    }

    /// <summary>
    /// The running sum of sum and avg, two-phase like the accumulators. It stays an <see cref="ExactSum"/>
    /// (no Value stored per record, so no GC write barrier) while that can add exactly, and becomes a Value
    /// added by the §3 rules from the first number it cannot.
    /// </summary>
    private struct RunningSum(bool intsAsDecimal, string op)
    {
        private ExactSum _fast, _pendingFast;
        private Value _general, _pendingGeneral;
        private bool _isGeneral, _pendingIsGeneral;

        public readonly Value Value => _isGeneral ? _general : _fast.Value;

        /// <summary>Prepares adding a non-null value; throws (changing nothing) when it is not a number or overflows.</summary>
        public void Prepare(in Value v)
        {
            _pendingIsGeneral = _isGeneral;
            if (!_isGeneral && _fast.TryAdd(v, intsAsDecimal, out _pendingFast)) return;
            var n = Ex.ToNumber(v, op);
            if (intsAsDecimal && n.Kind == ValueKind.Int) n = Value.FromScaled(n.AsInt, 0);
            var current = Value;
            _pendingGeneral = current.IsNull ? n : Ex.Add(current, n);
            _pendingIsGeneral = true;
        }

        public void Commit()
        {
            _fast = _pendingFast;
            _isGeneral = _pendingIsGeneral;
            if (_isGeneral) _general = _pendingGeneral;
        }
    }

    /// <summary>min / max of the non-null values in the order of <see cref="ValueOrder"/>.</summary>
    private sealed class Extreme(bool max) : Accumulator
    {
        private Value _best = Value.Null;
        private Value _pending;
        private bool _pendingWins;
        // Compared here rather than in Commit, so only a new extreme is copied (a Value store costs a write barrier).
        public override void Prepare(in Value v)
        {
            _pendingWins = !v.IsNull && (_best.IsNull || (max ? ValueOrder.Compare(v, _best) > 0 : ValueOrder.Compare(v, _best) < 0));
            if (_pendingWins) _pending = v;
        }
        public override void Commit() { if (_pendingWins) _best = _pending; }
        public override Value Result() => _best;
    }

    private sealed class CountDistinct : Accumulator
    {
        private readonly HashSet<Value> _seen = new();
        private Value _pending;
        public override void Prepare(in Value v) => _pending = v;
        public override void Commit() { if (!_pending.IsNull) _seen.Add(_pending); }
        public override Value Result() => Value.FromInt(_seen.Count);
    }

    /// <summary>The first value of the group (null included).</summary>
    private sealed class First : Accumulator
    {
        private bool _set;
        private Value _value;
        private Value _pending;
        public override void Prepare(in Value v) => _pending = v;
        public override void Commit()
        {
            if (_set) return;
            _value = _pending;
            _set = true;
        }
        public override Value Result() => _value;
    }

    /// <summary>The last value of the group (null included).</summary>
    private sealed class Last : Accumulator
    {
        private Value _value;
        private Value _pending;
        public override void Prepare(in Value v) => _pending = v;
        public override void Commit() => _value = _pending;
        public override Value Result() => _value;
    }
}
