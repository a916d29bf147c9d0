using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>The semantics of and, or, if and coalesce, written once for compiled evaluation and for
/// the reference interpreter: arguments are produced on demand.</summary>
internal static class LazyForms
{
    public interface IArgs
    {
        int Count { get; }
        Value Get(int i);
        string? FieldOf(int i);
    }

    public static Value Eval<T>(string op, ref T args) where T : IArgs, allows ref struct
    {
        switch (op)
        {
            case "and":
                {
                    var result = Value.True;
                    for (int i = 0; i < args.Count; i++)
                    {
                        var v = Truth(ref args, i, op);
                        if (v.Kind == ValueKind.Bool && !v.AsBool) return Value.False;
                        if (v.IsNull) result = Value.Null;
                    }
                    return result;
                }
            case "or":
                {
                    var result = Value.False;
                    for (int i = 0; i < args.Count; i++)
                    {
                        var v = Truth(ref args, i, op);
                        if (v.Kind == ValueKind.Bool && v.AsBool) return Value.True;
                        if (v.IsNull) result = Value.Null;
                    }
                    return result;
                }
            case "if":
                {
                    var c = Truth(ref args, 0, op);
                    if (c.Kind == ValueKind.Bool && c.AsBool) return args.Get(1);
                    return args.Count > 2 ? args.Get(2) : Value.Null;
                }
            case "coalesce":
                for (int i = 0; i < args.Count; i++)
                {
                    var v = args.Get(i);
                    if (!v.IsNull) return v;
                }
                return Value.Null;
            default:
                throw new ArgumentException($"\"{op}\" is not a lazy form");
        }
    }

    private static Value Truth<T>(ref T args, int i, string op) where T : IArgs, allows ref struct
    {
        var v = args.Get(i);
        if (v.Kind is ValueKind.Bool or ValueKind.Null) return v;
        var e = EvalException.Type($"\"{op}\" expects true, false or null, found {Show.Value(v)} ({Show.Kind(v.Kind)})", i);
        throw args.FieldOf(i) is { } field ? e.WithField(field) : e;
    }
}
