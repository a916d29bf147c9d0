using Ocht.Document;
using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>The expressions brick: parse expressions from documents, compile them once, and describe
/// the operators.</summary>
public static class Expressions
{
    /// <summary>Every operator, in documentation order.</summary>
    public static IReadOnlyList<FunctionSpec> Functions { get; } = Catalog.All.Select(d => d.Spec).ToArray();

    /// <summary>The special forms handled by the parser rather than the catalog.</summary>
    public static IReadOnlyList<FunctionSpec> SpecialForms { get; } =
    [
        new("lit", "special", 1, 1, "[\"lit\", x]", "x taken literally: [\"lit\", \":x\"] is the text \":x\", [\"lit\", [1, 2]] a list.", "[\"lit\", \":not-a-field\"]", "\":not-a-field\""),
        new("get", "special", 1, 1, "[\"get\", \"name\"]", "The field with this exact name, even if it contains dots.", "[\"get\", \"price.usd\"]", "12.50"),
    ];

    /// <summary>Parses an expression node, reporting every problem to <paramref name="diagnostics"/>; null when invalid.</summary>
    public static Expr? Parse(DocNode node, Diagnostics diagnostics, FieldScope? scope = null) =>
        ExprParser.Parse(node, diagnostics, scope ?? FieldScope.Unknown);

    /// <summary>Compiles a parsed expression; constant parts are folded (a constant error such as
    /// ["/", 1, 0] is reported as a validation error). Null when folding failed.</summary>
    public static CompiledExpr? Compile(Expr expr, Diagnostics diagnostics) => ExprCompiler.Compile(expr, diagnostics);

    /// <summary>Parses and compiles expression JSON text (for the notebook and tests); throws with the
    /// diagnostics when it is not valid.</summary>
    public static CompiledExpr Compile(string json, FieldScope? scope = null)
    {
        var parsed = DocParser.Parse(json);
        var diagnostics = new Diagnostics();
        if (parsed.Root is null)
            throw new FormatException(string.Join("; ", parsed.Diagnostics.Select(d => d.ToString())));
        var expr = Parse(parsed.Root, diagnostics, scope);
        var compiled = expr is null ? null : Compile(expr, diagnostics);
        if (compiled is null || diagnostics.HasErrors)
            throw new FormatException(string.Join("; ", diagnostics.Sorted().Select(d => d.ToString())));
        return compiled;
    }

    /// <summary>The type names of documents (cast step, CSV "types"): int, decimal, float, string, bool, timestamp.</summary>
    public static IReadOnlyList<string> TypeNames => Conversions.TypeNames;

    /// <summary>Converts a value to a named type by the rules of the conversion functions; throws
    /// <see cref="EvalException"/> (type-error) when it cannot.</summary>
    public static Value Convert(string type, in Value value) => Conversions.To(type, value);

    /// <summary>The operand as a number (text is parsed); type-error otherwise. For aggregates.</summary>
    public static Value ToNumber(in Value value, string op) => Numbers.Coerce(value, op, 0);

    /// <summary>Sum of two numbers by the §3 rules (int overflow is an arithmetic-error).</summary>
    public static Value Add(in Value a, in Value b) => Numbers.Add(a, b);

    /// <summary>Quotient of two numbers by the §3 rules (never truncates).</summary>
    public static Value Divide(in Value a, in Value b) => Numbers.Divide(a, b);

    /// <summary>The top-level fields an expression reads.</summary>
    public static IReadOnlyList<string> FieldsUsed(Expr expr)
    {
        var fields = new List<string>();
        Collect(expr, fields);
        return fields;

        static void Collect(Expr e, List<string> into)
        {
            switch (e)
            {
                case FieldRef f when !into.Contains(f.Field): into.Add(f.Field); break;
                case Call c: foreach (var a in c.Args) Collect(a, into); break;
            }
        }
    }

    /// <summary>
    /// The reference semantics of one operator: arguments are produced on demand by <paramref name="arg"/>
    /// (lazy forms use only what they need). Used by the reference interpreter the compiled form is checked against.
    /// </summary>
    public static Value Apply(string op, int count, Func<int, Value> arg)
    {
        var def = Catalog.Find(op) ?? throw new ArgumentException($"unknown operator \"{op}\"");
        if (def.IsLazy)
        {
            var source = new FuncArgs(count, arg);
            return LazyForms.Eval(op, ref source);
        }
        var values = new Value[count];
        for (int i = 0; i < count; i++) values[i] = arg(i);
        return def.Apply!(values);
    }

    private readonly struct FuncArgs(int count, Func<int, Value> arg) : LazyForms.IArgs
    {
        public int Count => count;
        public Value Get(int i) => arg(i);
        public string? FieldOf(int i) => null;
    }
}
