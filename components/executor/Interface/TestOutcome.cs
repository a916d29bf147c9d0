namespace Ocht.Executor;

/// <summary>The result of one inline test: passed, or the differences found.</summary>
public sealed record TestOutcome(string Name, bool Passed, IReadOnlyList<string> Differences);
