using BenchmarkDotNet.Attributes;
using Genesis.Compute;
using Genesis.Randomness;

namespace Genesis.GenomeBenchmarks;

/// <summary>
/// Mutation of one adapter of 10,383,360 float32 parameters (41.5 MB) at GENOME's gene rates: 0.01 (run_genome.py's
/// default) and 0.1. Baseline: <see cref="CounterRandom.AddBernoulliNoiseDense"/>, a uniform and a normal for every element
/// with the same vectorised Philox and Box–Muller as the skip sampler, so the ratio measures skip sampling, not
/// vectorisation. The <see cref="ITensorCompute.AddGaussianNoise"/> rows are the scalar domain-1/2/3 kernels, one thread.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class MutationBenchmarks
{
    private static readonly RandomKey Key = new(7, 7);
    private float[] _values = [];

    /// <summary>The probability that an element is perturbed.</summary>
    [Params(0.01, 0.1)]
    public double GeneRate { get; set; }

    [GlobalSetup]
    public void Setup() => _values = MergeKernelBenchmarks.Adapter(3);

    /// <summary>A uniform and a normal for every element (domain 5), vectorised.</summary>
    [Benchmark(Baseline = true)]
    public int DenseFused() => CounterRandom.AddBernoulliNoiseDense(_values, GeneRate, 0.001, Key);

    /// <summary>Skip sampling with one Philox block per two selected elements (domain 4), vectorised.</summary>
    [Benchmark]
    public int SkipFused() => CounterRandom.AddBernoulliNoise(_values, GeneRate, 0.001, Key);

    /// <summary>The scalar dense kernel of <see cref="CpuTensorCompute"/> (domains 1 and 2, MathF).</summary>
    [Benchmark]
    public int TensorComputeDense() => CpuTensorCompute.Default.AddGaussianNoise(_values, GeneRate, 0.001f, Key, NoiseSampling.Dense);

    /// <summary>The skip kernel of <see cref="CpuTensorCompute"/> (domain-3 gaps, a domain-2 block per selected element).</summary>
    [Benchmark]
    public int TensorComputeSkip() => CpuTensorCompute.Default.AddGaussianNoise(_values, GeneRate, 0.001f, Key, NoiseSampling.Skip);
}
