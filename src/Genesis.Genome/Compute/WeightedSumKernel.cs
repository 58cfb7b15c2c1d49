using System.Numerics;
using System.Numerics.Tensors;

namespace Genesis.Compute;

/// <summary><c>destination = Σ_i w_i·x_i</c>, in input order.</summary>
internal static unsafe class WeightedSumKernel
{
    /// <summary>Elements per tile of the TensorPrimitives path: the destination tile stays in L1 between the k passes.</summary>
    private const int Tile = 2048;

    /// <summary>Computes elements [start, start + count); <paramref name="streaming"/> writes the two-input case with streaming stores.</summary>
    public static void Run(float*[] inputs, float[] weights, float* destination, int start, int count, bool streaming)
    {
        if (inputs.Length == 2)
        {
            RunTwo(inputs[0], inputs[1], weights[0], weights[1], destination, start, count, streaming && Vector.IsHardwareAccelerated && StreamingStores.IsSupported);
            return;
        }

        var end = start + count;
        for (var tile = start; tile < end; tile += Tile)
        {
            var length = Math.Min(Tile, end - tile);
            var target = new Span<float>(destination + tile, length);
            TensorPrimitives.Multiply(new ReadOnlySpan<float>(inputs[0] + tile, length), weights[0], target);
            for (var i = 1; i < inputs.Length; i++)
            {
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(inputs[i] + tile, length), weights[i], target, target);
            }
        }
    }

    /// <summary>The two-parent case in one fused pass: <c>(x·a) + (y·b)</c>.</summary>
    private static void RunTwo(float* x, float* y, float a, float b, float* destination, int start, int count, bool streaming)
    {
        var end = start + count;
        var j = start;
        if (streaming)
        {
            // Scalar elements up to the first aligned vector: the same values as the vector path.
            for (var head = Math.Min(end, start + StreamingStores.Head(destination + start)); j < head; j++)
            {
                destination[j] = (x[j] * a) + (y[j] * b);
            }
        }

        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a);
            var vb = new Vector<float>(b);
            for (; j <= end - (2 * Vector<float>.Count); j += 2 * Vector<float>.Count)
            {
                var r0 = (Vector.Load(x + j) * va) + (Vector.Load(y + j) * vb);
                var r1 = (Vector.Load(x + j + Vector<float>.Count) * va) + (Vector.Load(y + j + Vector<float>.Count) * vb);
                StreamingStores.Store(r0, destination + j, streaming);
                StreamingStores.Store(r1, destination + j + Vector<float>.Count, streaming);
            }

            for (; j <= end - Vector<float>.Count; j += Vector<float>.Count)
            {
                StreamingStores.Store((Vector.Load(x + j) * va) + (Vector.Load(y + j) * vb), destination + j, streaming);
            }
        }

        for (; j < end; j++)
        {
            destination[j] = (x[j] * a) + (y[j] * b);
        }

        if (streaming)
        {
            StreamingStores.Fence();
        }
    }
}
