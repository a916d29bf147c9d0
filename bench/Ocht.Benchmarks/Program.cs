using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Ocht.Benchmarks -- --filter '*'   (add --job short for a quick pass)
// Reports go to artifacts/benchmarks/results in the repository, not the current directory.
var repository = new DirectoryInfo(AppContext.BaseDirectory);
while (repository.Parent is not null && !File.Exists(Path.Combine(repository.FullName, "Ocht.sln"))) repository = repository.Parent;
var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(repository.FullName, "artifacts", "benchmarks"));
BenchmarkSwitcher.FromAssembly(typeof(Ocht.Benchmarks.Orders).Assembly).Run(args, config);
