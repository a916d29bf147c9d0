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
        private Value _sum = Value.Null;
        private Value _pending;
        public override void Prepare(in Value v)
        {
            if (v.IsNull) { _pending = _sum; return; }
            var n = Ex.ToNumber(v, "sum");
            _pending = _sum.IsNull ? n : Ex.Add(_sum, n);
        }
        public override void Commit() => _sum = _pending;
        public override Value Result() => _sum;
    }

    /// <summary>Mean of the non-null values: exact decimal for ints and decimals, float when any is a float.</summary>
    private sealed class Average : Accumulator
    {
        private Value _sum = Value.Null;
        private long _count;
        private Value _pending;
        private bool _pendingCounts;
        public override void Prepare(in Value v)
        {
            _pendingCounts = !v.IsNull;
            if (v.IsNull) return;
            var n = Ex.ToNumber(v, "avg");
            if (n.Kind == ValueKind.Int) n = Value.FromDecimal(n.AsInt);
            _pending = _sum.IsNull ? n : Ex.Add(_sum, n);
        }
        public override void Commit()
        {
            if (!_pendingCounts) return;
            _sum = _pending;
            _count++;
        }
        public override Value Result() => _count == 0 ? Value.Null : Ex.Divide(_sum, Value.FromInt(_count));
    }

    /// <summary>min / max of the non-null values in the order of <see cref="ValueOrder"/>.</summary>
    private sealed class Extreme(bool max) : Accumulator
    {
        private Value _best = Value.Null;
        private Value _pending;
        public override void Prepare(in Value v) => _pending = v;
        public override void Commit()
        {
            if (_pending.IsNull) return;
            if (_best.IsNull) { _best = _pending; return; }
            int c = ValueOrder.Compare(_pending, _best);
            if (max ? c > 0 : c < 0) _best = _pending;
        }
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
