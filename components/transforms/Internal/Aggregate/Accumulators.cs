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

    /// <summary>The column-wise form of an aggregate (see <see cref="BatchMerge"/>), one per run.</summary>
    public static Func<AggregateKernel> KernelFactory(string name, bool hasArgument) => name switch
    {
        "count" => () => new CountKernel(nonNullOnly: hasArgument),
        "sum" => () => new SumKernel(average: false),
        "avg" => () => new SumKernel(average: true),
        "min" => () => new ExtremeKernel(max: false),
        "max" => () => new ExtremeKernel(max: true),
        "count-distinct" => () => new DistinctKernel(),
        "first" => () => new PickKernel(last: false),
        _ => () => new PickKernel(last: true),
    };

    /// <summary>count of records or of non-null values.</summary>
    internal abstract class Counter : Accumulator
    {
        public long Count { get; set; }
        public override Value Result() => Value.FromInt(Count);
    }

    private sealed class CountRecords : Counter
    {
        public override void Prepare(in Value v) { }
        public override void Commit() => Count++;
    }

    private sealed class CountValues : Counter
    {
        private bool _pending;
        public override void Prepare(in Value v) => _pending = !v.IsNull;
        public override void Commit() { if (_pending) Count++; }
    }

    /// <summary>sum and avg: a running sum of the non-null values, and how many there were.</summary>
    internal abstract class Summing : Accumulator
    {
        private protected RunningSum _sum;
        public long Count { get; set; }
        /// <summary>The sum while it is kept exactly as mantissa and scale (see <see cref="ExactSum"/>).</summary>
        public bool TryGetExact(out ExactSum sum) => _sum.TryGetExact(out sum);
        public void SetExact(ExactSum sum) => _sum.SetExact(sum);
    }

    /// <summary>Sum of ints is an int (overflow rejects the record); with decimals, decimal; with floats, float. Nulls are skipped; no values gives null.</summary>
    private sealed class Sum : Summing
    {
        private bool _pendingAdds;
        public Sum() => _sum = new(intsAsDecimal: false, "sum");
        public override void Prepare(in Value v)
        {
            _pendingAdds = !v.IsNull;
            if (_pendingAdds) _sum.Prepare(v);
        }
        public override void Commit()
        {
            if (!_pendingAdds) return;
            _sum.Commit();
            Count++;
        }
        public override Value Result() => _sum.Value;
    }

    /// <summary>Mean of the non-null values: exact decimal for ints and decimals, float when any is a float.</summary>
    private sealed class Average : Summing
    {
        private bool _pendingCounts;
        public Average() => _sum = new(intsAsDecimal: true, "avg");
        public override void Prepare(in Value v)
        {
            _pendingCounts = !v.IsNull;
            if (_pendingCounts) _sum.Prepare(v);
        }
        public override void Commit()
        {
            if (!_pendingCounts) return;
            _sum.Commit();
            Count++;
        }
        public override Value Result() => Count == 0 ? Value.Null : Ex.Divide(_sum.Value, Value.FromInt(Count));
    }

    /// <summary>
    /// The running sum of sum and avg, two-phase like the accumulators. It stays an <see cref="ExactSum"/>
    /// (no Value stored per record, so no GC write barrier) while that can add exactly, and becomes a Value
    /// added by the §3 rules from the first number it cannot.
    /// </summary>
    private protected struct RunningSum(bool intsAsDecimal, string op)
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

        public readonly bool TryGetExact(out ExactSum sum)
        {
            sum = _fast;
            return !_isGeneral;
        }

        public void SetExact(ExactSum sum) => _fast = sum;
    }

    /// <summary>min / max of the non-null values in the order of <see cref="ValueOrder"/>.</summary>
    internal sealed class Extreme(bool max) : Accumulator
    {
        private Value _pending;
        private bool _pendingWins;
        public Value Best { get; set; } = Value.Null;
        // Compared here rather than in Commit, so only a new extreme is copied (a Value store costs a write barrier).
        public override void Prepare(in Value v)
        {
            _pendingWins = Beats(v, Best, max);
            if (_pendingWins) _pending = v;
        }
        public override void Commit() { if (_pendingWins) Best = _pending; }
        public override Value Result() => Best;

        /// <summary>Whether <paramref name="v"/> replaces <paramref name="best"/>: a non-null value that is
        /// strictly greater (max) or less (min); on a tie the first stays.</summary>
        public static bool Beats(in Value v, in Value best, bool max) =>
            !v.IsNull && (best.IsNull || (max ? ValueOrder.Compare(v, best) > 0 : ValueOrder.Compare(v, best) < 0));
    }

    internal sealed class CountDistinct : Accumulator
    {
        private Value _pending;
        /// <summary>The distinct non-null values (by key equality).</summary>
        public HashSet<Value> Seen { get; } = new();
        public override void Prepare(in Value v) => _pending = v;
        public override void Commit() { if (!_pending.IsNull) Seen.Add(_pending); }
        public override Value Result() => Value.FromInt(Seen.Count);
    }

    /// <summary>first and last: one value of the group (null included).</summary>
    internal abstract class Pick : Accumulator
    {
        private protected Value _pending;
        public Value Value { get; set; }
        /// <summary>Whether a value was taken (first keeps it from then on).</summary>
        public bool IsSet { get; set; }
        public override void Prepare(in Value v) => _pending = v;
        public override Value Result() => Value;
    }

    private sealed class First : Pick
    {
        public override void Commit()
        {
            if (IsSet) return;
            Value = _pending;
            IsSet = true;
        }
    }

    private sealed class Last : Pick
    {
        public override void Commit()
        {
            Value = _pending;
            IsSet = true;
        }
    }
}
