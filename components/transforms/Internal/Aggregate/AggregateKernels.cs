using System.Runtime.CompilerServices;
using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>A batch's values of one aggregate input: row r's value is at values[offset + r * stride]
/// (a field read where it lies in the batch, or an evaluated column).</summary>
internal readonly ref struct InputColumn(ReadOnlySpan<Value> values, int stride, int offset)
{
    private readonly ReadOnlySpan<Value> _values = values;
    public ref readonly Value this[int row] => ref _values[offset + row * stride];
}

/// <summary>
/// One aggregate's column-wise form (see <see cref="BatchMerge"/>): pending states for the groups a batch
/// touches (numbered 0..n-1 in order of first touch), filled in record order, applied only when the
/// whole batch went in.
/// </summary>
internal abstract class AggregateKernel
{
    /// <summary>Takes the state of aggregate <paramref name="field"/> of each touched group; false when one
    /// cannot go column-wise.</summary>
    public abstract bool Begin(ReadOnlySpan<Group> touched, int field);

    /// <summary>Adds row r's input to the pending state of group <c>groupOf[r]</c>; false when a value does
    /// not fit the column-wise form (nothing is applied then).</summary>
    public abstract bool Add(in InputColumn input, ReadOnlySpan<int> groupOf);

    /// <summary>Applies the pending states.</summary>
    public abstract void Commit(ReadOnlySpan<Group> touched, int field);

    protected static T[] Sized<T>(T[] array, int n) => array.Length >= n ? array : new T[Math.Max(n, array.Length * 2)];
}

internal sealed class CountKernel(bool nonNullOnly) : AggregateKernel
{
    private long[] _counts = new long[64];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool Begin(ReadOnlySpan<Group> touched, int field)
    {
        _counts = Sized(_counts, touched.Length);
        _counts.AsSpan(0, touched.Length).Clear();
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool Add(in InputColumn input, ReadOnlySpan<int> groupOf)
    {
        var counts = _counts;
        for (int r = 0; r < groupOf.Length; r++)
            if (!nonNullOnly || !input[r].IsNull) counts[groupOf[r]]++;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Commit(ReadOnlySpan<Group> touched, int field)
    {
        for (int g = 0; g < touched.Length; g++) ((Accumulator.Counter)touched[g].Accumulators[field]).Count += _counts[g];
    }
}

/// <summary>sum and avg while every sum is exact (ints and decimals that fit 63 bits): the same
/// <see cref="ExactSum.TryAdd"/> the record-by-record form takes first, in the same order per group.</summary>
internal sealed class SumKernel(bool average) : AggregateKernel
{
    private ExactSum[] _sums = new ExactSum[64];
    private long[] _counts = new long[64];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool Begin(ReadOnlySpan<Group> touched, int field)
    {
        _sums = Sized(_sums, touched.Length);
        _counts = Sized(_counts, touched.Length);
        for (int g = 0; g < touched.Length; g++)
            if (!((Accumulator.Summing)touched[g].Accumulators[field]).TryGetExact(out _sums[g])) return false;
        _counts.AsSpan(0, touched.Length).Clear();
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool Add(in InputColumn input, ReadOnlySpan<int> groupOf)
    {
        var sums = _sums;
        var counts = _counts;
        for (int r = 0; r < groupOf.Length; r++)
        {
            ref readonly var v = ref input[r];
            if (v.IsNull) continue;
            int g = groupOf[r];
            if (!sums[g].TryAdd(v, average, out var sum)) return false;
            sums[g] = sum;
            counts[g]++;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Commit(ReadOnlySpan<Group> touched, int field)
    {
        for (int g = 0; g < touched.Length; g++)
        {
            var summing = (Accumulator.Summing)touched[g].Accumulators[field];
            summing.SetExact(_sums[g]);
            summing.Count += _counts[g];
        }
    }
}

/// <summary>min and max: only a new extreme is stored, as record by record.</summary>
internal sealed class ExtremeKernel(bool max) : AggregateKernel
{
    private Value[] _best = new Value[64];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool Begin(ReadOnlySpan<Group> touched, int field)
    {
        _best = Sized(_best, touched.Length);
        for (int g = 0; g < touched.Length; g++) _best[g] = ((Accumulator.Extreme)touched[g].Accumulators[field]).Best;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool Add(in InputColumn input, ReadOnlySpan<int> groupOf)
    {
        var best = _best;
        for (int r = 0; r < groupOf.Length; r++)
        {
            ref readonly var v = ref input[r];
            ref var b = ref best[groupOf[r]];
            if (Accumulator.Extreme.Beats(v, b, max)) b = v;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Commit(ReadOnlySpan<Group> touched, int field)
    {
        for (int g = 0; g < touched.Length; g++) ((Accumulator.Extreme)touched[g].Accumulators[field]).Best = _best[g];
        // Let go of text the pending values held.
        _best.AsSpan(0, touched.Length).Clear();
    }
}

/// <summary>count-distinct: the batch's non-null values, added to their groups' sets in record order when
/// the batch commits.</summary>
internal sealed class DistinctKernel : AggregateKernel
{
    private Value[] _values = new Value[64];
    private int[] _groups = new int[64];
    private int _count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool Begin(ReadOnlySpan<Group> touched, int field)
    {
        _count = 0;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool Add(in InputColumn input, ReadOnlySpan<int> groupOf)
    {
        _values = Sized(_values, groupOf.Length);
        _groups = Sized(_groups, groupOf.Length);
        for (int r = 0; r < groupOf.Length; r++)
        {
            ref readonly var v = ref input[r];
            if (v.IsNull) continue;
            _values[_count] = v;
            _groups[_count++] = groupOf[r];
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Commit(ReadOnlySpan<Group> touched, int field)
    {
        for (int i = 0; i < _count; i++) ((Accumulator.CountDistinct)touched[_groups[i]].Accumulators[field]).Seen.Add(_values[i]);
        _values.AsSpan(0, _count).Clear();
    }
}

/// <summary>first and last: per group, the batch's first value (when the group has none yet) or its last.</summary>
internal sealed class PickKernel(bool last) : AggregateKernel
{
    private Value[] _values = new Value[64];
    private bool[] _set = new bool[64];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool Begin(ReadOnlySpan<Group> touched, int field)
    {
        _values = Sized(_values, touched.Length);
        _set = Sized(_set, touched.Length);
        for (int g = 0; g < touched.Length; g++)
        {
            var pick = (Accumulator.Pick)touched[g].Accumulators[field];
            _values[g] = pick.Value;
            _set[g] = pick.IsSet;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool Add(in InputColumn input, ReadOnlySpan<int> groupOf)
    {
        for (int r = 0; r < groupOf.Length; r++)
        {
            int g = groupOf[r];
            if (_set[g] && !last) continue;
            _values[g] = input[r];
            _set[g] = true;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Commit(ReadOnlySpan<Group> touched, int field)
    {
        for (int g = 0; g < touched.Length; g++)
        {
            var pick = (Accumulator.Pick)touched[g].Accumulators[field];
            pick.Value = _values[g];
            pick.IsSet = _set[g];
        }
        _values.AsSpan(0, touched.Length).Clear();
    }
}
