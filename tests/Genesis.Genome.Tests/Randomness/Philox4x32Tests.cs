using Genesis.Randomness;

namespace Genesis.GenomeTests.Randomness;

public sealed class Philox4x32Tests
{
    // The known-answer vectors published with Random123 (kat_vectors: "philox4x32 10 ...").
    [Theory]
    [InlineData(0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void Matches_the_Random123_known_answers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint x0, uint x1, uint x2, uint x3)
    {
        Assert.Equal(new PhiloxBlock(x0, x1, x2, x3), Philox4x32.Generate(new PhiloxBlock(c0, c1, c2, c3), k0, k1));
    }

    [Fact]
    public void Indexing_a_block_returns_its_words()
    {
        var block = new PhiloxBlock(1, 2, 3, 4);
        Assert.Equal([1u, 2u, 3u, 4u], Enumerable.Range(0, 4).Select(i => block[i]));
    }

    [Fact]
    public void Neighbouring_counters_give_unrelated_blocks()
    {
        // A bijection with good avalanche: flipping one counter bit changes about half of the 128 output bits.
        var flips = 0;
        for (uint c = 0; c < 256; c++)
        {
            var a = Philox4x32.Generate(new PhiloxBlock(c, 0, 0, 0), 7, 9);
            var b = Philox4x32.Generate(new PhiloxBlock(c ^ 1, 0, 0, 0), 7, 9);
            flips += System.Numerics.BitOperations.PopCount(a.X0 ^ b.X0) + System.Numerics.BitOperations.PopCount(a.X1 ^ b.X1)
                + System.Numerics.BitOperations.PopCount(a.X2 ^ b.X2) + System.Numerics.BitOperations.PopCount(a.X3 ^ b.X3);
        }

        // Expected 64 per pair; the standard deviation of the mean over 256 pairs is about 0.35.
        Assert.InRange(flips / 256.0, 62.0, 66.0);
    }
}
