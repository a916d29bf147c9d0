using System.Text;
using Ocht.Document;

namespace Ocht.Model;

/// <summary><c>ocht explain</c>: the plan as a person reads it. Secrets never appear.</summary>
public static class Explain
{
    public static string Render(PipelinePlan plan)
    {
        var sb = new StringBuilder();
        sb.Append("pipeline ").Append(plan.Name);
        if (plan.Path is not null) sb.Append("  (").Append(plan.Path).Append(')');
        sb.AppendLine();
        sb.Append("source   ").AppendLine(Connector(plan.Source));
        if (plan.SourceFields.IsKnown) sb.Append("         fields: ").AppendLine(string.Join(", ", plan.SourceFields.Fields!));
        if (plan.SourceNeeds is { } needs && plan.SourceFields.IsKnown && needs.Count < plan.SourceFields.Fields!.Count)
            sb.Append("         reads:  ").Append(string.Join(", ", plan.SourceFields.Fields!.Where(needs.Contains)))
              .AppendLine(" (other columns are checked, not loaded)");
        sb.AppendLine(plan.Steps.Count == 0 ? "steps    (none)" : "steps");
        foreach (var step in plan.Steps)
        {
            string traits = step.Traits.HasFlag(Transforms.StepTraits.Blocking) ? " [holds records until the input ends]" : "";
            sb.Append($"  {step.Index,2} {step.Op,-10} ").Append(step.Summary).AppendLine(traits);
            if (step.Output.IsKnown && step.Output.Fields != step.Input.Fields)
                sb.Append("              -> ").AppendLine(string.Join(", ", step.Output.Fields!));
        }
        foreach (var sink in plan.Sinks)
        {
            sb.Append("sink     ").Append(Connector(sink.Target));
            if (sink.When is not null) sb.Append("  when ").Append(sink.When);
            sb.AppendLine();
        }
        sb.Append("on_error ").AppendLine(plan.OnError.Describe());
        var o = plan.Options;
        sb.AppendLine($"options  batch_size {o.BatchSize}, parallelism {(o.Parallelism == 0 ? "one per core" : o.Parallelism.ToString(System.Globalization.CultureInfo.InvariantCulture))}, memory_mb {o.MemoryMb}");
        if (plan.Tests.Count > 0) sb.AppendLine($"tests    {string.Join(", ", plan.Tests.Select(t => t.Name))}");
        return plan.Secrets.Redact(sb.ToString());
    }

    private static string Connector(ConnectorConfig config)
    {
        var options = config.Node.Properties
            .Where(p => p.Name is not ("connector" or "when" or "path"))
            .Select(p => $"{p.Name}={DocWriter.ToJson(p.Value)}");
        string rest = string.Join(" ", options);
        return $"{config.Name} {config.Describe()}{(rest.Length > 0 ? "  " + rest : "")}";
    }
}
