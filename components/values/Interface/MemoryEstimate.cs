namespace Ocht.Values;

/// <summary>Approximate heap bytes held by values, for memory budgets (sort spilling).</summary>
public static class MemoryEstimate
{
    /// <summary>Bytes of one cell: the inline struct plus what it references.</summary>
    public static long Of(in Value v) => 24 + v.Kind switch
    {
        ValueKind.String => 22 + 2L * v.AsString.Length,
        ValueKind.List => ListBytes(v.AsList),
        ValueKind.Map => 48 + ListBytes(v.AsMap.Values),
        _ => 0,
    };

    /// <summary>Bytes of one row including its share of bookkeeping.</summary>
    public static long OfRow(ReadOnlySpan<Value> cells)
    {
        long total = 16;
        foreach (var v in cells) total += Of(v);
        return total;
    }

    private static long ListBytes(Value[] items)
    {
        long total = 24;
        foreach (var item in items) total += Of(item);
        return total;
    }
}
