namespace Ocht.Expressions;

/// <summary>The description of one operator: drives validation (arity), <c>ocht list functions</c>, docs and the schema.</summary>
public sealed record FunctionSpec(
    string Name,
    string Group,
    int MinArgs,
    int MaxArgs,
    string Signature,
    string Summary,
    string Example,
    string ExampleResult)
{
    public const int Variadic = int.MaxValue;

    public string ArityText => MaxArgs == Variadic
        ? $"at least {MinArgs} argument{(MinArgs == 1 ? "" : "s")}"
        : MinArgs == MaxArgs ? $"{MinArgs} argument{(MinArgs == 1 ? "" : "s")}" : $"{MinArgs} to {MaxArgs} arguments";
}
