using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>What a numeric sub-tree's node holds for a row in scaled form (<see cref="IScaledNode"/>).</summary>
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

/// <summary>Where a numeric sub-tree's scaled results become values.</summary>
internal static class ScaledBlocks
{
    /// <summary>
    /// Evaluates <paramref name="root"/> over the block in scaled form (fused into <paramref name="fused"/> on first
    /// use) and makes values of the results; rows the scaled form leaves (<see cref="ScaledTag.Other"/>) are
    /// evaluated by the row form. When more than a quarter of the block's rows left it (floats, text numbers), sets
    /// <paramref name="gaveUp"/>: the root then keeps to its value form, which does not evaluate such rows twice.
    /// </summary>
    public static Column Materialize(Evaluator root, ref FusedScaled? fused, in RowBlock rows, BlockScratch scratch, ref bool gaveUp)
    {
        var results = scratch.RentForScalars();
        MaterializeInto(root, ref fused, rows, ref gaveUp, results, 1);
        return Column.Of(results);
    }

    /// <summary>As <see cref="Materialize"/>, each row's value written to <paramref name="cells"/>[row ×
    /// <paramref name="stride"/>] (a batch's field, or a column). Each value is built in its cell: one that holds no
    /// reference is stored without a write barrier, and nothing is copied from a column in between.</summary>
    public static void MaterializeInto(Evaluator root, ref FusedScaled? fused, in RowBlock rows, ref bool gaveUp, Span<Value> cells, int stride)
    {
        fused ??= FusedScaled.For(root);
        int others = fused.WriteInto(root, rows, cells, stride);
        if (others * 4 > rows.Count) gaveUp = true;
    }
}
