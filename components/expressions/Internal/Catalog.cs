using System.Collections.Concurrent;

using System.Text.RegularExpressions;
using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>Every operator, registered once with its spec and semantics (§3).</summary>
internal static class Catalog
{
    private const int V = FunctionSpec.Variadic;
    private static readonly Dictionary<string, FunctionDef> Defs = new(StringComparer.Ordinal);
    private static readonly List<FunctionDef> Ordered = new();

    public static IReadOnlyList<FunctionDef> All => Ordered;

    public static FunctionDef? Find(string name) => Defs.GetValueOrDefault(name);

    static Catalog()
    {
        // comparison
        foreach (var (op, word) in new[] { ("=", "equal to"), ("!=", "not equal to"), ("<", "less than"), ("<=", "at most"), (">", "greater than"), (">=", "at least") })
            Strict(op, "comparison", 2, 2, $"[\"{op}\", a, b]", $"True when a is {word} b; null if either is null. Text against a number is parsed as a number.",
                $"[\"{op}\", \":quantity\", 5]", op is ">=" or ">" or "!=" ? "true (quantity 7)" : "false (quantity 7)",
                a => Comparisons.Apply(op, a[0], a[1]), e => new CompareEval(op, e[0], e[1]));
        Strict("in", "comparison", 2, V, "[\"in\", x, v1, v2, ...]", "True when x equals one of the values; null when there is no match and x or a value is null.",
            "[\"in\", \":status\", \"paid\", \"refunded\"]", "true (status \"paid\")", Comparisons.In);
        Strict("between", "comparison", 3, 3, "[\"between\", x, low, high]", "True when low <= x <= high (both ends included).",
            "[\"between\", \":quantity\", 1, 10]", "true (quantity 7)", Comparisons.Between);

        // logic
        Lazy("and", "logic", 1, V, "[\"and\", a, b, ...]", "Three-valued AND: false if any is false, else null if any is null, else true.",
            "[\"and\", [\"=\", \":status\", \"paid\"], [\">=\", \":quantity\", 5]]", "true", e => e.Length == 2 ? new AndOrEval(and: true, e[0], e[1]) : null);
        Lazy("or", "logic", 1, V, "[\"or\", a, b, ...]", "Three-valued OR: true if any is true, else null if any is null, else false.",
            "[\"or\", [\"=\", \":country\", \"US\"], [\"=\", \":country\", \"CA\"]]", "false (country \"DE\")", e => e.Length == 2 ? new AndOrEval(and: false, e[0], e[1]) : null);
        Strict("not", "logic", 1, 1, "[\"not\", a]", "Negation; null stays null.", "[\"not\", [\"is-null\", \":email\"]]", "true", a => Logic.Not(a[0]));
        Lazy("if", "logic", 2, 3, "[\"if\", cond, then, else?]", "then when cond is true; else (or null) when it is false or null.",
            "[\"if\", [\">\", \":total\", 100], \"big\", \"small\"]", "\"big\" (total 250)");
        Lazy("coalesce", "logic", 1, V, "[\"coalesce\", a, b, ...]", "The first argument that is not null.", "[\"coalesce\", \":discount\", 0]", "0 (discount empty)",
            e => e.Length == 2 ? new CoalesceEval(e[0], e[1]) : null);
        Strict("is-null", "logic", 1, 1, "[\"is-null\", x]", "True when x is null.", "[\"is-null\", \":discount\"]", "true (discount empty)", a => Value.FromBool(a[0].IsNull));

        // arithmetic
        Strict("+", "arithmetic", 2, V, "[\"+\", a, b, ...]", "Sum. int+int is int (overflow is an error); decimal if any is decimal; float if any is float.",
            "[\"+\", 1, 2.50]", "3.50", a => Fold(a, "+", Numbers.Add), e => Chain("+", e));
        Strict("-", "arithmetic", 1, 2, "[\"-\", a, b] or [\"-\", a]", "Difference, or negation with one argument.",
            "[\"-\", 1, \":discount\"]", "0.85 (discount 0.15)", a => a.Length == 1 ? NullOr(a[0], "-", Numbers.Negate) : Fold(a, "-", Numbers.Subtract),
            e => e.Length == 2 ? new ArithmeticEval("-", e[0], e[1]) : null);
        Strict("*", "arithmetic", 2, V, "[\"*\", a, b, ...]", "Product, with the same type rules as +.",
            "[\"*\", \":quantity\", \":unit_price\"]", "59.80 (2 x 29.90)", a => Fold(a, "*", Numbers.Multiply), e => Chain("*", e));
        Strict("/", "arithmetic", 2, 2, "[\"/\", a, b]", "Quotient; never truncates (int / int is decimal). Division by zero is an error.",
            "[\"/\", 7, 2]", "3.5", a => Fold(a, "/", Numbers.Divide), e => new ArithmeticEval("/", e[0], e[1]));
        Strict("%", "arithmetic", 2, 2, "[\"%\", a, b]", "Remainder (sign of a). Division by zero is an error.",
            "[\"%\", 7, 3]", "1", a => Fold(a, "%", Numbers.Remainder), e => new ArithmeticEval("%", e[0], e[1]));
        Strict("abs", "arithmetic", 1, 1, "[\"abs\", x]", "Absolute value.", "[\"abs\", -4.5]", "4.5", a => NullOr(a[0], "abs", Numbers.Abs));
        Strict("round", "arithmetic", 1, 2, "[\"round\", x, digits?]", "Rounds half away from zero to digits places (default 0); a decimal result has exactly that many places.",
            "[\"round\", 2.345, 2]", "2.35", Round, SpecializeRound);
        Strict("floor", "arithmetic", 1, 1, "[\"floor\", x]", "Largest whole number not above x.", "[\"floor\", 2.7]", "2", a => NullOr(a[0], "floor", Numbers.Floor));
        Strict("ceil", "arithmetic", 1, 1, "[\"ceil\", x]", "Smallest whole number not below x.", "[\"ceil\", 2.1]", "3", a => NullOr(a[0], "ceil", Numbers.Ceiling));
        Strict("least", "arithmetic", 1, V, "[\"least\", a, b, ...]", "The smallest argument; nulls are ignored (null only if all are null).",
            "[\"least\", \":price\", 100]", "100 (price 120)", a => Comparisons.Extreme(a, greatest: false));
        Strict("greatest", "arithmetic", 1, V, "[\"greatest\", a, b, ...]", "The largest argument; nulls are ignored (null only if all are null).",
            "[\"greatest\", \":quantity\", 1]", "7 (quantity 7)", a => Comparisons.Extreme(a, greatest: true));

        // text
        Strict("concat", "text", 1, V, "[\"concat\", a, b, ...]", "Joins the arguments as text; nulls are skipped.",
            "[\"concat\", \":first\", \" \", \":last\"]", "\"Ada Lovelace\"", Text.Concat);
        Strict("lower", "text", 1, 1, "[\"lower\", s]", "Lower case (invariant culture).", "[\"lower\", \"PAID\"]", "\"paid\"", a => NullOrText(a[0], s => s.ToLowerInvariant()));
        Strict("upper", "text", 1, 1, "[\"upper\", s]", "Upper case (invariant culture).", "[\"upper\", \"de\"]", "\"DE\"", a => NullOrText(a[0], s => s.ToUpperInvariant()));
        Strict("trim", "text", 1, 1, "[\"trim\", s]", "Removes white space at both ends.", "[\"trim\", \"  x \"]", "\"x\"", a => NullOrText(a[0], s => s.Trim()));
        Strict("length", "text", 1, 1, "[\"length\", s]", "Number of characters (Unicode scalar values); for a list or map, its number of items.",
            "[\"length\", \"héllo\"]", "5", a => a[0].IsNull ? Value.Null : Text.Length(a[0]));
        Strict("substr", "text", 2, 3, "[\"substr\", s, start, length?]", "Part of s from 0-based start, length characters (to the end if omitted).",
            "[\"substr\", \"2024-05-17\", 0, 4]", "\"2024\"", Substr);
        Strict("replace", "text", 3, 3, "[\"replace\", s, from, to]", "Replaces every occurrence of from (exact text, not a pattern).",
            "[\"replace\", \":phone\", \"-\", \"\"]", "\"5551234\"", a => AnyNull(a) ? Value.Null : Text.Replace(a[0], a[1], a[2]));
        Strict("contains", "text", 2, 2, "[\"contains\", s, part]", "True when s contains part (exact, case-sensitive).",
            "[\"contains\", \":note\", \"gift\"]", "true", a => AnyNull(a) ? Value.Null : Value.FromBool(Text.Of(a[0]).Contains(Text.Of(a[1]), StringComparison.Ordinal)));
        Strict("starts-with", "text", 2, 2, "[\"starts-with\", s, prefix]", "True when s starts with prefix.",
            "[\"starts-with\", \":sku\", \"BK-\"]", "true", a => AnyNull(a) ? Value.Null : Value.FromBool(Text.Of(a[0]).StartsWith(Text.Of(a[1]), StringComparison.Ordinal)));
        Strict("ends-with", "text", 2, 2, "[\"ends-with\", s, suffix]", "True when s ends with suffix.",
            "[\"ends-with\", \":email\", \"@example.com\"]", "true", a => AnyNull(a) ? Value.Null : Value.FromBool(Text.Of(a[0]).EndsWith(Text.Of(a[1]), StringComparison.Ordinal)));
        Strict("matches", "text", 2, 2, "[\"matches\", s, pattern]", $"True when the .NET regular expression matches somewhere in s; a match taking over {Text.RegexTimeLimit.TotalMilliseconds} ms rejects the record (regex-timeout).",
            "[\"matches\", \":email\", \"^[^@]+@[^@]+$\"]", "true", MatchesDynamic, SpecializeMatches);

        // conversion
        Strict("int", "conversion", 1, 1, "[\"int\", x]", "To int: text is parsed, fractions round half away from zero, true/false become 1/0.", "[\"int\", \"42\"]", "42", a => Conversions.ToInt(a[0]));
        Strict("decimal", "conversion", 1, 1, "[\"decimal\", x]", "To exact decimal: text is parsed, ints widen, floats convert.", "[\"decimal\", \"12.50\"]", "12.50", a => Conversions.ToDecimal(a[0]));
        Strict("float", "conversion", 1, 1, "[\"float\", x]", "To float (double precision).", "[\"float\", \"1e3\"]", "1000", a => Conversions.ToFloat(a[0]));
        Strict("string", "conversion", 1, 1, "[\"string\", x]", "To text, in the output form (ISO-8601 for timestamps, JSON for lists and maps).", "[\"string\", 12.50]", "\"12.50\"", a => Conversions.ToText(a[0]));
        Strict("bool", "conversion", 1, 1, "[\"bool\", x]", "To boolean: true/false, yes/no, t/f, 1/0 (any case).", "[\"bool\", \"yes\"]", "true", a => Conversions.ToBool(a[0]));
        Strict("timestamp", "conversion", 1, 1, "[\"timestamp\", x]", "To timestamp: ISO-8601 text (no zone means UTC) or milliseconds since 1970.",
            "[\"timestamp\", \"2024-05-17T10:00:00+02:00\"]", "2024-05-17T08:00:00Z", a => Conversions.ToTimestamp(a[0]));

        // time
        Strict("date-trunc", "time", 2, 2, "[\"date-trunc\", unit, ts]", $"Start of the unit containing ts; unit is one of {string.Join(", ", Time.Units)} (weeks start on Monday).",
            "[\"date-trunc\", \"hour\", \":ts\"]", "2024-05-17T13:00:00Z (ts 13:45:12)", DateTrunc, SpecializeDateTrunc);
        foreach (var part in new[] { "year", "month", "day", "hour", "minute", "second" })
            Strict(part, "time", 1, 1, $"[\"{part}\", ts]", $"The {part} of ts (UTC) as an int.", $"[\"{part}\", \"2024-05-17T13:45:12Z\"]",
                part switch { "year" => "2024", "month" => "5", "day" => "17", "hour" => "13", "minute" => "45", _ => "12" },
                a => a[0].IsNull ? Value.Null : Time.Part(part, Time.Ticks(a[0], part, 0)));
        Strict("epoch-ms", "time", 1, 1, "[\"epoch-ms\", ts]", "Milliseconds since 1970-01-01T00:00:00Z.", "[\"epoch-ms\", \"1970-01-01T00:00:01Z\"]", "1000",
            a => a[0].IsNull ? Value.Null : Time.Part("epoch-ms", Time.Ticks(a[0], "epoch-ms", 0)));

        // hashing
        Strict("hash", "hashing", 1, V, "[\"hash\", a, b, ...]", "Stable hash of the values: 16 hex digits of SHA-256 over a typed encoding (equal numbers hash alike).",
            "[\"hash\", \"ocht\", 1]", "\"c3ef56684b401720\"", Hashing.Hash);
    }

    private static void Strict(string name, string group, int min, int max, string signature, string summary, string example, string result,
        Applier apply, Func<Evaluator[], Evaluator?>? specialize = null) =>
        Add(new FunctionDef(new FunctionSpec(name, group, min, max, signature, summary, example, result), apply, specialize));

    private static void Lazy(string name, string group, int min, int max, string signature, string summary, string example, string result,
        Func<Evaluator[], Evaluator?>? specialize = null) =>
        Add(new FunctionDef(new FunctionSpec(name, group, min, max, signature, summary, example, result), null, specialize));

    private static void Add(FunctionDef def)
    {
        Defs.Add(def.Spec.Name, def);
        Ordered.Add(def);
    }

    private static bool AnyNull(ReadOnlySpan<Value> a)
    {
        foreach (var v in a)
            if (v.IsNull) return true;
        return false;
    }

    private delegate Value Binary(in Value a, in Value b);
    private delegate Value Unary(in Value a);

    /// <summary>n-ary arithmetic is the binary operator folded from the left: ["*", a, b, c] is (a * b) * c,
    /// each step null if either side is null.</summary>
    private static Value Fold(ReadOnlySpan<Value> a, string op, Binary f)
    {
        var acc = a[0];
        for (int i = 1; i < a.Length; i++)
        {
            if (acc.IsNull || a[i].IsNull) { acc = Value.Null; continue; }
            acc = f(Numbers.Coerce(acc, op, i == 1 ? 0 : -1), Numbers.Coerce(a[i], op, i));
        }
        return acc;
    }

    /// <summary>The same left fold as nested two-operand nodes.</summary>
    private static Evaluator Chain(string op, Evaluator[] e)
    {
        Evaluator acc = new ArithmeticEval(op, e[0], e[1]);
        for (int i = 2; i < e.Length; i++) acc = new ArithmeticEval(op, acc, e[i]);
        return acc;
    }

    /// <summary>round with literal digits (the usual form) checks the digits once, at compile time.</summary>
    private static Evaluator? SpecializeRound(Evaluator[] e)
    {
        if (e.Length == 2 && e[1] is not ConstEval) return null;
        long digits = e.Length == 2 ? Whole(((ConstEval)e[1]).Value, "round", 1) : 0;
        if (digits is > 28 or < -18) return null;
        return new RoundEval(e[0], digits);
    }

    private static Value NullOr(in Value v, string op, Unary f) => v.IsNull ? v : f(Numbers.Coerce(v, op, 0));

    private static Value NullOrText(in Value v, Func<string, string> f) => v.IsNull ? v : Value.FromString(f(Text.Of(v)));

    /// <summary>An argument that must be a whole number (digits, positions, lengths).</summary>
    private static long Whole(in Value v, string op, int operand)
    {
        var n = Numbers.Coerce(v, op, operand);
        if (n.Kind == ValueKind.Int) return n.AsInt;
        decimal d = n.ToDecimal();
        if (d != decimal.Truncate(d) || d < long.MinValue || d > long.MaxValue)
            throw EvalException.Type($"\"{op}\" expects a whole number, found {Show.Value(v)}", operand);
        return (long)d;
    }

    private static Value Round(ReadOnlySpan<Value> a)
    {
        if (AnyNull(a)) return Value.Null;
        long digits = a.Length > 1 ? Whole(a[1], "round", 1) : 0;
        return Numbers.Round(Numbers.Coerce(a[0], "round", 0), digits);
    }

    private static Value Substr(ReadOnlySpan<Value> a)
    {
        if (AnyNull(a)) return Value.Null;
        long start = Whole(a[1], "substr", 1);
        long? length = a.Length > 2 ? Whole(a[2], "substr", 2) : null;
        return Text.Substring(a[0], start, length);
    }

    private static readonly ConcurrentDictionary<string, Regex> DynamicPatterns = new(StringComparer.Ordinal);

    private static Value MatchesDynamic(ReadOnlySpan<Value> a)
    {
        if (AnyNull(a)) return Value.Null;
        string pattern = Text.Of(a[1]);
        if (!DynamicPatterns.TryGetValue(pattern, out var regex))
        {
            try { regex = Text.Compile(pattern); }
            catch (ArgumentException e) { throw EvalException.Type($"\"matches\": invalid pattern {Show.Value(a[1])}: {e.Message}", 1); }
            if (DynamicPatterns.Count < 1000) DynamicPatterns[pattern] = regex;
        }
        return Text.Matches(Text.Of(a[0]), regex);
    }

    private static Evaluator? SpecializeMatches(Evaluator[] e) =>
        e[1] is ConstEval { Value.Kind: ValueKind.String } c ? new MatchesEval(e[0], Text.Compile(c.Value.AsString)) : null;

    private static Value DateTrunc(ReadOnlySpan<Value> a)
    {
        if (AnyNull(a)) return Value.Null;
        if (a[0].Kind != ValueKind.String) throw EvalException.Type($"\"date-trunc\" unit must be text, found {Show.Value(a[0])}", 0);
        return Time.Truncate(a[0].AsString, Time.Ticks(a[1], "date-trunc", 1));
    }

    /// <summary>Checks a literal unit at compile time; evaluation stays generic.</summary>
    private static Evaluator? SpecializeDateTrunc(Evaluator[] e)
    {
        if (e[0] is ConstEval { Value.Kind: ValueKind.String } c && !Time.Units.Contains(c.Value.AsString))
            throw EvalException.Type($"\"date-trunc\" unit must be one of {string.Join(", ", Time.Units)}, found \"{c.Value.AsString}\"{Ocht.Document.Suggest.Hint(c.Value.AsString, Time.Units)}", 0);
        return null;
    }

}
