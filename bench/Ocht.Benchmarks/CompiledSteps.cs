using Ocht.Document;
using Ocht.Expressions;
using Ocht.Transforms;
using Ocht.Values;

namespace Ocht.Benchmarks;

/// <summary>
/// Steps compiled once from their document JSON, run the way the executor runs them: every batch a
/// step emits goes to the next step, and what leaves the last one is counted and released.
/// </summary>
public sealed class CompiledSteps
{
    private readonly StepDefinition[] _steps;

    public CompiledSteps(FieldScope input, params string[] steps)
    {
        _steps = new StepDefinition[steps.Length];
        for (int i = 0; i < steps.Length; i++)
        {
            var diagnostics = new Document.Diagnostics();
            var step = Steps.Compile(i, DocParser.Parse(steps[i]).Root!, input, new StepCompileContext(), diagnostics, out input);
            if (step is null || diagnostics.HasErrors)
                throw new ArgumentException($"step {steps[i]}: {string.Join("; ", diagnostics.Sorted())}");
            _steps[i] = step;
        }
    }

    /// <summary>Pushes every batch through fresh runners, completes them, and returns the rows that came out.</summary>
    public long Run(IEnumerable<Batch> input, StepResources resources) => Execute(input, resources, complete: true);

    /// <summary>Pushes every batch but never reaches the end of input: what blocking steps (sort) do
    /// before their output starts.</summary>
    public void Feed(IEnumerable<Batch> input, StepResources resources) => Execute(input, resources, complete: false);

    private long Execute(IEnumerable<Batch> input, StepResources resources, bool complete)
    {
        var runners = _steps.Select(s => s.CreateRunner(resources)).ToArray();
        var outputs = _steps.Select(_ => new StepOutput()).ToArray();
        try
        {
            long rows = 0;
            foreach (var batch in input) rows += Push(runners, outputs, 0, batch);
            if (!complete) return rows;
            for (int i = 0; i < runners.Length; i++)
                foreach (var batch in runners[i].Complete(outputs[i]))
                    rows += Push(runners, outputs, i + 1, batch);
            return rows;
        }
        finally
        {
            foreach (var runner in runners) runner.Dispose();
        }
    }

    private static long Push(StepRunner[] runners, StepOutput[] outputs, int step, Batch batch)
    {
        if (step == runners.Length)
        {
            long count = batch.Count;
            batch.Release();
            return count;
        }
        var output = outputs[step];
        output.Clear();
        runners[step].Process(batch, output);
        long rows = 0;
        foreach (var emitted in output.Batches) rows += Push(runners, outputs, step + 1, emitted);
        return rows;
    }
}
