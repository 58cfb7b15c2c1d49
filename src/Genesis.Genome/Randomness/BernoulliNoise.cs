using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Genesis.Randomness;

/// <summary>
/// The kernels of <see cref="CounterRandom.AddBernoulliNoise"/> (domain 4, skip sampling with fused normals) and
/// <see cref="CounterRandom.AddBernoulliNoiseDense"/> (domain 5, a draw for every element). Each has a scalar path and an
/// AVX2 path that give the same bits (see <see cref="CounterMath"/>); which one runs never changes a result.
/// </summary>
/// <remarks>
/// The kernels are compiled fully optimised from the first call and never inlined into a tiered caller: with tiered PGO
/// the dense loop came out about 30% slower than its fully optimised form (34 against 25 ms on 10.4M elements), which
/// would flatter the skip sampler in the benchmark.
/// </remarks>
internal static unsafe class BernoulliNoise
{
    /// <summary>The most pairs one batch of a skip block draws: 1024 (16 KB of scratch).</summary>
    public const int MaxPairs = 1024;

    private const int Block = RandomKey.BlockSize;

    /// <summary>
    /// <c>values[j] += σ·z</c> at the domain-4 selection of the elements [start, start + count) of a tensor whose element 0 is
    /// <paramref name="values"/>[0]; <paramref name="start"/> is a multiple of <see cref="RandomKey.BlockSize"/>. Returns how
    /// many elements were perturbed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static int AddSkip(float* values, int start, int count, double rate, float sigma, RandomKey key, bool vectorized)
    {
        if (count <= 0 || rate <= 0)
        {
            return 0;
        }

        // 1/ln(1 − p), kept finite so that ln U·(1/ln(1 − p)) is never NaN (it is −0 for p = 1: every gap is 0).
        var inverse = (float)Math.Max(1.0 / double.LogP1(-Math.Min(rate, 1.0)), -1e30);
        var gap0 = stackalloc int[MaxPairs];
        var gap1 = stackalloc int[MaxPairs];
        var z0 = stackalloc float[MaxPairs];
        var z1 = stackalloc float[MaxPairs];
        var scratch = new Scratch(gap0, gap1, z0, z1);
        var perturbed = 0;
        var end = start + count;
        for (var blockStart = start; blockStart < end; blockStart += Block)
        {
            var length = Math.Min(Block, end - blockStart);
            perturbed += AddSkipBlock(values + blockStart, length, (ulong)(blockStart / Block), inverse, rate, sigma, key, scratch, vectorized);
        }

        return perturbed;
    }

    /// <summary>
    /// <c>values[j] += σ·z_j</c> where element j's domain-5 uniform is below the rate, for j in [start, start + count);
    /// <paramref name="start"/> is even. Returns how many elements were perturbed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static int AddDense(float* values, int start, int count, double rate, float sigma, RandomKey key, bool vectorized)
    {
        // Element j is selected when (w >> 8) < ⌈p·2²⁴⌉, that is when its 24-bit uniform (w >> 8)·2⁻²⁴ is below p.
        var threshold = (int)Math.Ceiling(Math.Clamp(rate, 0, 1) * 16777216.0);
        var (c1, c2, c3, k0, k1) = Words(key, CounterRandom.NoiseDenseDomain, 0);
        var perturbed = 0;
        var j = start;
        var end = start + count;
        if (vectorized && Philox4x32.IsVectorized)
        {
            var limit = Vector256.Create(threshold);
            var scale = Vector256.Create(sigma);
            for (; j <= end - 16; j += 16)
            {
                var pair = (ulong)j >> 1;
                Philox4x32.Generate8((uint)pair, c1 | (uint)(pair >> 32), c2, c3, k0, k1, out var x0, out var x1, out var x2, out var x3);
                var even = Vector256.LessThan(Vector256.ShiftRightLogical(x0, 8).AsInt32(), limit).AsSingle();
                var odd = Vector256.LessThan(Vector256.ShiftRightLogical(x1, 8).AsInt32(), limit).AsSingle();
                CounterMath.Normals(x2, x3, out var first, out var second);
                first *= scale;
                second *= scale;

                // Pair l holds elements 2l and 2l + 1: interleave the two halves into element order.
                var maskLow = Avx.Permute2x128(Avx.UnpackLow(even, odd), Avx.UnpackHigh(even, odd), 0x20);
                var maskHigh = Avx.Permute2x128(Avx.UnpackLow(even, odd), Avx.UnpackHigh(even, odd), 0x31);
                var noiseLow = Avx.Permute2x128(Avx.UnpackLow(first, second), Avx.UnpackHigh(first, second), 0x20);
                var noiseHigh = Avx.Permute2x128(Avx.UnpackLow(first, second), Avx.UnpackHigh(first, second), 0x31);
                var low = Vector256.Load(values + j);
                var high = Vector256.Load(values + j + 8);
                Vector256.ConditionalSelect(maskLow, low + noiseLow, low).Store(values + j);
                Vector256.ConditionalSelect(maskHigh, high + noiseHigh, high).Store(values + j + 8);
                perturbed += System.Numerics.BitOperations.PopCount(even.ExtractMostSignificantBits())
                    + System.Numerics.BitOperations.PopCount(odd.ExtractMostSignificantBits());
            }
        }

        for (; j < end; j += 2)
        {
            var pair = (ulong)j >> 1;
            Philox4x32.Generate((uint)pair, c1 | (uint)(pair >> 32), c2, c3, k0, k1, out var x0, out var x1, out var x2, out var x3);
            CounterMath.Normals(x2, x3, out var first, out var second);
            if ((int)(x0 >> 8) < threshold)
            {
                values[j] += sigma * first;
                perturbed++;
            }

            if (j + 1 < end && (int)(x1 >> 8) < threshold)
            {
                values[j + 1] += sigma * second;
                perturbed++;
            }
        }

        return perturbed;
    }

    /// <summary><see cref="AddSkip(float*, int, int, double, float, RandomKey, bool)"/> over a span whose element 0 is index 0.</summary>
    public static int AddSkip(Span<float> values, int start, int count, double rate, float sigma, RandomKey key, bool vectorized)
    {
        fixed (float* pointer = values)
        {
            return AddSkip(pointer, start, count, rate, sigma, key, vectorized);
        }
    }

    /// <summary><see cref="AddDense(float*, int, int, double, float, RandomKey, bool)"/> over a span whose element 0 is index 0.</summary>
    public static int AddDense(Span<float> values, int start, int count, double rate, float sigma, RandomKey key, bool vectorized)
    {
        fixed (float* pointer = values)
        {
            return AddDense(pointer, start, count, rate, sigma, key, vectorized);
        }
    }

    /// <summary>
    /// The pairs of draws a batch of a skip block computes (a multiple of 8): the first batch covers the mean number of
    /// draws plus one standard deviation, each further batch two more standard deviations. The batching changes only how
    /// much is drawn in vain, never a result.
    /// </summary>
    internal static int BatchPairs(int length, double rate, bool first)
    {
        var mean = length * rate;
        var deviation = Math.Sqrt(mean * (1 - rate));
        var draws = first ? mean + deviation + 2 : 2 * deviation;
        var pairs = (int)Math.Min((draws + 1) / 2, MaxPairs);
        return Math.Clamp((pairs + 7) & ~7, 8, MaxPairs);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int AddSkipBlock(float* values, int length, ulong block, float inverse, double rate, float sigma, RandomKey key, Scratch scratch, bool vectorized)
    {
        var (c1, c2, c3, k0, k1) = Words(key, CounterRandom.NoiseSkipDomain, block << 16);
        var c0 = (uint)(block << 16);
        var pairs = BatchPairs(length, rate, first: true);
        var offset = -1;
        var count = 0;
        for (var pair = 0; ; pair += pairs, pairs = BatchPairs(length, rate, first: false))
        {
            Draw(c0 + (uint)pair, c1, c2, c3, k0, k1, pairs, inverse, sigma, scratch, vectorized);
            var applied = Apply(values, length, scratch.Gap0, scratch.Gap1, scratch.Noise0, scratch.Noise1, pairs, ref offset);
            count += applied;
            if (applied < 2 * pairs)
            {
                return count;
            }
        }
    }

    /// <summary>
    /// Walks the draws of one batch from <paramref name="offset"/>, adding each draw's noise where its gap lands, and returns
    /// how many were applied: fewer than 2·<paramref name="pairs"/> once a gap leaves the block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Apply(float* values, int length, int* gap0, int* gap1, float* noise0, float* noise1, int pairs, ref int offset)
    {
        var position = offset;
        for (var l = 0; l < pairs; l++)
        {
            position += gap0[l] + 1;
            if (position >= length)
            {
                return 2 * l;
            }

            values[position] += noise0[l];
            position += gap1[l] + 1;
            if (position >= length)
            {
                return (2 * l) + 1;
            }

            values[position] += noise1[l];
        }

        offset = position;
        return 2 * pairs;
    }

    /// <summary>The gaps and scaled normals of <paramref name="pairs"/> (a multiple of 8) consecutive counters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Draw(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, int pairs, float inverse, float sigma, Scratch scratch, bool vectorized)
    {
        if (vectorized && Philox4x32.IsVectorized)
        {
            var inverseVector = Vector256.Create(inverse);
            var scale = Vector256.Create(sigma);
            for (var l = 0; l < pairs; l += 8)
            {
                Philox4x32.Generate8(c0 + (uint)l, c1, c2, c3, k0, k1, out var x0, out var x1, out var x2, out var x3);
                CounterMath.Gap(x0, inverseVector).Store(scratch.Gap0 + l);
                CounterMath.Gap(x1, inverseVector).Store(scratch.Gap1 + l);
                CounterMath.Normals(x2, x3, out var first, out var second);
                (first * scale).Store(scratch.Noise0 + l);
                (second * scale).Store(scratch.Noise1 + l);
            }

            return;
        }

        for (var l = 0; l < pairs; l++)
        {
            Philox4x32.Generate(c0 + (uint)l, c1, c2, c3, k0, k1, out var x0, out var x1, out var x2, out var x3);
            scratch.Gap0[l] = CounterMath.Gap(x0, inverse);
            scratch.Gap1[l] = CounterMath.Gap(x1, inverse);
            CounterMath.Normals(x2, x3, out var first, out var second);
            scratch.Noise0[l] = sigma * first;
            scratch.Noise1[l] = sigma * second;
        }
    }

    /// <summary>
    /// The counter words c1..c3 and the key of position <c>(domain &lt;&lt; 56) | local</c> of <paramref name="key"/>'s stream
    /// (c0, the low word of the position, is the caller's).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (uint C1, uint C2, uint C3, uint K0, uint K1) Words(RandomKey key, byte domain, ulong local)
    {
        var position = ((ulong)domain << 56) | local;
        return ((uint)(position >> 32), (uint)key.Stream, (uint)(key.Stream >> 32), (uint)key.Seed, (uint)(key.Seed >> 32));
    }

    /// <summary>The per-call scratch of a skip block: the gaps and scaled normals of one batch.</summary>
    private readonly struct Scratch(int* gap0, int* gap1, float* noise0, float* noise1)
    {
        public int* Gap0 { get; } = gap0;

        public int* Gap1 { get; } = gap1;

        public float* Noise0 { get; } = noise0;

        public float* Noise1 { get; } = noise1;
    }
}
