using Ocht.Document;
using Ocht.Expressions;

namespace Ocht.Transforms;

/// <summary>What compiling a step needs: its node, index, input scope and the surroundings.</summary>
internal sealed record StepSource(int Index, DocNode Node, Options Options, FieldScope Input, StepCompileContext Context, Diagnostics Diagnostics)
{
    public string Op => Options.Spec.Name;

    public DocNode At(string option) => Node[option] ?? Node;

    public StepDefinition Define(FieldScope output, StepTraits traits, string summary,
        Func<StepDefinition, StepResources, StepRunner> factory, Func<IReadOnlySet<string>?, IReadOnlySet<string>?> needs, DocNode? table = null) =>
        new(Index, Op, Node, Input, output, traits, summary, factory, table, needs);
}

/// <summary>Rules for which input fields a step reads (null: all fields).</summary>
internal static class Needs
{
    /// <summary>What is needed after, plus what the step itself reads.</summary>
    public static Func<IReadOnlySet<string>?, IReadOnlySet<string>?> Plus(IEnumerable<string> reads)
    {
        var own = reads.ToHashSet(StringComparer.Ordinal);
        return after => after is null ? null : after.Union(own, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Exactly these fields, whatever is needed after (select, aggregate).</summary>
    public static Func<IReadOnlySet<string>?, IReadOnlySet<string>?> Exactly(IEnumerable<string> reads)
    {
        var own = reads.ToHashSet(StringComparer.Ordinal);
        return _ => own;
    }

    public static IEnumerable<string> Of(IEnumerable<Expressions.CompiledExpr> exprs) =>
        exprs.SelectMany(e => Expressions.Expressions.FieldsUsed(e.Source));
}

/// <summary>The registry of steps: one registration per step, with its spec and compiler.</summary>
internal static class StepCatalog
{
    private delegate StepDefinition? Compiler(StepSource source);

    private static readonly List<(ComponentSpec Spec, Compiler Compile)> Registered = new();

    public static IReadOnlyList<ComponentSpec> Specs { get; }

    static StepCatalog()
    {
        Register(FilterStep.Spec, FilterStep.Compile);
        Register(DeriveStep.Spec, DeriveStep.Compile);
        Register(SelectStep.Spec, SelectStep.Compile);
        Register(DropStep.Spec, DropStep.Compile);
        Register(RenameStep.Spec, RenameStep.Compile);
        Register(CastStep.Spec, CastStep.Compile);
        Register(DedupeStep.Spec, DedupeStep.Compile);
        Register(LimitStep.Spec, LimitStep.Compile);
        Register(SortStep.Spec, SortStep.Compile);
        Register(AggregateStep.Spec, AggregateStep.Compile);
        Register(WindowStep.Spec, WindowStep.Compile);
        Register(LookupStep.Spec, LookupStep.Compile);
        Specs = Registered.Select(r => r.Spec).ToArray();
    }

    private static void Register(ComponentSpec spec, Compiler compile) => Registered.Add((spec, compile));

    public static StepDefinition? Compile(int index, DocNode node, FieldScope input, StepCompileContext context, Diagnostics d, out FieldScope output)
    {
        output = FieldScope.Unknown;
        if (!node.IsObject)
        {
            d.Add(node, $"a step is an object like {{\"op\": \"filter\", ...}}, found {node.Describe()}");
            return null;
        }
        var opNode = node["op"];
        if (opNode is null)
        {
            d.Add(node, $"a step needs \"op\" (one of {string.Join(", ", Specs.Select(s => s.Name))})");
            return null;
        }
        if (!opNode.IsString)
        {
            d.Add(opNode, $"\"op\" must be a step name, found {opNode.Describe()}");
            return null;
        }
        var entry = Registered.FirstOrDefault(r => r.Spec.Name == opNode.Text);
        if (entry.Spec is null)
        {
            var meant = Suggest.Closest(opNode.Text!, Specs.Select(s => s.Name));
            d.Add(opNode, $"unknown operator \"{opNode.Text}\"{(meant is null ? "" : $"; did you mean \"{meant}\"?")}");
            output = meant is null ? FieldScope.Unknown : FieldsAfterFailure(meant, node, input);
            return null;
        }
        int before = d.Count;
        SpecValidator.Check(node, entry.Spec, Roles.Both, d, ["op"]);
        var definition = d.Count > before ? null : entry.Compile(new StepSource(index, node, new Options(node, entry.Spec), input, context, d));
        if (definition is null || d.Count > before)
        {
            output = FieldsAfterFailure(entry.Spec.Name, node, input);
            return null;
        }
        output = definition.Output;
        return definition;
    }

    /// <summary>
    /// The fields after a step that failed to compile, where its shape still tells: later steps then
    /// get their own field checks, so one run of validate reports every typo, not just the first.
    /// </summary>
    private static FieldScope FieldsAfterFailure(string op, DocNode node, FieldScope input)
    {
        static IEnumerable<string> Names(DocNode? n) =>
            n is { IsArray: true } ? n.Items.Where(i => i.IsString).Select(i => i.Text!) : [];
        return op switch
        {
            "filter" or "dedupe" or "limit" or "sort" or "cast" => input,
            "derive" when node["fields"] is { IsObject: true } fields => input.With(fields.Properties.Select(p => p.Name)),
            "select" when node["fields"] is { IsArray: true } fields => FieldScope.Of(Names(fields).Distinct()),
            "drop" => input.Without(Names(node["fields"])),
            _ => FieldScope.Unknown,
        };
    }
}
