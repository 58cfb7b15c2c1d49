using System.Runtime.CompilerServices;

namespace Genesis.Randomness;

/// <summary>
/// Bernoulli(p) selection by geometric skips (domain 3 of <see cref="RandomKey"/>): per block of
/// <see cref="RandomKey.BlockSize"/> elements, gaps <c>G = ⌊ln U / ln(1 − p)⌋</c> are drawn from the block's own counter
/// sequence, so the work is proportional to the number selected and a block's selection depends only on the key, the
/// block index and p (a shorter last block selects a prefix of the same offsets).
/// </summary>
public static class BernoulliSkip
{
    private const double Unit32 = 1.0 / 4294967296.0;

    /// <summary>
    /// Writes the offsets (0 to length − 1, increasing) that block <paramref name="block"/> selects into
    /// <paramref name="offsets"/> and returns how many.
    /// </summary>
    /// <param name="key">Seed and stream.</param>
    /// <param name="probability">The selection probability p, between 0 and 1.</param>
    /// <param name="block">The block index (element index / 4096), below 2⁴⁰.</param>
    /// <param name="length">The block's length, between 0 and <see cref="RandomKey.BlockSize"/>.</param>
    /// <param name="offsets">Room for <paramref name="length"/> offsets.</param>
    public static int SelectBlock(RandomKey key, double probability, long block, int length, Span<int> offsets)
    {
        if (length <= 0 || probability <= 0)
        {
            return 0;
        }

        if (probability >= 1)
        {
            for (var i = 0; i < length; i++)
            {
                offsets[i] = i;
            }

            return length;
        }

        var inverseLogFailure = 1.0 / double.LogP1(-probability);
        var position = ((ulong)CounterRandom.SkipDomain << 56) | ((ulong)block << 16);
        var c2 = (uint)key.Stream;
        var c3 = (uint)(key.Stream >> 32);
        var k0 = (uint)key.Seed;
        var k1 = (uint)(key.Seed >> 32);
        var offset = -1;
        var count = 0;

        // Two counters per step, their Philox chains interleaved; words are consumed in counter order, and the words
        // left over when the block ends are simply not used.
        for (ulong call = 0; ; call += 2)
        {
            var first = position | call;
            var second = position | (call + 1);
            uint a0 = (uint)first, a1 = (uint)(first >> 32), a2 = c2, a3 = c3;
            uint b0 = (uint)second, b1 = (uint)(second >> 32), b2 = c2, b3 = c3;
            Philox4x32.Generate2(ref a0, ref a1, ref a2, ref a3, k0, k1, ref b0, ref b1, ref b2, ref b3, k0, k1);
            if (!Advance(a0, inverseLogFailure, length, ref offset, offsets, ref count)
                || !Advance(a1, inverseLogFailure, length, ref offset, offsets, ref count)
                || !Advance(a2, inverseLogFailure, length, ref offset, offsets, ref count)
                || !Advance(a3, inverseLogFailure, length, ref offset, offsets, ref count)
                || !Advance(b0, inverseLogFailure, length, ref offset, offsets, ref count)
                || !Advance(b1, inverseLogFailure, length, ref offset, offsets, ref count)
                || !Advance(b2, inverseLogFailure, length, ref offset, offsets, ref count)
                || !Advance(b3, inverseLogFailure, length, ref offset, offsets, ref count))
            {
                return count;
            }
        }
    }

    /// <summary>Takes one gap; false once it leaves the block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Advance(uint word, double inverseLogFailure, int length, ref int offset, Span<int> offsets, ref int count)
    {
        var gap = Math.Floor(Math.Log((word + 1.0) * Unit32) * inverseLogFailure);
        if (!(gap < length - offset - 1))
        {
            return false;
        }

        offset += (int)gap + 1;
        offsets[count++] = offset;
        return true;
    }
}
