using Ocht.Document;
using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>A parsed expression (§3). <see cref="Source"/> points into the document for messages.</summary>
public abstract record Expr(DocNode? Source)
{
    /// <summary>The expression in its document form, e.g. <c>["=", ":status", "paid"]</c>.</summary>
    public abstract string ToJson();
    /// <summary>Sealed, so records deriving from Expr print their document form, not a member dump.</summary>
    public sealed override string ToString() => ToJson();
}

/// <summary>A field reference: <c>":a"</c>, a path <c>":a.b"</c> into nested maps, or <c>["get", "a.b"]</c>.</summary>
public sealed record FieldRef(IReadOnlyList<string> Path, DocNode? Source = null) : Expr(Source)
{
    public string Field => Path[0];
    public string Display => string.Join(".", Path);

    public override string ToJson() =>
        Path.Count == 1 && Path[0].Contains('.') ? $"[\"get\", {Json(Path[0])}]" : Json(":" + Display);

    internal static string Json(string s) => ValueJson.ToJson(Value.FromString(s));
}

/// <summary>A literal value (strings not starting with ':', numbers, booleans, null, or <c>["lit", x]</c>).</summary>
public sealed record Literal(Value Value, DocNode? Source = null) : Expr(Source)
{
    public override string ToJson() =>
        Value.Kind is ValueKind.List or ValueKind.Map || (Value.Kind == ValueKind.String && Value.AsString.StartsWith(':'))
            ? $"[\"lit\", {ValueJson.ToJson(Value)}]"
            : ValueJson.ToJson(Value);
}

/// <summary>An application <c>[op, arg1, arg2, ...]</c>.</summary>
public sealed record Call(string Op, IReadOnlyList<Expr> Args, DocNode? Source = null) : Expr(Source)
{
    public override string ToJson() =>
        Args.Count == 0 ? $"[{FieldRef.Json(Op)}]" : $"[{FieldRef.Json(Op)}, {string.Join(", ", Args.Select(a => a.ToJson()))}]";
}
