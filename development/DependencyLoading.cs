using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Ocht.Development;

/// <summary>A REPL that loads this assembly by path (<c>#r</c> in csharprepl or dotnet-script) knows only the
/// assemblies the script names; the others this one needs are in its build output, so look there.</summary>
internal static class DependencyLoading
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Must be in place before any type of this assembly needs a dependency, whichever the host touches first.")]
    internal static void ResolveFromBuildOutput()
    {
        var context = AssemblyLoadContext.GetLoadContext(typeof(DependencyLoading).Assembly) ?? AssemblyLoadContext.Default;
        context.Resolving += (loader, name) =>
            Path.Combine(Repository.BuildOutput, name.Name + ".dll") is var path && File.Exists(path) ? loader.LoadFromAssemblyPath(path) : null;
    }
}
