using Ocht.Document;
using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>
/// <see cref="Expr"/> to an evaluator tree, once per run: field slots cached per schema, hot shapes
/// (two-operand comparison and arithmetic, literal regexes) specialised, constant sub-trees folded.
/// </summary>
internal static class ExprCompiler
{
    public static CompiledExpr? Compile(Expr expr, Diagnostics diagnostics)
    {
        int before = diagnostics.Count;
        var root = Build(expr, diagnostics);
        return root is null || diagnostics.Count > before ? null : new CompiledExpr(expr, root);
    }

    private static Evaluator? Build(Expr expr, Diagnostics d)
    {
        switch (expr)
        {
            case Literal l: return new ConstEval(l.Value);
            case FieldRef f:
                {
                    var head = new FieldEval(f.Field);
                    return f.Path.Count == 1 ? head : new PathEval(head, f.Path.ToArray());
                }
        }
        var call = (Call)expr;
        var def = Catalog.Find(call.Op)!;
        var args = new Evaluator[call.Args.Count];
        for (int i = 0; i < args.Length; i++)
        {
            var a = Build(call.Args[i], d);
            if (a is null) return null;
            args[i] = a;
        }
        Evaluator evaluator;
        try
        {
            evaluator = (def.Specialize?.Invoke(args))
                ?? (def.IsLazy ? new LazyEval(def, args) : new CallEval(def, args));
        }
        catch (Exception e) when (e is EvalException or ArgumentException)
        {
            Report(d, call, e);
            return null;
        }
        if (!args.All(a => a.IsConstant)) return evaluator;
        try
        {
            return new ConstEval(evaluator.Eval(new Row(Schema.Empty, default)));
        }
        catch (EvalException e)
        {
            Report(d, call, e);
            return null;
        }
    }

    private static void Report(Diagnostics d, Call call, Exception e)
    {
        var at = call.Source;
        if (e is EvalException { Operand: int i } && at is { IsArray: true } && i + 1 < at.Items.Count)
            at = at.Items[i + 1];
        string message = e is ArgumentException ? $"\"{call.Op}\": invalid pattern: {e.Message}" : e.Message;
        if (at is null) d.Add("", new DocPosition(0, 0), message);
        else d.Add(at, message);
    }
}
