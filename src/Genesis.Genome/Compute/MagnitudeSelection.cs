using System.Buffers;
using System.Numerics;

namespace Genesis.Compute;

/// <summary>
/// The r-th largest magnitude by a radix select on the float bits, never a sort: for non-negative floats the bit pattern
/// orders like the value, so the 31 bits of <c>|x|</c> (sign cleared) are resolved a few at a time, from the top. Each
/// level histograms the next bits of the elements whose higher bits match the prefix found so far, and walks the histogram
/// from the top to the bin holding the rank. Large tensors use two levels (16 + 15 bits: two streaming passes); small ones
/// three levels of at most 11 bits, whose histograms stay in L1 (per-tensor LoRA merges call this hundreds of times).
/// O(n) whatever the data, exact, no copy; per-thread histograms are merged as integers.
/// </summary>
internal static unsafe class MagnitudeSelection
{
    private const uint MagnitudeMask = 0x7FFFFFFF;

    /// <summary>From this length on, two levels of 16 and 15 bits; below it, three levels of 11, 10 and 10 bits.</summary>
    private const int LargeLength = 1 << 18;

    private static readonly int[] LargeLevels = [16, 15];
    private static readonly int[] SmallLevels = [11, 10, 10];

    public static void Thresholds(float* x, int length, ReadOnlySpan<int> ranks, Span<float> thresholds, ChunkedParallel parallel)
    {
        var bits = (uint*)x;
        var prefixes = new uint[ranks.Length];
        var residual = ranks.ToArray();
        var consumed = 0;
        foreach (var width in length >= LargeLength ? LargeLevels : SmallLevels)
        {
            // The elements of interest at this level share the prefix (bits above `shift + width`) found so far.
            var shift = 31 - consumed - width;
            var targets = prefixes.Distinct().ToArray();
            var bins = 1 << width;
            var histogram = Histogram(bits, length, consumed == 0 ? null : targets, shift, width, parallel);
            try
            {
                for (var r = 0; r < ranks.Length; r++)
                {
                    var target = Array.IndexOf(targets, prefixes[r]);
                    var (bin, rank) = Locate(histogram.AsSpan(target * bins, bins), residual[r]);
                    prefixes[r] = (prefixes[r] << width) | (uint)bin;
                    residual[r] = rank;
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(histogram);
            }

            consumed += width;
        }

        for (var r = 0; r < ranks.Length; r++)
        {
            thresholds[r] = BitConverter.UInt32BitsToSingle(prefixes[r]);
        }
    }

    /// <summary>
    /// One histogram of <c>2^width</c> bins per target prefix, over bits <c>[shift, shift + width)</c> of the elements whose
    /// bits above <c>shift + width</c> equal the target (all elements when <paramref name="targets"/> is null).
    /// </summary>
    private static int[] Histogram(uint* bits, int length, uint[]? targets, int shift, int width, ChunkedParallel parallel)
    {
        var size = (targets?.Length ?? 1) << width;
        var total = RentCleared(size);
        parallel.For(
            length,
            () => RentCleared(size),
            (start, count, local) =>
            {
                if (targets is null)
                {
                    CountAll(bits, start, count, shift, width, local);
                }
                else
                {
                    CountMatching(bits, start, count, targets, shift, width, local);
                }
            },
            local =>
            {
                for (var b = 0; b < size; b++)
                {
                    total[b] += local[b];
                }

                ArrayPool<int>.Shared.Return(local);
            });
        return total;
    }

    private static void CountAll(uint* bits, int start, int count, int shift, int width, int[] histogram)
    {
        var mask = (1u << width) - 1;
        fixed (int* h = histogram)
        {
            var j = start;
            var end = start + count;
            for (; j <= end - 4; j += 4)
            {
                var a = ((bits[j] & MagnitudeMask) >> shift) & mask;
                var b = ((bits[j + 1] & MagnitudeMask) >> shift) & mask;
                var c = ((bits[j + 2] & MagnitudeMask) >> shift) & mask;
                var d = ((bits[j + 3] & MagnitudeMask) >> shift) & mask;
                h[a]++;
                h[b]++;
                h[c]++;
                h[d]++;
            }

            for (; j < end; j++)
            {
                h[((bits[j] & MagnitudeMask) >> shift) & mask]++;
            }
        }
    }

    private static void CountMatching(uint* bits, int start, int count, uint[] targets, int shift, int width, int[] histogram)
    {
        var prefixShift = shift + width;
        var j = start;
        var end = start + count;
        if (Vector.IsHardwareAccelerated)
        {
            var magnitude = new Vector<uint>(MagnitudeMask);
            for (; j <= end - Vector<uint>.Count; j += Vector<uint>.Count)
            {
                var prefix = Vector.ShiftRightLogical(Vector.Load(bits + j) & magnitude, prefixShift);
                var hit = Vector<uint>.Zero;
                foreach (var target in targets)
                {
                    hit |= Vector.Equals(prefix, new Vector<uint>(target));
                }

                if (hit != Vector<uint>.Zero)
                {
                    for (var lane = 0; lane < Vector<uint>.Count; lane++)
                    {
                        CountOne(bits[j + lane], targets, shift, width, histogram);
                    }
                }
            }
        }

        for (; j < end; j++)
        {
            CountOne(bits[j], targets, shift, width, histogram);
        }
    }

    private static void CountOne(uint word, uint[] targets, int shift, int width, int[] histogram)
    {
        var magnitude = word & MagnitudeMask;
        var index = Array.IndexOf(targets, magnitude >> (shift + width));
        if (index >= 0)
        {
            histogram[(index << width) + (int)((magnitude >> shift) & ((1u << width) - 1))]++;
        }
    }

    /// <summary>Walks a histogram from the top: the bin holding the r-th largest element, and r's rank inside that bin.</summary>
    private static (int Bin, int Rank) Locate(ReadOnlySpan<int> histogram, int rank)
    {
        var above = 0;
        for (var b = histogram.Length - 1; b >= 0; b--)
        {
            if (above + histogram[b] >= rank)
            {
                return (b, rank - above);
            }

            above += histogram[b];
        }

        throw new InvalidOperationException("The histogram holds fewer elements than the rank.");
    }

    private static int[] RentCleared(int length)
    {
        var array = ArrayPool<int>.Shared.Rent(length);
        Array.Clear(array, 0, length);
        return array;
    }
}
