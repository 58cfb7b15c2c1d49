using BenchmarkDotNet.Running;
using Genesis.GenomeBenchmarks;

// The merge kernels on a gemma-2-2b r=8 sized adapter, next to a memcpy of the same bytes in the same run:
//   dotnet run -c Release --project benchmarks/Genesis.Genome.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(MergeKernelBenchmarks).Assembly).Run(args);
