using Genesis.GenomeTests.Compute;
using Genesis.Randomness;

namespace Genesis.GenomeTests.Randomness;

/// <summary>The fused mutation noise (domains 4 and 5): the documented draws, any path, and the right distribution.</summary>
public sealed class BernoulliNoiseTests
{
    private static readonly int[] Lengths = [0, 1, 2, 7, 15, 16, 17, 100, 4095, 4096, 4097, 9000, 3 * RandomKey.BlockSize];

    /// <summary>Domain 4 written from its documentation, one draw at a time.</summary>
    private static float[] SkipReference(float[] x, double p, float sigma, RandomKey key, out int count)
    {
        var result = (float[])x.Clone();
        count = 0;
        if (p <= 0)
        {
            return result;
        }

        var inverse = (float)Math.Max(1 / double.LogP1(-p), -1e30);
        for (var start = 0; start < x.Length; start += RandomKey.BlockSize)
        {
            var length = Math.Min(RandomKey.BlockSize, x.Length - start);
            var block = (ulong)(start / RandomKey.BlockSize);
            var offset = -1;
            for (var draw = 0; ; draw++)
            {
                var words = CounterRandom.Block(key, CounterRandom.NoiseSkipDomain, (block << 16) | (uint)(draw >> 1));
                offset += CounterMath.Gap(words[draw & 1], inverse) + 1;
                if (offset >= length)
                {
                    break;
                }

                CounterMath.Normals(words.X2, words.X3, out var cos, out var sin);
                result[start + offset] += sigma * ((draw & 1) == 0 ? cos : sin);
                count++;
            }
        }

        return result;
    }

    /// <summary>Domain 5 written from its documentation.</summary>
    private static float[] DenseReference(float[] x, double p, float sigma, RandomKey key, out int count)
    {
        var result = (float[])x.Clone();
        var threshold = Math.Ceiling(p * 16777216.0);
        count = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var words = CounterRandom.Block(key, CounterRandom.NoiseDenseDomain, (ulong)(i >> 1));
            if ((words[i & 1] >> 8) < threshold)
            {
                CounterMath.Normals(words.X2, words.X3, out var cos, out var sin);
                result[i] += sigma * ((i & 1) == 0 ? cos : sin);
                count++;
            }
        }

        return result;
    }

    private static float[] Run(float[] x, Func<float[], int> kernel, out int count)
    {
        var result = (float[])x.Clone();
        count = kernel(result);
        return result;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.001)]
    [InlineData(0.01)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.97)]
    [InlineData(1.0)]
    public void Skip_noise_is_the_documented_function_of_the_counters_on_every_path(double p)
    {
        var key = new RandomKey(2026, 11);
        foreach (var n in Lengths)
        {
            var x = TestTensors.Uniform(n, n);
            var expected = SkipReference(x, p, 0.25f, key, out var expectedCount);

            var copy = (float[])x.Clone();
            Assert.Equal(expectedCount, CounterRandom.AddBernoulliNoise(copy, p, 0.25, key));
            TestTensors.Identical(expected, copy);

            foreach (var vectorized in new[] { false, true })
            {
                var result = Run(x, values => BernoulliNoise.AddSkip(values, 0, n, p, 0.25f, key, vectorized), out var count);
                Assert.Equal(expectedCount, count);
                TestTensors.Identical(expected, result);
            }
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    [InlineData(0.1)]
    [InlineData(0.6)]
    [InlineData(1.0)]
    public void Dense_noise_is_the_documented_function_of_the_counters_on_every_path(double p)
    {
        var key = new RandomKey(7, 2026);
        foreach (var n in Lengths)
        {
            var x = TestTensors.Uniform(n, n);
            var expected = DenseReference(x, p, 0.5f, key, out var expectedCount);

            var copy = (float[])x.Clone();
            Assert.Equal(expectedCount, CounterRandom.AddBernoulliNoiseDense(copy, p, 0.5, key));
            TestTensors.Identical(expected, copy);

            foreach (var vectorized in new[] { false, true })
            {
                var result = Run(x, values => BernoulliNoise.AddDense(values, 0, n, p, 0.5f, key, vectorized), out var count);
                Assert.Equal(expectedCount, count);
                TestTensors.Identical(expected, result);
            }
        }
    }

    [Fact]
    public void Skip_noise_does_not_depend_on_how_the_blocks_are_split()
    {
        // Any split at block boundaries (as threads would take chunks) gives the same bits, and a shorter tensor gets a
        // prefix of the same draws.
        var key = new RandomKey(5, 9);
        const int n = (5 * RandomKey.BlockSize) + 123;
        var x = TestTensors.Uniform(n, 1);
        var whole = Run(x, values => BernoulliNoise.AddSkip(values, 0, n, 0.1, 1f, key, true), out var total);
        var split = Run(
            x,
            values => BernoulliNoise.AddSkip(values, 3 * RandomKey.BlockSize, n - (3 * RandomKey.BlockSize), 0.1, 1f, key, true)
                + BernoulliNoise.AddSkip(values, 0, 3 * RandomKey.BlockSize, 0.1, 1f, key, false),
            out var splitTotal);
        Assert.Equal(total, splitTotal);
        TestTensors.Identical(whole, split);

        for (var length = 0; length < n; length += 2711)
        {
            var prefix = x[..length];
            CounterRandom.AddBernoulliNoise(prefix, 0.1, 1f, key);
            TestTensors.Identical(whole.AsSpan(0, length), prefix);
        }
    }

    [Fact]
    public void Pinned_values_for_cross_device_checks()
    {
        // Regression pins of domains 4 and 5 (Philox, layout, gaps and the fixed ln/sin/cos), for a GPU kernel to reproduce.
        // The noise of a draw does not depend on the rate: at p = 0.001 the same normals land further apart.
        var key = new RandomKey(42, 7);
        Assert.Equal(
            [(7, 0x3f315855u), (9, 0x3f39c243u), (14, 0xbf24f627u), (31, 0x3f2c59f4u), (43, 0x3f2d0b7fu), (47, 0xbf734abeu), (48, 0xbf76c577u), (51, 0x3e46b71fu)],
            NonZero(64, values => CounterRandom.AddBernoulliNoise(values, 0.1, 1, key)));
        Assert.Equal(
            [(742, 0x3f315855u), (871, 0x3f39c243u), (1331, 0xbf24f627u), (3113, 0x3f2c59f4u)],
            NonZero(5000, values => CounterRandom.AddBernoulliNoise(values, 0.001, 1, key)));
        Assert.Equal([(7, 0x4024b115u), (11, 0xbf1cb42du)], NonZero(16, values => CounterRandom.AddBernoulliNoiseDense(values, 0.1, 1, key)));

        static (int, uint)[] NonZero(int length, Func<float[], int> mutate)
        {
            var values = new float[length];
            var count = mutate(values);
            var bits = values.Select((v, i) => (i, BitConverter.SingleToUInt32Bits(v))).Where(e => e.Item2 != 0).ToArray();
            Assert.Equal(count, bits.Length);
            return bits;
        }
    }

    [Theory]
    [InlineData(0.001)]
    [InlineData(0.01)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void Both_samplers_select_the_expected_fraction_with_unit_normal_noise(double p)
    {
        const int n = 2_000_003;
        var skip = new float[n];
        var dense = new float[n];
        var skipCount = CounterRandom.AddBernoulliNoise(skip, p, 1, new RandomKey(2025, 11));
        var denseCount = CounterRandom.AddBernoulliNoiseDense(dense, p, 1, new RandomKey(2025, 11));

        // Binomial(n, p): five standard deviations.
        var tolerance = 5 * Math.Sqrt(n * p * (1 - p));
        Assert.InRange(skipCount, (n * p) - tolerance, (n * p) + tolerance);
        Assert.InRange(denseCount, (n * p) - tolerance, (n * p) + tolerance);

        // Every perturbed element is non-zero (z = 0 has probability about 2⁻²⁴); mean 0 and variance 1, five standard errors.
        foreach (var (values, count) in new[] { (skip, skipCount), (dense, denseCount) })
        {
            Assert.InRange(values.Count(v => v != 0), count - 2, count);
            double sum = 0, squares = 0;
            foreach (var v in values)
            {
                sum += v;
                squares += (double)v * v;
            }

            Assert.InRange(sum / count, -5 / Math.Sqrt(count), 5 / Math.Sqrt(count));
            Assert.InRange(squares / count, 1 - (5 * Math.Sqrt(2.0 / count)), 1 + (5 * Math.Sqrt(2.0 / count)));
            Assert.InRange(values.Max(MathF.Abs), 0f, 5.78f);
        }
    }

    [Fact]
    public void The_noise_is_gaussian()
    {
        // Kolmogorov–Smirnov of 1,000,000 noise values (p = 1 perturbs every element) against N(0, 1); the 99.9% critical
        // value is 1.95/√n.
        const int n = 1_000_000;
        var skip = new float[n];
        CounterRandom.AddBernoulliNoise(skip, 1, 1, new RandomKey(3, 3));
        var dense = new float[n];
        CounterRandom.AddBernoulliNoiseDense(dense, 1, 1, new RandomKey(3, 3));
        foreach (var values in new[] { skip, dense })
        {
            Array.Sort(values);
            var distance = 0.0;
            for (var i = 0; i < n; i++)
            {
                var cdf = 0.5 * (1 + MathNet.Numerics.SpecialFunctions.Erf(values[i] / Math.Sqrt(2)));
                distance = Math.Max(distance, Math.Max(Math.Abs(cdf - ((double)i / n)), Math.Abs(cdf - ((i + 1.0) / n))));
            }

            Assert.InRange(distance, 0, 1.95 / Math.Sqrt(n));
        }
    }

    [Fact]
    public void Skip_gaps_are_geometric_and_every_offset_is_equally_likely()
    {
        // P(gap = g) = (1 − p)^g·p between selections of one block.
        const double p = 0.2;
        const int streams = 1000;
        var counts = new int[6];
        var total = 0;
        var hits = new int[RandomKey.BlockSize];
        for (ulong s = 0; s < streams; s++)
        {
            var values = new float[RandomKey.BlockSize];
            CounterRandom.AddBernoulliNoise(values, p, 1, new RandomKey(11, s));
            var previous = -1;
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] != 0)
                {
                    hits[i]++;
                    if (previous >= 0)
                    {
                        counts[Math.Min(i - previous - 1, 5)]++;
                        total++;
                    }

                    previous = i;
                }
            }
        }

        var chiSquare = 0.0;
        for (var g = 0; g < 6; g++)
        {
            var probability = g < 5 ? Math.Pow(1 - p, g) * p : Math.Pow(1 - p, 5);
            var expected = total * probability;
            chiSquare += (counts[g] - expected) * (counts[g] - expected) / expected;
        }

        // Five degrees of freedom: the 99.9th percentile is 20.5.
        Assert.InRange(chiSquare, 0, 20.5);

        // The first and the last 512 offsets: expected 512·1000·p = 102,400 each, sd ≈ 286.
        Assert.InRange(hits.Take(512).Sum(), 102_400 - 1500, 102_400 + 1500);
        Assert.InRange(hits.Skip(RandomKey.BlockSize - 512).Sum(), 102_400 - 1500, 102_400 + 1500);
    }

    [Fact]
    public void Different_keys_give_independent_selections()
    {
        const int n = 100_000;
        var a = new float[n];
        var b = new float[n];
        var c = new float[n];
        CounterRandom.AddBernoulliNoise(a, 0.1, 1, new RandomKey(9, 1));
        CounterRandom.AddBernoulliNoise(b, 0.1, 1, new RandomKey(9, 2));
        CounterRandom.AddBernoulliNoise(c, 0.1, 1, new RandomKey(10, 1));
        Assert.NotEqual(a, b);
        Assert.NotEqual(a, c);

        // Independent masks overlap in about p² of the elements: 1000, sd ≈ 30.
        var overlap = Enumerable.Range(0, n).Count(i => a[i] != 0 && b[i] != 0);
        Assert.InRange(overlap, 1000 - 160, 1000 + 160);
    }

    [Fact]
    public void Zero_rate_or_sigma_changes_nothing_and_bad_arguments_throw()
    {
        var x = TestTensors.Uniform(5000, 1);
        var copy = (float[])x.Clone();
        Assert.Equal(0, CounterRandom.AddBernoulliNoise(copy, 0, 1, new RandomKey(1, 1)));
        Assert.Equal(0, CounterRandom.AddBernoulliNoiseDense(copy, 0, 1, new RandomKey(1, 1)));
        CounterRandom.AddBernoulliNoise(copy, 0.5, 0, new RandomKey(1, 1));
        CounterRandom.AddBernoulliNoiseDense(copy, 0.5, 0, new RandomKey(1, 1));
        TestTensors.Identical(x, copy);
        Assert.Equal(0, CounterRandom.AddBernoulliNoise([], 0.5, 1, default));

        Assert.Throws<ArgumentOutOfRangeException>(() => CounterRandom.AddBernoulliNoise(copy, -0.1, 1, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => CounterRandom.AddBernoulliNoise(copy, 1.1, 1, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => CounterRandom.AddBernoulliNoise(copy, double.NaN, 1, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => CounterRandom.AddBernoulliNoise(copy, 0.1, -1, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => CounterRandom.AddBernoulliNoise(copy, 0.1, double.PositiveInfinity, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => CounterRandom.AddBernoulliNoise(copy, 0.1, 1e300, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => CounterRandom.AddBernoulliNoiseDense(copy, 0.1, double.NaN, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => CounterRandom.AddBernoulliNoiseDense(copy, 2, 1, default));
    }
}
