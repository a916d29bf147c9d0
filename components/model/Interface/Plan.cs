using Ocht.Document;
using Ocht.Expressions;
using Ocht.Transforms;
using Ocht.Values;

namespace Ocht.Model;

public enum ErrorMode { Fail, Skip, DeadLetter }

/// <summary>on_error (§6): what happens to rejected records.</summary>
public sealed record ErrorPolicy(ErrorMode Mode, ConnectorConfig? DeadLetter, long? Max)
{
    public static readonly ErrorPolicy Fail = new(ErrorMode.Fail, null, 0);

    public string Describe() => Mode switch
    {
        ErrorMode.Fail => "fail on the first rejected record",
        ErrorMode.Skip => $"skip rejected records{MaxText}",
        _ => $"dead-letter rejected records to {DeadLetter!.Describe()}{MaxText}",
    };

    private string MaxText => Max is long m ? $", fail after {m}" : "";
}

/// <summary>A sink with its optional routing condition.</summary>
public sealed record SinkPlan(ConnectorConfig Target, CompiledExpr? When);

/// <summary>options: runtime tuning.</summary>
public sealed record RunOptions(int BatchSize, int Parallelism, long MemoryMb)
{
    public long MemoryBytes => MemoryMb << 20;
}

/// <summary>One inline test (§7): records fed through the steps, and what must come out.</summary>
public sealed record TestCase(string Name, IReadOnlyList<Record> Input, IReadOnlyList<Record> Expect, DocNode Node)
{
    /// <summary>How many records the test expects the steps to reject; null: none may be.</summary>
    public long? Rejected { get; init; }
}

/// <summary>
/// A validated pipeline, compiled once and immutable: it can run any number of times (CLI, worker,
/// API, notebook). Each run creates its own step runners and connector instances.
/// </summary>
public sealed class PipelinePlan
{
    internal PipelinePlan(string name, string? path, DocNode document, ConnectorConfig source, IReadOnlyList<StepDefinition> steps,
        IReadOnlyList<SinkPlan> sinks, ErrorPolicy onError, RunOptions options, IReadOnlyList<TestCase> tests, Secrets secrets, FieldScope sourceFields,
        IReadOnlyDictionary<int, ConnectorConfig> tables, FieldScope outputFields)
    {
        Tables = tables;
        OutputFields = outputFields;
        Name = name;
        Path = path;
        Document = document;
        Source = source;
        Steps = steps;
        Sinks = sinks;
        OnError = onError;
        Options = options;
        Tests = tests;
        Secrets = secrets;
        SourceFields = sourceFields;
    }

    public string Name { get; }
    /// <summary>The file the plan came from (null for documents given as text).</summary>
    public string? Path { get; }
    /// <summary>The resolved document (secrets marked), for explain.</summary>
    public DocNode Document { get; }
    public ConnectorConfig Source { get; }
    public FieldScope SourceFields { get; }
    /// <summary>The fields records have when they reach the sinks (unknown for schemaless input).</summary>
    public FieldScope OutputFields { get; }

    /// <summary>The source fields the steps and sinks read (null: all). Dead letters carry whole
    /// records, so a dead-letter policy reads every field.</summary>
    public IReadOnlySet<string>? SourceNeeds
    {
        get
        {
            if (OnError.Mode == ErrorMode.DeadLetter) return null;
            IReadOnlySet<string>? needs = null; // sinks write every field they get
            for (int i = Steps.Count - 1; i >= 0; i--) needs = Steps[i].InputNeeds(needs);
            return needs;
        }
    }
    public IReadOnlyList<StepDefinition> Steps { get; }
    public IReadOnlyList<SinkPlan> Sinks { get; }
    public ErrorPolicy OnError { get; }
    public RunOptions Options { get; }
    public IReadOnlyList<TestCase> Tests { get; }
    public Secrets Secrets { get; }
    /// <summary>Side tables of lookup steps, by step index.</summary>
    public IReadOnlyDictionary<int, ConnectorConfig> Tables { get; }

    /// <summary>How many fields the stateless steps right after the source add at most (see
    /// <see cref="SourceContext.SpareFields"/>): what each step's known output has beyond its input, summed.</summary>
    public int FieldsAddedAfterSource
    {
        get
        {
            int added = 0;
            foreach (var step in Steps)
            {
                if (!step.Traits.HasFlag(StepTraits.Stateless)) break;
                if (step.Input.Fields is { } input && step.Output.Fields is { } output) added += Math.Max(0, output.Count - input.Count);
            }
            return added;
        }
    }

    /// <summary>True when some step turns records into groups (the §6 balance rule differs).</summary>
    public bool Aggregates => Steps.Any(s => s.Traits.HasFlag(StepTraits.Aggregating));
}
