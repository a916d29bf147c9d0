namespace Ocht.Poly;

/// <summary>The poly base: <c>./poly info|check|test|sync</c> over the workspace at or above the current
/// directory. Exit codes: 0 success, 1 check found errors or a test project failed, 2 usage or an
/// unreadable workspace.</summary>
public static class PolyApp
{
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, string directory) =>
        new Commands(output, error, directory).InvokeAsync(args);

    public static Task<int> MainAsync(string[] args) => RunAsync(args, Console.Out, Console.Error, Environment.CurrentDirectory);
}
