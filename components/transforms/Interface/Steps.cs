using Ocht.Document;
using Ocht.Expressions;

namespace Ocht.Transforms;

/// <summary>Context for compiling steps that refer to other parts of the document.</summary>
public sealed class StepCompileContext
{
    /// <summary>Validates a lookup's "from" connector and returns the fields it provides (unknown if it cannot tell).</summary>
    public Func<DocNode, Diagnostics, FieldScope>? ValidateTable { get; init; }
}

/// <summary>The transforms brick: the step catalog and step compilation (§4).</summary>
public static class Steps
{
    /// <summary>Every step, in documentation order.</summary>
    public static IReadOnlyList<ComponentSpec> Specs => StepCatalog.Specs;

    /// <summary>Validates and compiles the step at <paramref name="node"/>; null (with diagnostics) when invalid.
    /// <paramref name="output"/> is the field scope after the step (unknown if it cannot be known).</summary>
    public static StepDefinition? Compile(int index, DocNode node, FieldScope input, StepCompileContext context, Diagnostics diagnostics, out FieldScope output) =>
        StepCatalog.Compile(index, node, input, context, diagnostics, out output);
}
