using Ocht.Document;
using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>Sort keys and their order (§4): ascending puts nulls last, descending puts them first;
/// values order by <see cref="ValueOrder"/> (text by code point).</summary>
internal sealed class SortKeys
{
    private SortKeys(CompiledExpr[] exprs, bool[] descending)
    {
        Exprs = exprs;
        Descending = descending;
        Fields = exprs.Select(e => e.Source is FieldRef { Path.Count: 1 } f ? f.Path[0] : null).ToArray();
    }

    public CompiledExpr[] Exprs { get; }
    /// <summary>For each key that is a top-level field (":country"), its name; null for other expressions.</summary>
    public string?[] Fields { get; }
    public bool[] Descending { get; }
    public int Count => Exprs.Length;

    public static SortKeys? Parse(DocNode by, FieldScope scope, Diagnostics d)
    {
        if (by.Items.Count == 0)
        {
            d.Add(by, "\"by\" needs at least one key");
            return null;
        }
        var exprs = new List<CompiledExpr>();
        var descending = new List<bool>();
        foreach (var item in by.Items)
        {
            var node = item;
            bool desc = false;
            if (item.IsArray && item.Items.Count > 0 && item.Items[0] is { IsString: true, Text: "desc" or "asc" } direction)
            {
                if (item.Items.Count != 2)
                {
                    d.Add(item, $"[\"{direction.Text}\", key] takes exactly one key expression");
                    continue;
                }
                desc = direction.Text == "desc";
                node = item.Items[1];
            }
            var expr = Expressions.Expressions.Parse(node, d, scope);
            var compiled = expr is null ? null : Expressions.Expressions.Compile(expr, d);
            if (compiled is null) continue;
            exprs.Add(compiled);
            descending.Add(desc);
        }
        return exprs.Count == by.Items.Count ? new SortKeys(exprs.ToArray(), descending.ToArray()) : null;
    }

    /// <summary>Evaluates the keys of a row into <paramref name="into"/>; throws EvalException to reject.</summary>
    public void Evaluate(in Row row, Span<Value> into)
    {
        for (int k = 0; k < Exprs.Length; k++) into[k] = Exprs[k].Eval(row);
    }

    public int Compare(ReadOnlySpan<Value> a, ReadOnlySpan<Value> b)
    {
        for (int k = 0; k < Descending.Length; k++)
        {
            int c = CompareOne(a[k], b[k], Descending[k]);
            if (c != 0) return c;
        }
        return 0;
    }

    public static int CompareOne(in Value a, in Value b, bool descending)
    {
        if (a.IsNull || b.IsNull)
        {
            if (a.IsNull && b.IsNull) return 0;
            // Ascending: nulls last. Descending: nulls first.
            return (a.IsNull ? 1 : -1) * (descending ? -1 : 1);
        }
        int c = ValueOrder.Compare(a, b);
        return descending ? -c : c;
    }

    public override string ToString() =>
        string.Join(", ", Exprs.Select((e, i) => Descending[i] ? $"{e} desc" : e.ToString()));
}
