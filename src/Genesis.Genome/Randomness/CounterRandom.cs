using System.Runtime.CompilerServices;

namespace Genesis.Randomness;

/// <summary>
/// Random numbers keyed by <c>(seed, stream, purpose, element index)</c> on top of <see cref="Philox4x32"/>, following the
/// scheme documented on <see cref="RandomKey"/>: the same element gets the same number whatever the thread, chunk or device
/// that computes it.
/// </summary>
public static class CounterRandom
{
    /// <summary>Domain 1: one uniform in [0, 1) per element.</summary>
    public const byte UniformDomain = 1;

    /// <summary>Domain 2: one standard normal per element.</summary>
    public const byte NormalDomain = 2;

    /// <summary>Domain 3: the gap draws of Bernoulli skip sampling, per block of <see cref="RandomKey.BlockSize"/> elements.</summary>
    public const byte SkipDomain = 3;

    /// <summary>2⁻²⁴, the spacing of 24-bit uniforms.</summary>
    internal const float Unit24 = 1f / 16777216f;

    /// <summary>2π, the Box–Muller angle factor.</summary>
    internal const float TwoPi = 2f * MathF.PI;

    /// <summary>The Philox block at position <c>(domain &lt;&lt; 56) | local</c> of <paramref name="key"/>'s stream.</summary>
    /// <param name="key">Seed and stream.</param>
    /// <param name="domain">The purpose (1 to 255).</param>
    /// <param name="local">The position inside the domain, below 2⁵⁶.</param>
    public static PhiloxBlock Block(RandomKey key, byte domain, ulong local)
    {
        Generate(key, domain, local, out var x0, out var x1, out var x2, out var x3);
        return new PhiloxBlock(x0, x1, x2, x3);
    }

    /// <summary>The uniform in [0, 1) of element <paramref name="index"/> (domain 1), with 24-bit resolution.</summary>
    /// <param name="key">Seed and stream.</param>
    /// <param name="index">The element index, non-negative.</param>
    public static float Uniform(RandomKey key, long index)
    {
        Generate(key, UniformDomain, (ulong)index >> 2, out var x0, out var x1, out var x2, out var x3);
        var word = (index & 3) switch
        {
            0 => x0,
            1 => x1,
            2 => x2,
            _ => x3,
        };
        return (word >> 8) * Unit24;
    }

    /// <summary>The standard normal of element <paramref name="index"/> (domain 2, Box–Muller; |z| ≤ 5.77).</summary>
    /// <param name="key">Seed and stream.</param>
    /// <param name="index">The element index, non-negative.</param>
    public static float Normal(RandomKey key, long index)
    {
        Generate(key, NormalDomain, (ulong)index >> 2, out var x0, out var x1, out var x2, out var x3);
        return NormalOf(index, x0, x1, x2, x3);
    }

    /// <summary>
    /// The indices below <paramref name="length"/> that a Bernoulli(<paramref name="probability"/>) skip-sampled mask
    /// selects (domain 3), in increasing order: what <see cref="ITensorCompute.AddGaussianNoise"/> perturbs with
    /// <see cref="NoiseSampling.Skip"/>, and what <see cref="ITensorCompute.DropBernoulli"/> drops for p ≤ ½ (for p &gt; ½ it
    /// keeps the selection of probability 1 − p).
    /// </summary>
    /// <param name="key">Seed and stream.</param>
    /// <param name="probability">Between 0 and 1.</param>
    /// <param name="length">The tensor length, non-negative.</param>
    public static int[] SelectBernoulli(RandomKey key, double probability, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!(probability is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The probability must be between 0 and 1.");
        }

        var selected = new List<int>();
        var offsets = new int[RandomKey.BlockSize];
        for (var start = 0; start < length; start += RandomKey.BlockSize)
        {
            var count = BernoulliSkip.SelectBlock(key, probability, start / RandomKey.BlockSize, Math.Min(RandomKey.BlockSize, length - start), offsets);
            for (var s = 0; s < count; s++)
            {
                selected.Add(start + offsets[s]);
            }
        }

        return [.. selected];
    }

    /// <summary>The normal of element <paramref name="index"/> from its domain-2 block <c>(x0..x3)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float NormalOf(long index, uint x0, uint x1, uint x2, uint x3)
    {
        var second = (index & 2) != 0;
        var radius = Radius(second ? x2 : x0);
        var angle = Angle(second ? x3 : x1);
        return (index & 1) == 0 ? radius * MathF.Cos(angle) : radius * MathF.Sin(angle);
    }

    /// <summary>The two domain-2 blocks of elements <paramref name="i"/> and <paramref name="j"/>, computed interleaved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void NormalBlocks(RandomKey key, long i, long j, out uint a0, out uint a1, out uint a2, out uint a3, out uint b0, out uint b1, out uint b2, out uint b3)
    {
        var p = ((ulong)NormalDomain << 56) | ((ulong)i >> 2);
        var q = ((ulong)NormalDomain << 56) | ((ulong)j >> 2);
        a0 = (uint)p;
        a1 = (uint)(p >> 32);
        a2 = b2 = (uint)key.Stream;
        a3 = b3 = (uint)(key.Stream >> 32);
        b0 = (uint)q;
        b1 = (uint)(q >> 32);
        var k0 = (uint)key.Seed;
        var k1 = (uint)(key.Seed >> 32);
        Philox4x32.Generate2(ref a0, ref a1, ref a2, ref a3, k0, k1, ref b0, ref b1, ref b2, ref b3, k0, k1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Generate(RandomKey key, byte domain, ulong local, out uint x0, out uint x1, out uint x2, out uint x3)
    {
        var position = ((ulong)domain << 56) | local;
        Philox4x32.Generate(
            (uint)position, (uint)(position >> 32), (uint)key.Stream, (uint)(key.Stream >> 32),
            (uint)key.Seed, (uint)(key.Seed >> 32),
            out x0, out x1, out x2, out x3);
    }

    /// <summary>Box–Muller radius <c>√(−2 ln u₁)</c> with <c>u₁ = ((w &gt;&gt; 8) + 1)·2⁻²⁴ ∈ (0, 1]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Radius(uint word) => MathF.Sqrt(-2f * MathF.Log(((word >> 8) + 1) * Unit24));

    /// <summary>Box–Muller angle <c>2π·u₂</c> with <c>u₂ = (w &gt;&gt; 8)·2⁻²⁴ ∈ [0, 1)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Angle(uint word) => (word >> 8) * Unit24 * TwoPi;
}
