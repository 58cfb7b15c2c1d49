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

    /// <summary>
    /// Domain 4: Bernoulli skip selection with the normals of the selected elements fused in, per block of
    /// <see cref="RandomKey.BlockSize"/> elements; see <see cref="AddBernoulliNoise"/>.
    /// </summary>
    public const byte NoiseSkipDomain = 4;

    /// <summary>Domain 5: a uniform and a normal for every element; see <see cref="AddBernoulliNoiseDense"/>.</summary>
    public const byte NoiseDenseDomain = 5;

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

    /// <summary>
    /// Mutation by skip sampling: <c>values[j] += σ·z</c> at a Bernoulli(<paramref name="rate"/>) selection of the elements,
    /// drawing only for the selected ones (domain 4), in place; returns how many elements were perturbed. The result is a
    /// pure function of the key, the rate, σ and the values, whatever the machine (AVX2 or not).
    /// </summary>
    /// <remarks>
    /// <para>
    /// The elements are split into blocks of <see cref="RandomKey.BlockSize"/> from index 0, and block <c>b</c> draws from
    /// the counters <c>local = (b &lt;&lt; 16) | t</c>, <c>t = 0, 1, …</c> (position <c>(4 &lt;&lt; 56) | local</c> of the
    /// key's stream, as in <see cref="RandomKey"/>). The Philox output <c>(x0, x1, x2, x3)</c> of counter t serves draws 2t
    /// and 2t + 1:
    /// </para>
    /// <list type="bullet">
    /// <item><description>their gaps are <c>G = ⌊ln U · (1/ln(1 − p))⌋</c> (capped at 2³⁰) of x0 and of x1, with
    /// <c>U = (x + 1)·2⁻³²</c> and <c>1/ln(1 − p)</c> a float; ln U is taken from <c>V = 1 − U = (~x)·2⁻³²</c> when
    /// <c>V &lt; ¼</c>, so that the short gaps of small rates keep full precision, and from U (rounded to a float)
    /// otherwise;</description></item>
    /// <item><description>their normals are the Box–Muller pair of x2 and x3: <c>r = √(−2 ln u₁)</c>,
    /// <c>u₁ = ((x2 &gt;&gt; 8) + 1)·2⁻²⁴</c>, <c>θ = 2π·(x3 &gt;&gt; 8)·2⁻²⁴</c>; draw 2t gets <c>r·cos θ</c>, draw 2t + 1
    /// gets <c>r·sin θ</c> (|z| ≤ 5.77).</description></item>
    /// </list>
    /// <para>
    /// Starting at offset −1, each draw advances the offset by <c>G + 1</c>; while the offset is inside the block, that
    /// element gets <c>x += (float)σ·z</c> (single precision) with the draw's normal. One Philox block thus serves two
    /// selected elements, gap and noise both, and a block's selection and noise depend only on the key, <c>b</c> and p (a
    /// shorter last block gets a prefix of the same draws). The logarithm, sine and cosine are the fixed single-precision
    /// formulas of <c>CounterMath</c> (correctly rounded basic operations, no fused multiply-add), so another device that
    /// evaluates them the same way reproduces the bits exactly.
    /// </para>
    /// </remarks>
    /// <param name="values">The tensor, perturbed in place; its element 0 is element index 0.</param>
    /// <param name="rate">The probability that an element is perturbed, between 0 and 1.</param>
    /// <param name="standardDeviation">σ, finite and non-negative.</param>
    /// <param name="key">The random stream.</param>
    /// <returns>How many elements were perturbed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The rate or σ is out of range.</exception>
    public static int AddBernoulliNoise(Span<float> values, double rate, double standardDeviation, RandomKey key)
    {
        CheckNoiseArguments(rate, standardDeviation);
        return BernoulliNoise.AddSkip(values, 0, values.Length, rate, (float)standardDeviation, key, vectorized: true);
    }

    /// <summary>
    /// The dense reference of <see cref="AddBernoulliNoise"/>: the same distribution, drawing a uniform and a normal for
    /// every element (domain 5), as GENOME's <c>rand &lt; rate</c> and <c>randn</c> do; returns how many elements were
    /// perturbed. Another realisation than <see cref="AddBernoulliNoise"/>; kept to measure the skip sampler against.
    /// </summary>
    /// <remarks>
    /// Elements 2t and 2t + 1 share the block of counter <c>local = t</c> (position <c>(5 &lt;&lt; 56) | t</c>): element
    /// 2t is selected when <c>(x0 &gt;&gt; 8) &lt; ⌈p·2²⁴⌉</c> and element 2t + 1 when <c>(x1 &gt;&gt; 8) &lt; ⌈p·2²⁴⌉</c>,
    /// and they get <c>x += (float)σ·z</c> with the Box–Muller pair of x2 and x3 computed as in
    /// <see cref="AddBernoulliNoise"/> (<c>r·cos θ</c> for 2t, <c>r·sin θ</c> for 2t + 1).
    /// </remarks>
    /// <param name="values">The tensor, perturbed in place; its element 0 is element index 0.</param>
    /// <param name="rate">The probability that an element is perturbed, between 0 and 1.</param>
    /// <param name="standardDeviation">σ, finite and non-negative.</param>
    /// <param name="key">The random stream.</param>
    /// <returns>How many elements were perturbed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The rate or σ is out of range.</exception>
    public static int AddBernoulliNoiseDense(Span<float> values, double rate, double standardDeviation, RandomKey key)
    {
        CheckNoiseArguments(rate, standardDeviation);
        return BernoulliNoise.AddDense(values, 0, values.Length, rate, (float)standardDeviation, key, vectorized: true);
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

    private static void CheckNoiseArguments(double rate, double standardDeviation)
    {
        if (!(rate is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, $"The rate must be between 0 and 1, was {rate}.");
        }

        if (!double.IsFinite(standardDeviation) || standardDeviation < 0 || !float.IsFinite((float)standardDeviation))
        {
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, $"The standard deviation must be finite and non-negative, was {standardDeviation}.");
        }
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
