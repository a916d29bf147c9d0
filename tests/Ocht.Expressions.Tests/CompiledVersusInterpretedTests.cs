using FsCheck.Fluent;
using Ocht.Document;
using Ocht.Expressions;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Expressions.Tests;

/// <summary>
/// The compiled form (folding, per-schema field slots, specialised nodes, lazy forms) must agree with a
/// plain tree-walking interpreter over the reference semantics, on random expression trees and records.
/// </summary>
public class CompiledVersusInterpretedTests
{
    private static Value Interpret(Expr e, Record r) => e switch
    {
        Literal l => l.Value,
        FieldRef f => Path(r[f.Path[0]], f.Path),
        Call c => Expressions.Apply(c.Op, c.Args.Count, i => Interpret(c.Args[i], r)),
        _ => throw new InvalidOperationException(),
    };

    private static Value Path(Value v, IReadOnlyList<string> path)
    {
        for (int i = 1; i < path.Count; i++)
        {
            if (v.IsNull) return v;
            if (v.Kind != ValueKind.Map) throw EvalException.Type("not a map");
            v.AsMap.TryGet(path[i], out v);
        }
        return v;
    }

    private static (string Outcome, bool Ok) Run(Func<Value> f)
    {
        try { return (ValueJson.ToJson(f()), true); }
        catch (EvalException e) { return (e.Kind, false); }
    }

    [Fact]
    public void Compiled_expressions_agree_with_the_interpreter() =>
        Properties.Check(Prop.ForAll(Gen.Zip(Generators.Expression(), Generators.Records(max: 8)).ToArbitrary(), t =>
        {
            var (json, records) = t;
            var node = DocParser.Parse(json).Root!;
            var d = new Diagnostics();
            var expr = Expressions.Parse(node, d);
            var compiled = expr is null ? null : Expressions.Compile(expr, d);
            if (compiled is null) return true; // a constant part failed to fold: reported at validation, never run
            foreach (var record in records)
            {
                var viaCompiled = Run(() => compiled.Eval(record));
                var viaInterpreter = Run(() => Interpret(expr!, record));
                if (viaCompiled != viaInterpreter)
                    throw new Xunit.Sdk.XunitException($"{json} on {record}: compiled {viaCompiled}, interpreted {viaInterpreter}");
            }
            return true;
        }), 1500);

    [Fact]
    public void A_compiled_expression_reads_records_of_different_shapes_correctly()
    {
        var compiled = Expressions.Compile("""["+", ":a", ":b"]""");
        Assert.Equal("3", ValueJson.ToJson(compiled.Eval(Record.Of(("a", 1), ("b", 2)))));
        Assert.Equal("12", ValueJson.ToJson(compiled.Eval(Record.Of(("b", 10), ("x", 0), ("a", 2)))));
        Assert.Equal("null", ValueJson.ToJson(compiled.Eval(Record.Of(("b", 10)))));
        Assert.Equal("3", ValueJson.ToJson(compiled.Eval(Record.Of(("a", 1), ("b", 2)))));
    }
}
