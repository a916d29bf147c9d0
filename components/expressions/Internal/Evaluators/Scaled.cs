using System.Runtime.CompilerServices;
using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>What a row of a <see cref="ScaledSpan"/> holds.</summary>
internal enum ScaledTag : byte
{
    Null,
    Int,
    /// <summary>A decimal whose mantissa fits 63 bits.</summary>
    Decimal,
    /// <summary>Anything else (a float, text, a wide decimal, an overflow, an error): the row's value is left to
    /// <see cref="Evaluator.Eval"/>, which gives it exactly, or the error.</summary>
    Other,
}

/// <summary>
/// Exact numbers of a block in the form arithmetic needs: per row a tag, a mantissa and a decimal scale, in
/// plain arrays. Numeric sub-trees pass these between them instead of <see cref="Value"/>s: no kind dispatch
/// per operation and no write barrier per intermediate result; only the sub-tree's root makes values.
/// An int row has scale 0, so int and decimal operands meet in the scaled decimal rules as they are.
/// </summary>
internal readonly ref struct ScaledSpan(Span<ScaledTag> tags, Span<long> mantissas, Span<byte> scales)
{
    public readonly Span<ScaledTag> Tags = tags;
    public readonly Span<long> Mantissas = mantissas;
    public readonly Span<byte> Scales = scales;

    public int Length => Tags.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Set(int i, in Value v)
    {
        long m = 0;
        int scale = 0;
        Tags[i] = v.Kind switch
        {
            ValueKind.Null => ScaledTag.Null,
            ValueKind.Int => ScaledTag.Int,
            ValueKind.Decimal when v.TryGetScaled(out m, out scale) => ScaledTag.Decimal,
            _ => ScaledTag.Other,
        };
        Mantissas[i] = v.Kind == ValueKind.Int ? v.AsInt : m;
        Scales[i] = (byte)scale;
    }

    /// <summary>The tag every row gets from one value (a constant).</summary>
    public static ScaledTag TagOf(in Value v) => v.Kind switch
    {
        ValueKind.Null => ScaledTag.Null,
        ValueKind.Int => ScaledTag.Int,
        ValueKind.Decimal when v.TryGetScaled(out _, out _) => ScaledTag.Decimal,
        _ => ScaledTag.Other,
    };
}

/// <summary>Where a numeric sub-tree's scaled results become values.</summary>
internal static class ScaledBlocks
{
    /// <summary>
    /// Evaluates <paramref name="root"/> over the block in scaled form and makes values of the results; rows the
    /// scaled form leaves (<see cref="ScaledTag.Other"/>) are evaluated by the row form. When more than a quarter
    /// of the block's rows left it (floats, text numbers), sets <paramref name="gaveUp"/>: the root then keeps to
    /// its value form, which does not evaluate such rows twice.
    /// </summary>
    public static Column Materialize(Evaluator root, in RowBlock rows, BlockScratch scratch, ref bool gaveUp)
    {
        var results = scratch.RentForScalars();
        MaterializeInto(root, rows, scratch, ref gaveUp, results, 1);
        return Column.Of(results);
    }

    /// <summary>As <see cref="Materialize"/>, each row's value written to <paramref name="cells"/>[row ×
    /// <paramref name="stride"/>] (a batch's field, or a column). Each value is built in its cell: one that holds no
    /// reference is stored without a write barrier, and nothing is copied from a column in between.</summary>
    public static void MaterializeInto(Evaluator root, in RowBlock rows, BlockScratch scratch, ref bool gaveUp, Span<Value> cells, int stride)
    {
        var scaled = scratch.RentScaled();
        root.ScaledBlock(rows, scratch, scaled);
        int others = 0;
        var tags = scaled.Tags;
        for (int i = 0; i < tags.Length; i++) others += tags[i] == ScaledTag.Other ? 1 : 0;
        if (others * 4 > tags.Length) gaveUp = true;
        var mantissas = scaled.Mantissas;
        var scales = scaled.Scales;
        for (int i = 0; i < tags.Length; i++)
        {
            ref var cell = ref cells[i * stride];
            switch (tags[i])
            {
                case ScaledTag.Null: cell = default; break;
                case ScaledTag.Int: cell = Value.FromInt(mantissas[i]); break;
                case ScaledTag.Decimal:
                    if (scales[i] <= 28 && mantissas[i] != long.MinValue) cell = Value.FromScaledExact(mantissas[i], scales[i]);
                    else cell = Value.FromScaled(mantissas[i], scales[i]);
                    break;
                default: cell = root.Eval(rows.Row(i)); break;
            }
        }
    }
}
