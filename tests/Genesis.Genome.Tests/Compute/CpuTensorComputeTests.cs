using Genesis.Compute;
using Genesis.Randomness;

namespace Genesis.GenomeTests.Compute;

/// <summary>Every kernel against a scalar reference written from its formula, over every length from 0 to 256.</summary>
public sealed class CpuTensorComputeTests
{
    private static readonly CpuTensorCompute Compute = CpuTensorCompute.Default;
    private static readonly float[] MixWeights = [1.5f, -0.5f, 2f];
    private static readonly float[] ElectionWeights = [1f, 1f, 0.5f];
    private static readonly float[] DivisorWeights = [0.25f, 0.5f, 0.25f];
    private static readonly MagnitudeBand[] Bands = [MagnitudeBand.AtLeast(2f), new(1f, 4f), MagnitudeBand.All];

    public static TheoryData<int> InputCounts => [1, 2, 3, 5];

    [Theory]
    [MemberData(nameof(InputCounts))]
    public void Weighted_sum_matches_the_formula_for_every_length(int k)
    {
        float[] weights = [.. Enumerable.Range(0, k).Select(i => 0.5f + (0.25f * i) - (i % 2))];
        for (var n = 0; n <= 256; n++)
        {
            var inputs = Enumerable.Range(0, k).Select(i => TestTensors.Uniform(n, (n * 31) + i)).ToArray();
            var expected = new double[n];
            for (var j = 0; j < n; j++)
            {
                for (var i = 0; i < k; i++)
                {
                    expected[j] += (double)weights[i] * inputs[i][j];
                }
            }

            var actual = new float[n];
            Compute.WeightedSum([.. inputs.Select(x => (ReadOnlyMemory<float>)x)], weights, actual);
            TestTensors.Close(expected, actual, 1e-6);
        }
    }

    [Fact]
    public void Reductions_match_the_formulas_for_every_length()
    {
        for (var n = 0; n <= 256; n++)
        {
            var x = TestTensors.Uniform(n, n);
            var y = TestTensors.Uniform(n, n + 1000);
            var band = new MagnitudeBand(0.25f, 0.75f);
            double dot = 0, squares = 0, l1 = 0, inBand = 0;
            for (var j = 0; j < n; j++)
            {
                dot += (double)x[j] * y[j];
                squares += (double)x[j] * x[j];
                l1 += Math.Abs(x[j]);
                inBand += band.Keeps(x[j]) ? Math.Abs(x[j]) : 0;
            }

            TestTensors.Close([dot, squares, l1, inBand], [
                (float)Compute.Dot(x, y),
                (float)Compute.SumOfSquares(x),
                (float)Compute.SumOfMagnitudes(x, MagnitudeBand.All),
                (float)Compute.SumOfMagnitudes(x, band),
            ], 1e-5);
        }
    }

    [Fact]
    public void Magnitude_thresholds_are_the_ranked_magnitudes_for_every_length()
    {
        for (var n = 1; n <= 256; n++)
        {
            // Small integers make ties common; uniform values make them rare.
            foreach (var x in new[] { TestTensors.Integers(n, n), TestTensors.Uniform(n, n, 3f) })
            {
                var sorted = x.Select(MathF.Abs).OrderDescending().ToArray();
                int[] ranks = [1, ((n - 1) / 2) + 1, n];
                var thresholds = new float[3];
                Compute.MagnitudeThresholds(x, ranks, thresholds);
                Assert.Equal([sorted[0], sorted[ranks[1] - 1], sorted[n - 1]], thresholds);
            }
        }
    }

    [Fact]
    public void Magnitude_thresholds_handle_signs_zeros_subnormals_and_infinity()
    {
        float[] x = [-0f, 0f, float.Epsilon, -float.Epsilon * 3, 1e-30f, -2.5f, 2.5f, float.NegativeInfinity, 7f, -1e30f];
        var sorted = x.Select(MathF.Abs).OrderDescending().ToArray();
        var ranks = Enumerable.Range(1, x.Length).ToArray();
        var thresholds = new float[x.Length];
        Compute.MagnitudeThresholds(x, ranks, thresholds);
        Assert.Equal(sorted, thresholds);
    }

    [Theory]
    [InlineData(200_000)] // three radix levels of 11, 10 and 10 bits
    [InlineData(300_001)] // two radix levels of 16 and 15 bits
    public void Magnitude_thresholds_on_a_large_tensor_match_a_sort(int n)
    {
        var x = TestTensors.Uniform(n, 99, 0.02f);
        var sorted = x.Select(MathF.Abs).OrderDescending().ToArray();
        int[] ranks = [1, 3000, (n * 7) / 10, n];
        var thresholds = new float[ranks.Length];
        Compute.MagnitudeThresholds(x, ranks, thresholds);
        Assert.Equal(ranks.Select(r => sorted[r - 1]), thresholds);
    }

    public static TheoryData<int, SignConsensus, bool, bool, bool> ConsensusCases()
    {
        // k = 2 with an election takes the specialised two-input path; the others the general one.
        var data = new TheoryData<int, SignConsensus, bool, bool, bool>();
        foreach (var k in new[] { 2, 3 })
        {
            foreach (var consensus in new[] { SignConsensus.None, SignConsensus.Sum, SignConsensus.Count })
            {
                foreach (var normalize in new[] { false, true })
                {
                    data.Add(k, consensus, normalize, false, false);
                    data.Add(k, consensus, normalize, true, true);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ConsensusCases))]
    public void Consensus_merge_matches_the_formula_for_every_length(int k, SignConsensus consensus, bool normalize, bool withBase, bool separateWeights)
    {
        float[] mix = [.. MixWeights.Take(k)];
        float[] election = separateWeights ? [.. ElectionWeights.Take(k)] : mix;
        float[] divisor = separateWeights ? [.. DivisorWeights.Take(k)] : mix;
        MagnitudeBand[] bands = [.. Bands.Take(k)];
        for (var n = 0; n <= 256; n++)
        {
            var inputs = Enumerable.Range(0, k).Select(i => TestTensors.Integers(n, (n * 7) + i)).ToArray();
            var reference = withBase ? TestTensors.Uniform(n, n) : null;
            var expected = new double[n];
            for (var j = 0; j < n; j++)
            {
                var kept = Enumerable.Range(0, k).Select(i => bands[i].Keeps(inputs[i][j]) ? (double)inputs[i][j] : 0).ToArray();
                var elected = kept.Select((t, i) => t * election[i]).ToArray();
                var vote = consensus == SignConsensus.Count ? elected.Sum(Math.Sign) : elected.Sum();
                var sign = vote >= 0 ? 1 : -1;
                double value = 0, weight = 0;
                for (var i = 0; i < k; i++)
                {
                    var agrees = consensus == SignConsensus.None || Math.Sign(elected[i]) == sign;
                    value += agrees ? kept[i] * mix[i] : 0;
                    weight += agrees ? divisor[i] : 0;
                }

                if (normalize)
                {
                    value /= consensus == SignConsensus.None ? divisor.Sum() : weight == 0 ? 1 : weight;
                }

                expected[j] = (0.5 * value) + (reference?[j] ?? 0);
            }

            var actual = new float[n];
            Compute.ConsensusMerge(
                new ConsensusMergeArguments
                {
                    Inputs = [.. inputs.Select(x => (ReadOnlyMemory<float>)x)],
                    Bands = bands,
                    MixWeights = mix,
                    ElectionWeights = separateWeights ? election : default,
                    DivisorWeights = separateWeights ? divisor : default,
                    Consensus = consensus,
                    Normalize = normalize,
                    Scale = 0.5f,
                    Base = reference,
                },
                actual);
            TestTensors.Close(expected, actual, 1e-6);
        }
    }

    [Fact]
    public void Consensus_merge_without_bands_keeps_everything_and_a_zero_divisor_counts_as_one()
    {
        float[] a = [1, -2, 0];
        float[] b = [-1, -2, 0];
        var result = new float[3];
        Compute.ConsensusMerge(
            new ConsensusMergeArguments { Inputs = [a, b], MixWeights = [1f, 1f], Consensus = SignConsensus.Sum, Normalize = true },
            result);

        // Element 0: sum 0 elects +1, only a agrees: 1/1. Element 1: both agree: −4/2. Element 2: nobody agrees: 0/1.
        Assert.Equal([1f, -2f, 0f], result);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.7)]
    [InlineData(1.0)]
    public void Drop_zeroes_exactly_the_skip_sampled_elements_and_reports_norms(double p)
    {
        var key = new RandomKey(11, 4);
        foreach (var n in new[] { 0, 1, 7, 255, 4096, 4097, 20_000 })
        {
            var x = TestTensors.Uniform(n, n);
            var result = new float[n];
            var drop = Compute.DropBernoulli(x, p, key, result);

            // p ≤ ½ samples the dropped elements; p > ½ samples the kept ones with probability 1 − p.
            var dropped = p <= 0.5
                ? CounterRandom.SelectBernoulli(key, p, n).ToHashSet()
                : Enumerable.Range(0, n).Except(CounterRandom.SelectBernoulli(key, 1 - p, n)).ToHashSet();
            var expected = x.Select((v, i) => dropped.Contains(i) ? 0f : v).ToArray();
            TestTensors.Identical(expected, result);
            Assert.Equal(dropped.Count, drop.Dropped);
            TestTensors.Close([x.Sum(v => (double)Math.Abs(v)), expected.Sum(v => (double)Math.Abs(v))], [(float)drop.SourceMagnitude, (float)drop.KeptMagnitude], 1e-5);
        }
    }

    [Fact]
    public void Drop_may_work_in_place()
    {
        var x = TestTensors.Uniform(10_000, 3);
        var copy = (float[])x.Clone();
        var separate = new float[x.Length];
        var a = Compute.DropBernoulli(copy, 0.8, new RandomKey(1, 2), separate);
        var b = Compute.DropBernoulli(x, 0.8, new RandomKey(1, 2), x);
        Assert.Equal(a, b);
        TestTensors.Identical(separate, x);
    }

    [Theory]
    [InlineData(NoiseSampling.Skip)]
    [InlineData(NoiseSampling.Dense)]
    public void Noise_is_added_at_the_masked_elements_with_the_keyed_normals(NoiseSampling sampling)
    {
        var key = new RandomKey(5, 6);
        foreach (var n in new[] { 0, 1, 3, 5, 257, 4096, 9000 })
        {
            var x = TestTensors.Uniform(n, n);
            var result = (float[])x.Clone();
            var count = Compute.AddGaussianNoise(result, 0.1, 0.01f, key, sampling);

            var masked = sampling == NoiseSampling.Skip
                ? CounterRandom.SelectBernoulli(key, 0.1, n).ToHashSet()
                : Enumerable.Range(0, n).Where(i => CounterRandom.Uniform(key, i) < 0.1f).ToHashSet();
            var expected = x.Select((v, i) => masked.Contains(i) ? v + (0.01f * CounterRandom.Normal(key, i)) : v).ToArray();
            TestTensors.Identical(expected, result);
            Assert.Equal(masked.Count, count);
        }
    }

    [Fact]
    public void Skip_and_dense_noise_agree_in_distribution()
    {
        const int n = 400_000;
        var skip = new float[n];
        var dense = new float[n];
        var skipCount = Compute.AddGaussianNoise(skip, 0.1, 1f, new RandomKey(1, 1), NoiseSampling.Skip);
        var denseCount = Compute.AddGaussianNoise(dense, 0.1, 1f, new RandomKey(1, 1), NoiseSampling.Dense);

        // Both perturb ≈ 10% (sd 190) with unit-variance noise.
        Assert.InRange(skipCount, 40_000 - 950, 40_000 + 950);
        Assert.InRange(denseCount, 40_000 - 950, 40_000 + 950);
        var skipVariance = skip.Sum(v => (double)v * v) / skipCount;
        var denseVariance = dense.Sum(v => (double)v * v) / denseCount;
        Assert.InRange(skipVariance, 0.97, 1.03);
        Assert.InRange(denseVariance, 0.97, 1.03);
    }

    [Fact]
    public void Zero_rate_or_zero_sigma_leaves_the_tensor_unchanged()
    {
        var x = TestTensors.Uniform(5000, 1);
        var copy = (float[])x.Clone();
        Assert.Equal(0, Compute.AddGaussianNoise(copy, 0, 1f, new RandomKey(1, 1)));
        Compute.AddGaussianNoise(copy, 0.5, 0f, new RandomKey(1, 1));
        TestTensors.Identical(x, copy);
    }
}
