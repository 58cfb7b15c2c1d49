using System.Numerics.Tensors;
using Genesis.Randomness;

namespace Genesis.Compute;

/// <summary>Random masks over blocks of <see cref="RandomKey.BlockSize"/> elements: DARE's drop and the mutation noise.</summary>
internal static unsafe class BernoulliKernels
{
    private const int Block = RandomKey.BlockSize;

    /// <summary>
    /// Drops each element with probability p. For p ≤ ½ the skip sampler (domain 3, probability p) picks the dropped elements;
    /// for p &gt; ½ it picks the kept ones (probability 1 − p), so at most half of the elements are ever drawn.
    /// </summary>
    public static void Drop(float* source, float* destination, int start, int count, double probability, RandomKey key, int* dropped, double* sourceMagnitude, double* keptMagnitude)
    {
        var keepSelected = probability > 0.5;
        var selectProbability = keepSelected ? 1.0 - probability : probability;
        var end = start + count;
        Span<int> offsets = stackalloc int[Block];
        Span<float> kept = stackalloc float[keepSelected ? Block : 0];
        for (var blockStart = start; blockStart < end; blockStart += Block)
        {
            var length = Math.Min(Block, end - blockStart);
            var block = blockStart / Block;
            var from = new ReadOnlySpan<float>(source + blockStart, length);
            var to = new Span<float>(destination + blockStart, length);
            sourceMagnitude[block] = TensorPrimitives.SumOfMagnitudes(from);
            var selected = BernoulliSkip.SelectBlock(key, selectProbability, block, length, offsets);
            if (keepSelected)
            {
                // Gather the kept elements first: the destination may be the source.
                for (var s = 0; s < selected; s++)
                {
                    kept[s] = from[offsets[s]];
                }

                to.Clear();
                for (var s = 0; s < selected; s++)
                {
                    to[offsets[s]] = kept[s];
                }

                dropped[block] = length - selected;
            }
            else
            {
                if (source != destination)
                {
                    from.CopyTo(to);
                }

                for (var s = 0; s < selected; s++)
                {
                    to[offsets[s]] = 0f;
                }

                dropped[block] = selected;
            }

            keptMagnitude[block] = TensorPrimitives.SumOfMagnitudes(to);
        }
    }

    /// <summary><c>x += σ·z</c> at the skip-sampled elements; returns how many. Normals are drawn two at a time, interleaved.</summary>
    public static int NoiseSkip(float* tensor, int start, int count, double rate, float sigma, RandomKey key)
    {
        var perturbed = 0;
        var end = start + count;
        Span<int> offsets = stackalloc int[Block];
        for (var blockStart = start; blockStart < end; blockStart += Block)
        {
            var selected = BernoulliSkip.SelectBlock(key, rate, blockStart / Block, Math.Min(Block, end - blockStart), offsets);
            var s = 0;
            for (; s + 1 < selected; s += 2)
            {
                long i = blockStart + offsets[s];
                long j = blockStart + offsets[s + 1];
                CounterRandom.NormalBlocks(key, i, j, out var a0, out var a1, out var a2, out var a3, out var b0, out var b1, out var b2, out var b3);
                tensor[i] += sigma * CounterRandom.NormalOf(i, a0, a1, a2, a3);
                tensor[j] += sigma * CounterRandom.NormalOf(j, b0, b1, b2, b3);
            }

            if (s < selected)
            {
                long i = blockStart + offsets[s];
                tensor[i] += sigma * CounterRandom.Normal(key, i);
            }

            perturbed += selected;
        }

        return perturbed;
    }

    /// <summary>
    /// <c>x += σ·z</c> where a per-element uniform is below the rate, drawing a uniform and a normal for every element (four
    /// of each per Philox block, the two blocks of a quad interleaved), as GENOME does. The normal of an element equals
    /// <see cref="CounterRandom.Normal"/>.
    /// </summary>
    public static int NoiseDense(float* tensor, int start, int count, double rate, float sigma, RandomKey key)
    {
        var perturbed = 0;
        var end = start + count;
        var threshold = (float)rate;
        var k0 = (uint)key.Seed;
        var k1 = (uint)(key.Seed >> 32);
        var s0 = (uint)key.Stream;
        var s1 = (uint)(key.Stream >> 32);
        Span<float> z = stackalloc float[4];
        Span<float> u = stackalloc float[4];
        for (var quadStart = start; quadStart < end; quadStart += 4)
        {
            var quad = (ulong)quadStart >> 2;
            var uniform = ((ulong)CounterRandom.UniformDomain << 56) | quad;
            var normal = ((ulong)CounterRandom.NormalDomain << 56) | quad;
            uint u0 = (uint)uniform, u1 = (uint)(uniform >> 32), u2 = s0, u3 = s1;
            uint n0 = (uint)normal, n1 = (uint)(normal >> 32), n2 = s0, n3 = s1;
            Philox4x32.Generate2(ref u0, ref u1, ref u2, ref u3, k0, k1, ref n0, ref n1, ref n2, ref n3, k0, k1);
            u[0] = (u0 >> 8) * CounterRandom.Unit24;
            u[1] = (u1 >> 8) * CounterRandom.Unit24;
            u[2] = (u2 >> 8) * CounterRandom.Unit24;
            u[3] = (u3 >> 8) * CounterRandom.Unit24;
            var radius0 = CounterRandom.Radius(n0);
            var angle0 = CounterRandom.Angle(n1);
            var radius1 = CounterRandom.Radius(n2);
            var angle1 = CounterRandom.Angle(n3);
            z[0] = radius0 * MathF.Cos(angle0);
            z[1] = radius0 * MathF.Sin(angle0);
            z[2] = radius1 * MathF.Cos(angle1);
            z[3] = radius1 * MathF.Sin(angle1);
            var lanes = Math.Min(4, end - quadStart);
            for (var lane = 0; lane < lanes; lane++)
            {
                if (u[lane] < threshold)
                {
                    tensor[quadStart + lane] += sigma * z[lane];
                    perturbed++;
                }
            }
        }

        return perturbed;
    }
}
