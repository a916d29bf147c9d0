using Ocht.Document;
using Ocht.Expressions;

namespace Ocht.Transforms;

/// <summary>A validated, compiled step: immutable and shared by every run of a plan. Each run gets
/// its own <see cref="StepRunner"/> from <see cref="CreateRunner"/>.</summary>
public sealed class StepDefinition
{
    private readonly Func<StepDefinition, StepResources, StepRunner> _factory;
    private readonly Func<IReadOnlySet<string>?, IReadOnlySet<string>?> _needs;

    internal StepDefinition(int index, string op, DocNode node, FieldScope input, FieldScope output, StepTraits traits,
        string summary, Func<StepDefinition, StepResources, StepRunner> factory, DocNode? table, Func<IReadOnlySet<string>?, IReadOnlySet<string>?> needs)
    {
        _needs = needs;
        Index = index;
        Op = op;
        Node = node;
        Input = input;
        Output = output;
        Traits = traits;
        Summary = summary;
        Table = table;
        _factory = factory;
    }

    public int Index { get; }
    public string Op { get; }
    public DocNode Node { get; }
    /// <summary>Fields known to reach the step (unknown for schemaless input).</summary>
    public FieldScope Input { get; }
    public FieldScope Output { get; }
    public StepTraits Traits { get; }
    /// <summary>One line for <c>ocht explain</c>.</summary>
    public string Summary { get; }
    /// <summary>For lookup: the side table's connector object.</summary>
    public DocNode? Table { get; }

    public StepRunner CreateRunner(StepResources resources) => _factory(this, resources);

    /// <summary>The input fields this step reads, given the fields needed from its output (null: all).
    /// A field the step may reject a record for counts as read, so leaving fields out never changes results.</summary>
    public IReadOnlySet<string>? InputNeeds(IReadOnlySet<string>? output) => _needs(output);
}

/// <summary>How a step can be scheduled.</summary>
[Flags]
public enum StepTraits
{
    None = 0,
    /// <summary>Each batch is processed independently (batches may run in parallel, order kept by the caller).</summary>
    Stateless = 1,
    /// <summary>Holds records until the end of input (sort, aggregate).</summary>
    Blocking = 2,
    /// <summary>Turns records into groups: in = merged + rejected; its output records are new (aggregate).</summary>
    Aggregating = 4,
}
