using BenchmarkDotNet.Running;
using Genesis.Benchmarks;

// The engine's own work per candidate, next to a reference in the same run. Run everything with
//   dotnet run -c Release --project benchmarks/Genesis.Benchmarks -- --filter '*'
// or one class with e.g. --filter '*ParentSelection*'. See benchmarks/README.md.
var summaries = BenchmarkSwitcher.FromAssembly(typeof(ParentSelectionBenchmarks).Assembly).Run(args);
PerCandidateBudget.Print(summaries, Console.Out);
