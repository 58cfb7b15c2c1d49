using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Genesis.Compute;

/// <summary>
/// Sums over fixed blocks of <see cref="RandomKey.BlockSize"/> elements: each block is reduced in float32 by
/// TensorPrimitives, the block results are added in double in block order, so the sum is the same for every thread count
/// and chunk size.
/// </summary>
internal static unsafe class ReductionKernels
{
    private const int Block = RandomKey.BlockSize;

    public static double Dot(float* x, float* y, int length, ChunkedParallel parallel) =>
        Reduce(length, parallel, (start, count) => TensorPrimitives.Dot(new ReadOnlySpan<float>(x + start, count), new ReadOnlySpan<float>(y + start, count)));

    public static double SumOfSquares(float* x, int length, ChunkedParallel parallel) =>
        Reduce(length, parallel, (start, count) => TensorPrimitives.SumOfSquares(new ReadOnlySpan<float>(x + start, count)));

    public static double SumOfMagnitudes(float* x, int length, MagnitudeBand band, ChunkedParallel parallel)
    {
        if (band == MagnitudeBand.All)
        {
            return Reduce(length, parallel, (start, count) => TensorPrimitives.SumOfMagnitudes(new ReadOnlySpan<float>(x + start, count)));
        }

        return Reduce(length, parallel, (start, count) => SumOfMagnitudesInBand(x + start, count, band.Lower, band.Upper));
    }

    /// <summary>The float32 sum of the kept magnitudes of one block, with a fixed lane order.</summary>
    internal static float SumOfMagnitudesInBand(float* x, int count, float lower, float upper)
    {
        var j = 0;
        var total = 0f;
        if (Vector.IsHardwareAccelerated && count >= Vector<float>.Count)
        {
            var sum = Vector<float>.Zero;
            var lo = new Vector<float>(lower);
            var hi = new Vector<float>(upper);
            for (; j <= count - Vector<float>.Count; j += Vector<float>.Count)
            {
                var magnitude = Vector.Abs(Vector.Load(x + j));
                var keep = Vector.GreaterThanOrEqual(magnitude, lo) & Vector.LessThan(magnitude, hi);
                sum += Vector.ConditionalSelect(keep, magnitude, Vector<float>.Zero);
            }

            total = Vector.Sum(sum);
        }

        for (; j < count; j++)
        {
            var magnitude = MathF.Abs(x[j]);
            if (magnitude >= lower && magnitude < upper)
            {
                total += magnitude;
            }
        }

        return total;
    }

    private static double Reduce(int length, ChunkedParallel parallel, Func<int, int, float> block)
    {
        if (length == 0)
        {
            return 0;
        }

        var blocks = (length + Block - 1) / Block;
        var partials = ArrayPool<double>.Shared.Rent(blocks);
        try
        {
            parallel.For(length, (start, count) =>
            {
                var end = start + count;
                for (var b = start; b < end; b += Block)
                {
                    partials[b / Block] = block(b, Math.Min(Block, end - b));
                }
            });

            var sum = 0.0;
            for (var b = 0; b < blocks; b++)
            {
                sum += partials[b];
            }

            return sum;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(partials);
        }
    }
}
