using System.Diagnostics;

namespace Ocht.Workspace;

/// <summary>Runs test projects one after another with <c>dotnet test</c> (one at a time: the build
/// machines have two cores), their output passed straight through.</summary>
internal static class TestRunner
{
    public static int Run(string root, TestPlan plan, TextWriter log)
    {
        var failed = new List<string>();
        foreach (var test in plan.Tests)
        {
            log.WriteLine($"== {test.Name}");
            log.Flush();
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root };
            foreach (string arg in new[] { "test", test.Project, "--nologo" }) start.ArgumentList.Add(arg);
            using var dotnet = Process.Start(start) ?? throw new WorkspaceException("cannot start dotnet");
            dotnet.WaitForExit();
            if (dotnet.ExitCode != 0) failed.Add(test.Name);
        }
        log.WriteLine(failed.Count == 0
            ? $"{plan.Tests.Count} test projects passed"
            : $"{failed.Count} of {plan.Tests.Count} test projects failed: {string.Join(", ", failed)}");
        return failed.Count;
    }
}
