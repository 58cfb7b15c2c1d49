using Genesis.GenomeTests.Compute;
using Genesis.Randomness;

namespace Genesis.GenomeTests.Randomness;

public sealed class CounterRandomTests
{
    private static readonly RandomKey Key = new(0x0123456789ABCDEF, 42);

    [Fact]
    public void The_counter_layout_is_the_documented_one()
    {
        // Key (low, high) of the seed; counter (low, high) of (domain << 56 | local), then (low, high) of the stream.
        var expected = Philox4x32.Generate(new PhiloxBlock(5, 3u << 24, 42, 0), 0x89ABCDEF, 0x01234567);
        Assert.Equal(expected, CounterRandom.Block(Key, 3, 5));
    }

    [Fact]
    public void A_uniform_is_the_top_24_bits_of_its_word()
    {
        for (long i = 0; i < 64; i++)
        {
            var block = CounterRandom.Block(Key, CounterRandom.UniformDomain, (ulong)(i >> 2));
            var expected = (block[(int)(i & 3)] >> 8) / 16777216f;
            Assert.Equal(expected, CounterRandom.Uniform(Key, i));
            Assert.InRange(CounterRandom.Uniform(Key, i), 0f, 0.99999995f);
        }
    }

    [Fact]
    public void A_normal_is_box_muller_on_its_pair_of_words()
    {
        for (long i = 0; i < 64; i++)
        {
            var block = CounterRandom.Block(Key, CounterRandom.NormalDomain, (ulong)(i >> 2));
            var pair = (int)(i & 2);
            var u1 = ((block[pair] >> 8) + 1) / 16777216f;
            var u2 = (block[pair + 1] >> 8) / 16777216f;
            var radius = MathF.Sqrt(-2f * MathF.Log(u1));
            var angle = u2 * (2f * MathF.PI);
            var expected = (i & 1) == 0 ? radius * MathF.Cos(angle) : radius * MathF.Sin(angle);
            Assert.Equal(expected, CounterRandom.Normal(Key, i));
        }
    }

    [Fact]
    public void Pinned_values_for_cross_device_checks()
    {
        // Regression pins of the whole scheme (Philox, layout, conversions), for a GPU implementation to reproduce.
        var key = new RandomKey(42, 7);
        Assert.Equal([0.99778813f, 0.28536087f, 0.5697257f, 0.66336745f], [.. Enumerable.Range(0, 4).Select(i => CounterRandom.Uniform(key, i))]);
        Assert.Equal(
            [0x3f6ae25du, 0xbee075cau, 0x3eae4663u, 0xbf75dd4cu],
            [.. Enumerable.Range(0, 4).Select(i => BitConverter.SingleToUInt32Bits(CounterRandom.Normal(key, i)))]);
        Assert.Equal([24, 433, 460, 463, 565, 645, 711, 793, 973], CounterRandom.SelectBernoulli(key, 0.01, 1000));
        Assert.Equal([2, 5], CounterRandom.SelectBernoulli(new RandomKey(1, 0).Derive(0), 0.5, 8));
        Assert.Equal([3, 4, 7], CounterRandom.SelectBernoulli(new RandomKey(1, 0).Derive(1), 0.5, 8));
    }

    [Fact]
    public void Normals_have_mean_zero_and_variance_one()
    {
        const int n = 200_000;
        double sum = 0, squares = 0;
        var max = 0f;
        for (long i = 0; i < n; i++)
        {
            var z = CounterRandom.Normal(Key, i);
            sum += z;
            squares += z * z;
            max = Math.Max(max, MathF.Abs(z));
        }

        // Standard errors: 1/√n ≈ 0.0022 for the mean, √(2/n) ≈ 0.0032 for the variance; five of them.
        Assert.InRange(sum / n, -0.011, 0.011);
        Assert.InRange((squares / n) - ((sum / n) * (sum / n)), 0.984, 1.016);
        Assert.InRange(max, 3.5f, 5.78f);
    }

    [Fact]
    public void Uniforms_are_uniform()
    {
        const int n = 160_000;
        var bins = new int[16];
        for (long i = 0; i < n; i++)
        {
            bins[(int)(CounterRandom.Uniform(Key, i) * 16)]++;
        }

        // Chi-square with 15 degrees of freedom: the 99.9th percentile is 37.7.
        var expected = n / 16.0;
        var chiSquare = bins.Sum(b => (b - expected) * (b - expected) / expected);
        Assert.InRange(chiSquare, 0, 37.7);
    }

    [Theory]
    [InlineData(0.001)]
    [InlineData(0.01)]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void The_skip_sampled_mask_has_the_expected_density(double p)
    {
        const int n = 1_000_003;
        var selected = CounterRandom.SelectBernoulli(new RandomKey(2025, 11), p, n);

        // Binomial(n, p): five standard deviations.
        var tolerance = 5 * Math.Sqrt(n * p * (1 - p));
        Assert.InRange(selected.Length, (n * p) - tolerance, (n * p) + tolerance);
        Assert.All(selected.Zip(selected.Skip(1)), pair => Assert.True(pair.First < pair.Second));
        Assert.InRange(selected[^1], 0, n - 1);
    }

    [Fact]
    public void Mask_gaps_are_geometric()
    {
        // P(gap = g) = (1 − p)^g·p for the number of unselected elements between selections.
        const double p = 0.2;
        var selected = CounterRandom.SelectBernoulli(new RandomKey(5, 5), p, 2_000_000);
        var counts = new int[6];
        var total = 0;
        for (var s = 1; s < selected.Length; s++)
        {
            if (selected[s] / RandomKey.BlockSize != selected[s - 1] / RandomKey.BlockSize)
            {
                continue; // only gaps inside a block
            }

            var gap = selected[s] - selected[s - 1] - 1;
            counts[Math.Min(gap, 5)]++;
            total++;
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
    }

    [Fact]
    public void Different_streams_and_seeds_give_different_masks()
    {
        var a = CounterRandom.SelectBernoulli(new RandomKey(9, 1), 0.1, 50_000);
        var b = CounterRandom.SelectBernoulli(new RandomKey(9, 2), 0.1, 50_000);
        var c = CounterRandom.SelectBernoulli(new RandomKey(10, 1), 0.1, 50_000);
        var d = CounterRandom.SelectBernoulli(new RandomKey(9, 1).Derive(0), 0.1, 50_000);
        Assert.NotEqual(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(a, d);

        // Independent masks overlap in about p² of the elements.
        var overlap = a.Intersect(b).Count();
        Assert.InRange(overlap, 500 - 120, 500 + 120);
    }

    [Fact]
    public void A_block_selects_the_same_elements_whatever_the_tensor_length()
    {
        var key = new RandomKey(77, 3);
        var full = CounterRandom.SelectBernoulli(key, 0.25, 5 * RandomKey.BlockSize);
        for (var length = 0; length <= 5 * RandomKey.BlockSize; length += 1531)
        {
            Assert.Equal(full.Where(i => i < length), CounterRandom.SelectBernoulli(key, 0.25, length));
        }
    }

    [Fact]
    public void Probability_zero_selects_nothing_and_one_selects_everything()
    {
        Assert.Empty(CounterRandom.SelectBernoulli(Key, 0, 10_000));
        Assert.Equal(Enumerable.Range(0, 10_000), CounterRandom.SelectBernoulli(Key, 1, 10_000));
        Assert.Empty(CounterRandom.SelectBernoulli(Key, 0.5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CounterRandom.SelectBernoulli(Key, 1.5, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => CounterRandom.SelectBernoulli(Key, double.NaN, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => CounterRandom.SelectBernoulli(Key, 0.5, -1));
    }

    [Fact]
    public void Derived_streams_follow_the_documented_formula_and_differ()
    {
        var key = new RandomKey(1, 2);
        Assert.Equal(new RandomKey(1, RandomKey.Mix64(2 + 0x9E3779B97F4A7C15UL)), key.Derive(0));
        var streams = Enumerable.Range(0, 1000).Select(i => key.Derive((ulong)i).Stream).ToHashSet();
        Assert.Equal(1000, streams.Count);
        Assert.DoesNotContain(key.Stream, streams);
    }

    [Fact]
    public void Every_element_is_selected_with_the_same_probability()
    {
        // Over many streams, each offset of a block is selected about p of the time (no positional bias from the skips).
        const double p = 0.05;
        const int streams = 4000;
        var hits = new int[RandomKey.BlockSize];
        for (ulong s = 0; s < streams; s++)
        {
            foreach (var i in CounterRandom.SelectBernoulli(new RandomKey(3, s), p, RandomKey.BlockSize))
            {
                hits[i]++;
            }
        }

        // Compare the first and the last 512 offsets: same expected count 512·4000·p = 102,400, sd ≈ 312.
        var head = hits.Take(512).Sum();
        var tail = hits.Skip(RandomKey.BlockSize - 512).Sum();
        Assert.InRange(head, 102_400 - 1600, 102_400 + 1600);
        Assert.InRange(tail, 102_400 - 1600, 102_400 + 1600);
        TestTensors.Close([1.0], [(float)(hits.Sum() / (p * streams * RandomKey.BlockSize))], 0.02);
    }
}
