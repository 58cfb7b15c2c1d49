namespace Genesis;

/// <summary>
/// Names one counter-based random stream: a 64-bit <see cref="Seed"/> and a 64-bit <see cref="Stream"/> id. Every random
/// number an <see cref="ITensorCompute"/> draws is a pure function of this key, a purpose and an element index, so a result
/// never depends on thread count, chunking, call order or device.
/// </summary>
/// <remarks>
/// <para>
/// The generator is Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011). Its 64-bit key is
/// <c>(k0, k1) = (low32(Seed), high32(Seed))</c>; its 128-bit counter is <c>(c0, c1, c2, c3) = (low32(P), high32(P),
/// low32(Stream), high32(Stream))</c> with a 64-bit position <c>P = (domain &lt;&lt; 56) | local</c>. The domains are:
/// </para>
/// <list type="bullet">
/// <item><description>1, a uniform per element <c>i</c>: <c>local = i &gt;&gt; 2</c>, word <c>w = x[i &amp; 3]</c>,
/// <c>u = (w &gt;&gt; 8)·2⁻²⁴ ∈ [0, 1)</c>.</description></item>
/// <item><description>2, a standard normal per element <c>i</c> (Box–Muller): <c>local = i &gt;&gt; 2</c>, pair
/// <c>q = (i &gt;&gt; 1) &amp; 1</c>, <c>u₁ = ((x[2q] &gt;&gt; 8) + 1)·2⁻²⁴ ∈ (0, 1]</c>, <c>u₂ = (x[2q+1] &gt;&gt; 8)·2⁻²⁴</c>,
/// <c>r = √(−2 ln u₁)</c>; even <c>i</c> gets <c>r·cos 2πu₂</c>, odd <c>i</c> gets <c>r·sin 2πu₂</c> (so |z| ≤ 5.77).</description></item>
/// <item><description>3, Bernoulli(p) selection by geometric skips, in blocks of <see cref="BlockSize"/> elements aligned to
/// the tensor start: in block <c>b</c>, draw <c>j</c> uses <c>local = (b &lt;&lt; 16) | (j &gt;&gt; 2)</c> and word
/// <c>w = x[j &amp; 3]</c>, <c>U = (w + 1)·2⁻³²</c>, gap <c>G = ⌊ln U / ln(1 − p)⌋</c>; starting at offset −1, each gap
/// advances the offset by <c>G + 1</c> and selects it while it is inside the block. Only the selected elements are
/// touched, and a block's selection depends on nothing but the key, <c>b</c> and <c>p</c>.</description></item>
/// <item><description>4, fused Bernoulli selection and Gaussian noise (GENOME's mutation, <c>CounterRandom.AddBernoulliNoise</c>
/// in Genesis.Genome): in block <c>b</c>, one Philox block of <c>local = (b &lt;&lt; 16) | t</c> gives two selected elements
/// their gaps and their normals; the layout is documented on that method.</description></item>
/// <item><description>5, the dense reference of domain 4 (noise drawn for every element), for benchmarks.</description></item>
/// </list>
/// <para>
/// Uniforms are integer-exact on any device. A gap uses one <c>ln</c> (a device that rounds it differently changes a gap
/// only when the quotient lands within an ulp of an integer); normal values use <c>ln</c>, <c>sin</c> and <c>cos</c>, which
/// devices may round differently in the last place.
/// </para>
/// </remarks>
/// <param name="Seed">The run's seed; the Philox key.</param>
/// <param name="Stream">Which stream of the seed: one per child, tensor and purpose. Different streams give independent numbers.</param>
public readonly record struct RandomKey(ulong Seed, ulong Stream)
{
    /// <summary>The number of elements in one block of skip sampling: 4096. Blocks are aligned to the tensor start.</summary>
    public const int BlockSize = 4096;

    /// <summary>
    /// A sub-stream of this key, for example one per parent of a merge:
    /// <c>new RandomKey(Seed, Mix64(Stream + 0x9E3779B97F4A7C15·(index + 1)))</c>, where <c>Mix64</c> is the SplitMix64
    /// finaliser. Distinct indices give distinct streams except with probability about 2⁻⁶⁴.
    /// </summary>
    /// <param name="index">The sub-stream's index.</param>
    public RandomKey Derive(ulong index) => new(Seed, Mix64(unchecked(Stream + (0x9E3779B97F4A7C15UL * (index + 1)))));

    /// <summary>The SplitMix64 finaliser (Stafford's variant 13): a bijective 64-bit mixer.</summary>
    /// <param name="value">The value to mix.</param>
    public static ulong Mix64(ulong value)
    {
        unchecked
        {
            value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
            value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
            return value ^ (value >> 31);
        }
    }
}
