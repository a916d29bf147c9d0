using Ocht.Model;
using Ocht.Values;

namespace Ocht.Executor;

/// <summary>
/// Runs a plan's inline tests (§7): each test's input goes through the steps, and the output must be
/// what a jsonl sink would write for <c>expect</c>: the same records in the same order, each with the
/// same fields in the same order and the same JSON values (12.30 and 12.3 differ; a timestamp equals
/// its ISO-8601 text).
/// </summary>
internal static class InlineTests
{
    public static async Task<IReadOnlyList<TestOutcome>> RunAsync(PipelinePlan plan, RunEnvironment env, CancellationToken cancellation)
    {
        var outcomes = new List<TestOutcome>();
        foreach (var test in plan.Tests)
        {
            var result = await Executor.TransformAsync(plan, test.Input, env, cancellation);
            var differences = Compare(test.Expect, result.Output);
            if (test.Rejected is long expected)
            {
                if (result.Rejections.Count != expected)
                    differences.Add($"expected {expected} rejected record{(expected == 1 ? "" : "s")}, got {result.Rejections.Count}");
            }
            else
            {
                foreach (var r in result.Rejections)
                    differences.Add($"rejected: input record {r.Line}, step {r.Step} ({r.Op}): {r.Message} {(r.Record is null ? "" : ValueJson.ToJson(r.Record))}");
            }
            outcomes.Add(new TestOutcome(test.Name, differences.Count == 0, differences));
        }
        return outcomes;
    }

    private static List<string> Compare(IReadOnlyList<Record> expected, IReadOnlyList<Record> actual)
    {
        var differences = new List<string>();
        int n = Math.Max(expected.Count, actual.Count);
        for (int i = 0; i < n; i++)
        {
            string? want = i < expected.Count ? ValueJson.ToJson(expected[i]) : null;
            string? got = i < actual.Count ? ValueJson.ToJson(actual[i]) : null;
            if (want == got) continue;
            if (want is null) differences.Add($"record {i + 1}: not expected, got {got}");
            else if (got is null) differences.Add($"record {i + 1}: expected {want}, got nothing");
            else differences.Add($"record {i + 1}: expected {want}, got {got}");
        }
        if (expected.Count != actual.Count)
            differences.Insert(0, $"expected {expected.Count} record{(expected.Count == 1 ? "" : "s")}, got {actual.Count}");
        return differences;
    }
}
