using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Expressions.Tests;

/// <summary>Helpers: evaluate expression JSON against a record given as JSON.</summary>
internal static class Eval
{
    public static Value Of(string expression, string record = "{}") =>
        Expressions.Compile(expression).Eval(ValueJson.ParseRecord(record));

    public static string Text(string expression, string record = "{}") => ValueJson.ToJson(Of(expression, record));

    public static EvalException Error(string expression, string record = "{}") =>
        Assert.Throws<EvalException>(() => Of(expression, record));
}
