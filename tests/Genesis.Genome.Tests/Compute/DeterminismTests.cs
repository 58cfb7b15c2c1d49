using FsCheck.Fluent;
using Genesis.Compute;

namespace Genesis.GenomeTests.Compute;

/// <summary>Same inputs and key, any thread count and chunk size: the same bits.</summary>
public sealed class DeterminismTests
{
    private static readonly CpuTensorCompute Single = CpuTensorCompute.Default;
    private static readonly double[] Probabilities = [0.1, 0.7];
    private static readonly NoiseSampling[] Samplings = [NoiseSampling.Skip, NoiseSampling.Dense];

    private static FsCheck.Gen<(int Length, int Seed, CpuTensorCompute Compute)> Cases() =>
        from length in Gen.Choose(0, 40_000)
        from seed in Gen.Choose(0, 1_000_000)
        from compute in TestTensors.Computes()
        select (length, seed, compute);

    [Fact]
    public void Element_wise_kernels_do_not_depend_on_threads_or_chunks() => TestTensors.Check(Cases(), c =>
    {
        var a = TestTensors.Uniform(c.Length, c.Seed);
        var b = TestTensors.Uniform(c.Length, c.Seed + 1);
        var d = TestTensors.Uniform(c.Length, c.Seed + 2);
        Assert.Equal(Run(x => Single.WeightedSum([a, b, d], [0.3f, -1.1f, 2f], x), c.Length), Run(x => c.Compute.WeightedSum([a, b, d], [0.3f, -1.1f, 2f], x), c.Length));
        Assert.Equal(Run(x => Single.WeightedSum([a, b], [0.3f, -1.1f], x), c.Length), Run(x => c.Compute.WeightedSum([a, b], [0.3f, -1.1f], x), c.Length));

        void Ties(ITensorCompute compute, float[] x) => compute.ConsensusMerge(
            new ConsensusMergeArguments
            {
                Inputs = [a, b, d],
                Bands = [MagnitudeBand.AtLeast(0.3f), MagnitudeBand.AtLeast(0.5f), new(0.1f, 0.9f)],
                MixWeights = [1f, 2f, 0.5f],
                Consensus = SignConsensus.Sum,
                Normalize = true,
                Scale = 0.8f,
                Base = d,
            },
            x);
        Assert.Equal(Run(x => Ties(Single, x), c.Length), Run(x => Ties(c.Compute, x), c.Length));
    }, maxTest: 60);

    [Fact]
    public void Reductions_and_thresholds_do_not_depend_on_threads_or_chunks() => TestTensors.Check(Cases(), c =>
    {
        var a = TestTensors.Uniform(c.Length, c.Seed);
        var b = TestTensors.Uniform(c.Length, c.Seed + 1);
        Assert.Equal(Single.Dot(a, b), c.Compute.Dot(a, b));
        Assert.Equal(Single.SumOfSquares(a), c.Compute.SumOfSquares(a));
        Assert.Equal(Single.SumOfMagnitudes(a, MagnitudeBand.All), c.Compute.SumOfMagnitudes(a, MagnitudeBand.All));
        Assert.Equal(Single.SumOfMagnitudes(a, new(0.2f, 0.7f)), c.Compute.SumOfMagnitudes(a, new(0.2f, 0.7f)));
        if (c.Length > 0)
        {
            int[] ranks = [1, (c.Length / 3) + 1, c.Length];
            var expected = new float[3];
            var actual = new float[3];
            Single.MagnitudeThresholds(a, ranks, expected);
            c.Compute.MagnitudeThresholds(a, ranks, actual);
            Assert.Equal(expected, actual);
        }
    }, maxTest: 60);

    [Fact]
    public void Random_kernels_do_not_depend_on_threads_or_chunks() => TestTensors.Check(Cases(), c =>
    {
        var a = TestTensors.Uniform(c.Length, c.Seed);
        var key = new RandomKey((ulong)c.Seed, 3);
        foreach (var p in Probabilities)
        {
            var expected = new float[c.Length];
            var actual = new float[c.Length];
            Assert.Equal(Single.DropBernoulli(a, p, key, expected), c.Compute.DropBernoulli(a, p, key, actual));
            Assert.Equal(expected, actual);
        }

        foreach (var sampling in Samplings)
        {
            var expected = (float[])a.Clone();
            var actual = (float[])a.Clone();
            Assert.Equal(Single.AddGaussianNoise(expected, 0.1, 0.01f, key, sampling), c.Compute.AddGaussianNoise(actual, 0.1, 0.01f, key, sampling));
            Assert.Equal(expected, actual);
        }
    }, maxTest: 60);

    [Fact]
    public void Streaming_stores_give_the_same_bits_at_every_alignment()
    {
        // Destinations that start 0 to 8 floats past an array start, so the scalar head before the first aligned vector
        // takes every length, and every variant of the two-input loops.
        var streaming = new CpuTensorCompute(new CpuTensorComputeOptions { StreamingThreshold = 0 });
        var cached = new CpuTensorCompute(new CpuTensorComputeOptions { StreamingThreshold = int.MaxValue });
        foreach (var length in new[] { 0, 1, 5, 8, 9, 17, 31, 64, 100, 1000 })
        {
            for (var shift = 0; shift <= 8; shift++)
            {
                var a = TestTensors.Uniform(length, length + shift);
                var b = TestTensors.Uniform(length, length + shift + 1);
                var reference = TestTensors.Uniform(length, length + shift + 2);
                Assert.Equal(
                    Shifted(length, shift, x => cached.WeightedSum([a, b], [0.3f, -1.1f], x)),
                    Shifted(length, shift, x => streaming.WeightedSum([a, b], [0.3f, -1.1f], x)));
                foreach (var consensus in new[] { SignConsensus.None, SignConsensus.Sum, SignConsensus.Count })
                {
                    foreach (var (election, scale, normalize) in new[] { (1f, 1f, true), (0.5f, 0.8f, false), (1f, 2f, true) })
                    {
                        void Ties(ITensorCompute compute, Memory<float> x) => compute.ConsensusMerge(
                            new ConsensusMergeArguments
                            {
                                Inputs = [a, b],
                                Bands = [MagnitudeBand.AtLeast(0.3f), new(0.1f, 0.9f)],
                                MixWeights = [0.6f, 0.4f],
                                ElectionWeights = [election, 1f],
                                Consensus = consensus,
                                Normalize = normalize,
                                Scale = scale,
                                Base = scale == 2f ? reference : default,
                            },
                            x);
                        Assert.Equal(Shifted(length, shift, x => Ties(cached, x)), Shifted(length, shift, x => Ties(streaming, x)));
                    }
                }
            }
        }

        static float[] Shifted(int length, int shift, Action<Memory<float>> kernel)
        {
            var buffer = new float[length + shift];
            kernel(buffer.AsMemory(shift, length));
            return buffer[shift..];
        }
    }

    private static float[] Run(Action<float[]> kernel, int length)
    {
        var result = new float[length];
        kernel(result);
        return result;
    }
}
