using Ocht.Document;
using Ocht.Expressions;
using Ocht.Transforms;

namespace Ocht.Model;

/// <summary>Everything a document may name: connectors (given by the host), steps and functions.</summary>
public sealed class Catalog
{
    public Catalog(IEnumerable<IConnector> connectors)
    {
        Connectors = connectors.ToArray();
        var dup = Connectors.GroupBy(c => c.Spec.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"connector \"{dup.Key}\" is registered twice");
    }

    public IReadOnlyList<IConnector> Connectors { get; }
    public IReadOnlyList<ComponentSpec> Steps => Transforms.Steps.Specs;
    public IReadOnlyList<FunctionSpec> Functions => Expressions.Expressions.Functions;
    public IReadOnlyList<FunctionSpec> SpecialForms => Expressions.Expressions.SpecialForms;

    /// <summary>The document's own sections (top level, on_error, options, tests).</summary>
    public IReadOnlyList<ComponentSpec> Sections => DocumentSpecs.All;

    public IConnector? FindConnector(string name) => Connectors.FirstOrDefault(c => c.Spec.Name == name);
}
