using System.Runtime.Intrinsics;
using Genesis.Randomness;

namespace Genesis.GenomeTests.Randomness;

/// <summary>The fixed single-precision formulas of the fused noise: scalar and vector forms agree bit for bit, and are accurate.</summary>
public sealed class CounterMathTests
{
    /// <summary>Words from a seeded generator, plus the edges of every conversion.</summary>
    private static uint[] Words(int count, int seed)
    {
        var random = new Random(seed);
        var words = new uint[count];
        for (var i = 0; i < count; i++)
        {
            words[i] = (uint)random.NextInt64(0, 1L << 32);
        }

        uint[] edges = [0, 1, 255, 256, 0xFF, 0x1FF, 0x7FFFFFFF, 0x80000000, 0xB504F300, 0xB504F400, 0xFFFFFF00, 0xFFFFFFFE, 0xFFFFFFFF, 0x00200000 << 8, 0x001FFFFF << 8, 0x00600000 << 8, 0x00400000 << 8];
        edges.CopyTo(words, 0);
        return words;
    }

    [Fact]
    public void The_logarithm_is_the_same_in_both_forms_and_within_a_few_ulps()
    {
        var words = Words(200_000, 1);
        var inputs = words.Select(w => ((int)(w >> 8) + 1) * (1f / 16777216f)).Concat([1f, 0.5f, 0.70710677f, 0.7071068f, 1f / 4294967296f]).ToArray();
        for (var i = 0; i + 8 <= inputs.Length; i += 8)
        {
            var vector = CounterMath.Ln(Vector256.Create(inputs.AsSpan(i, 8)));
            for (var l = 0; l < 8; l++)
            {
                var x = inputs[i + l];
                var scalar = CounterMath.Ln(x);
                Assert.Equal(BitConverter.SingleToInt32Bits(scalar), BitConverter.SingleToInt32Bits(vector[l]));
                var exact = Math.Log(x);
                Assert.True(Math.Abs(scalar - exact) <= (4 * Math.Abs(exact) * 6e-8) + 1e-12, $"ln {x}: {scalar} against {exact}");
            }
        }

        Assert.Equal(0f, CounterMath.Ln(1f));
    }

    [Fact]
    public void The_normals_are_the_same_in_both_forms_and_match_box_muller()
    {
        var radius = Words(100_000, 2);
        var angle = Words(100_000, 3);
        for (var i = 0; i + 8 <= radius.Length; i += 8)
        {
            CounterMath.Normals(Vector256.Create(radius.AsSpan(i, 8)), Vector256.Create(angle.AsSpan(i, 8)), out var first, out var second);
            for (var l = 0; l < 8; l++)
            {
                CounterMath.Normals(radius[i + l], angle[i + l], out var a, out var b);
                Assert.Equal(BitConverter.SingleToInt32Bits(a), BitConverter.SingleToInt32Bits(first[l]));
                Assert.Equal(BitConverter.SingleToInt32Bits(b), BitConverter.SingleToInt32Bits(second[l]));

                var r = Math.Sqrt(-2 * Math.Log(((radius[i + l] >> 8) + 1) / 16777216.0));
                var theta = 2 * Math.PI * (angle[i + l] >> 8) / 16777216.0;
                Assert.True(Math.Abs(a - (r * Math.Cos(theta))) <= 2e-6 * Math.Max(1, r), $"cos: {a} against {r * Math.Cos(theta)}");
                Assert.True(Math.Abs(b - (r * Math.Sin(theta))) <= 2e-6 * Math.Max(1, r), $"sin: {b} against {r * Math.Sin(theta)}");
            }
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.1)]
    [InlineData(0.01)]
    [InlineData(1e-4)]
    [InlineData(1e-7)]
    [InlineData(1e-9)]
    public void The_gaps_are_the_same_in_both_forms_and_the_floor_of_the_exact_quotient(double p)
    {
        var words = Words(200_000, 4);
        var inverse = (float)(1 / double.LogP1(-p));
        var inverseVector = Vector256.Create(inverse);
        var mismatches = 0;
        for (var i = 0; i + 8 <= words.Length; i += 8)
        {
            var vector = CounterMath.Gap(Vector256.Create(words.AsSpan(i, 8)), inverseVector);
            for (var l = 0; l < 8; l++)
            {
                var scalar = CounterMath.Gap(words[i + l], inverse);
                Assert.Equal(scalar, vector[l]);
                var exact = Math.Min(Math.Floor(Math.Log((words[i + l] + 1.0) / 4294967296.0) / double.LogP1(-p)), 1 << 30);
                if (scalar != exact)
                {
                    // Rounding can move a quotient across an integer, by one or, for the huge gaps (which all leave a
                    // block), by a relative 10⁻⁶.
                    Assert.Equal(exact, scalar, 1.0 + (exact * 1e-6));
                    mismatches += exact < RandomKey.BlockSize ? 1 : 0;
                }
            }
        }

        // Inside a block (gaps below 4096) the float quotient is off by less than 10⁻³, so it rarely crosses an integer.
        Assert.InRange(mismatches, 0, words.Length / 2000);
    }
}
