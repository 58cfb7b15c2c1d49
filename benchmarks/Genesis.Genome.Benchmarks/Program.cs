using BenchmarkDotNet.Running;
using Genesis.GenomeBenchmarks;

// The merge kernels (MergeKernelBenchmarks) and mutation (MutationBenchmarks) on a gemma-2-2b r=8 sized adapter, next to
// a memcpy of the same bytes and a dense noise pass in the same run:
//   dotnet run -c Release --project benchmarks/Genesis.Genome.Benchmarks -- --filter '*'
//   dotnet run -c Release --project benchmarks/Genesis.Genome.Benchmarks -- --filter '*Mutation*'
BenchmarkSwitcher.FromAssembly(typeof(MergeKernelBenchmarks).Assembly).Run(args);
