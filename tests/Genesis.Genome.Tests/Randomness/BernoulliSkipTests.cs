using Genesis.Randomness;

namespace Genesis.GenomeTests.Randomness;

public sealed class BernoulliSkipTests
{
    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(-0.5, 0)]
    [InlineData(1.0, 100)]
    public void The_extremes_select_nothing_or_everything(double p, int expected)
    {
        var offsets = new int[100];
        var count = BernoulliSkip.SelectBlock(new RandomKey(1, 1), p, 0, 100, offsets);
        Assert.Equal(expected, count);
        Assert.Equal(Enumerable.Range(0, expected), offsets.Take(count));
    }

    [Fact]
    public void Offsets_increase_and_stay_inside_the_block()
    {
        var offsets = new int[1000];
        for (var block = 0; block < 50; block++)
        {
            var count = BernoulliSkip.SelectBlock(new RandomKey(8, 8), 0.3, block, 1000, offsets);
            Assert.InRange(count, 1, 1000);
            for (var s = 0; s < count; s++)
            {
                Assert.InRange(offsets[s], s == 0 ? 0 : offsets[s - 1] + 1, 999);
            }
        }
    }

    [Fact]
    public void The_gaps_are_the_documented_function_of_the_block_counters()
    {
        // Block 5, p = 0.25: draw j uses word j & 3 of Philox((3 << 56) | (5 << 16) | (j >> 2), stream; seed), and the
        // offset advances by ⌊ln((w + 1)·2⁻³²) / ln 0.75⌋ + 1 while it stays below the block length.
        var key = new RandomKey(123, 456);
        var expected = new List<int>();
        var offset = -1;
        for (var j = 0; ; j++)
        {
            var word = CounterRandom.Block(key, 3, (5UL << 16) | (ulong)(j >> 2))[j & 3];
            var gap = Math.Floor(Math.Log((word + 1.0) / 4294967296.0) / Math.Log(0.75));
            if (offset + gap + 1 >= 300)
            {
                break;
            }

            offset += (int)gap + 1;
            expected.Add(offset);
        }

        var offsets = new int[300];
        var count = BernoulliSkip.SelectBlock(key, 0.25, 5, 300, offsets);
        Assert.Equal(expected, offsets.Take(count));
    }

    [Fact]
    public void An_empty_block_selects_nothing()
    {
        Assert.Equal(0, BernoulliSkip.SelectBlock(new RandomKey(8, 8), 0.9, 3, 0, []));
    }
}
