using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>
/// Comparison of §3 with SQL null semantics: a null operand gives null. A number against text
/// parses the text as a number; a timestamp against text parses the text as ISO-8601; text against
/// text is ordinal (code point) order. Lists and maps support only = and !=.
/// </summary>
internal static class Comparisons
{
    /// <summary>-1/0/1, or null when either side is null.</summary>
    public static int? Compare(in Value a, in Value b, string op)
    {
        if (a.IsNull || b.IsNull) return null;
        var ka = a.Kind;
        var kb = b.Kind;
        if (ka == kb)
        {
            if (ka is ValueKind.List or ValueKind.Map && op is not ("=" or "!=" or "in"))
                throw EvalException.Type($"\"{op}\" cannot order {Show.Kind(ka)} values; only = and != compare them");
            return Math.Sign(ValueOrder.Compare(a, b));
        }
        if (a.IsNumber && b.IsNumber) return Math.Sign(ValueOrder.CompareNumbers(a, b));
        if (a.IsNumber && kb == ValueKind.String) return Math.Sign(ValueOrder.CompareNumbers(a, Numbers.Coerce(b, op, 1)));
        if (ka == ValueKind.String && b.IsNumber) return Math.Sign(ValueOrder.CompareNumbers(Numbers.Coerce(a, op, 0), b));
        if (ka == ValueKind.Timestamp && kb == ValueKind.String) return a.TimestampTicks.CompareTo(Conversions.ParseTimestamp(b, op, 1));
        if (ka == ValueKind.String && kb == ValueKind.Timestamp) return Conversions.ParseTimestamp(a, op, 0).CompareTo(b.TimestampTicks);
        throw EvalException.Type($"\"{op}\" cannot compare {Show.Value(a)} ({Show.Kind(ka)}) with {Show.Value(b)} ({Show.Kind(kb)})");
    }

    public static Value Apply(string op, in Value a, in Value b)
    {
        int? c = Compare(a, b, op);
        if (c is not int r) return Value.Null;
        return Value.FromBool(op switch
        {
            "=" => r == 0,
            "!=" => r != 0,
            "<" => r < 0,
            "<=" => r <= 0,
            ">" => r > 0,
            _ => r >= 0,
        });
    }

    /// <summary>["in", x, v1, ...]: true on a match; otherwise null if x or any candidate is null, else false.</summary>
    public static Value In(ReadOnlySpan<Value> args) => In(args[0], args[1..]);

    public static Value In(in Value x, ReadOnlySpan<Value> candidates)
    {
        if (x.IsNull) return Value.Null;
        bool sawNull = false;
        foreach (ref readonly var candidate in candidates)
        {
            if (candidate.IsNull) { sawNull = true; continue; }
            if (Compare(x, candidate, "in") == 0) return Value.True;
        }
        return sawNull ? Value.Null : Value.False;
    }

    /// <summary>["between", x, low, high]: low &lt;= x &lt;= high, three-valued.</summary>
    public static Value Between(ReadOnlySpan<Value> args)
    {
        var low = Apply(">=", args[0], args[1]);
        var high = Apply("<=", args[0], args[2]);
        return Logic.And(low, high);
    }

    /// <summary>least/greatest: nulls are ignored (null only when all are null), as in PostgreSQL and DuckDB.</summary>
    public static Value Extreme(ReadOnlySpan<Value> args, bool greatest)
    {
        string op = greatest ? "greatest" : "least";
        Value best = Value.Null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i].IsNull) continue;
            if (best.IsNull) { best = args[i]; continue; }
            int c = Compare(args[i], best, op)!.Value;
            if (greatest ? c > 0 : c < 0) best = args[i];
        }
        return best;
    }
}

/// <summary>Three-valued logic (§3).</summary>
internal static class Logic
{
    /// <summary>The operand as true/false/null; anything else is a type error.</summary>
    public static Value Truth(in Value v, string op, int operand)
    {
        if (v.Kind is ValueKind.Bool or ValueKind.Null) return v;
        throw EvalException.Type($"\"{op}\" expects true, false or null, found {Show.Value(v)} ({Show.Kind(v.Kind)})", operand);
    }

    public static Value And(in Value a, in Value b)
    {
        if (a.Kind == ValueKind.Bool && !a.AsBool) return Value.False;
        if (b.Kind == ValueKind.Bool && !b.AsBool) return Value.False;
        return a.IsNull || b.IsNull ? Value.Null : Value.True;
    }

    public static Value Or(in Value a, in Value b)
    {
        if (a.Kind == ValueKind.Bool && a.AsBool) return Value.True;
        if (b.Kind == ValueKind.Bool && b.AsBool) return Value.True;
        return a.IsNull || b.IsNull ? Value.Null : Value.False;
    }

    public static Value Not(in Value a) => a.IsNull ? Value.Null : Value.FromBool(!Truth(a, "not", 0).AsBool);
}
