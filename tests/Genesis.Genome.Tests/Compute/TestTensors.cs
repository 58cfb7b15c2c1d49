using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace Genesis.GenomeTests.Compute;

/// <summary>Seeded tensors, tolerant comparisons and a seeded FsCheck runner for the tensor tests.</summary>
internal static class TestTensors
{
    /// <summary>Uniform values in [−scale, scale), from a seeded generator.</summary>
    public static float[] Uniform(int length, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1) * scale;
        }

        return values;
    }

    /// <summary>Small integers in [−range, range], so sums are exact and ties common.</summary>
    public static float[] Integers(int length, int seed, int range = 4)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = random.Next(-range, range + 1);
        }

        return values;
    }

    /// <summary>Asserts |expected − actual| ≤ tolerance·max(1, |expected|) element by element, naming the first difference.</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tolerance = 1e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var bound = tolerance * Math.Max(1.0, Math.Abs(expected[i]));
            if (!(Math.Abs(expected[i] - actual[i]) <= bound))
            {
                Assert.Fail($"Element {i}: expected {expected[i]}, was {actual[i]} (tolerance {bound}).");
            }
        }
    }

    /// <summary>Asserts two float tensors agree within a relative tolerance.</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance = 1e-6)
    {
        var widened = new double[expected.Length];
        for (var i = 0; i < expected.Length; i++)
        {
            widened[i] = expected[i];
        }

        Close(widened, actual, tolerance);
    }

    /// <summary>Asserts bit-for-bit equality, naming the first difference.</summary>
    public static void Identical(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"Element {i}: expected {expected[i]:R}, was {actual[i]:R}.");
            }
        }
    }

    /// <summary>Runs an FsCheck property from an xUnit fact with a fixed seed, so failures reproduce.</summary>
    public static void Check<T>(Gen<T> generator, Action<T> assertion, int maxTest = 100, ulong seed = 20250704)
    {
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(maxTest)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None)));
        FsCheck.Check.One(config, Prop.ForAll(generator.ToArbitrary(), assertion));
    }

    /// <summary>
    /// CPU computes with 1 to 4 threads, chunk sizes of 1 to 3 blocks, and streaming stores or not: every one must give the
    /// same bits.
    /// </summary>
    public static Gen<Genesis.Compute.CpuTensorCompute> Computes() =>
        from threads in Gen.Choose(1, 4)
        from blocks in Gen.Choose(1, 3)
        from streaming in Gen.Elements(false, true)
        select new Genesis.Compute.CpuTensorCompute(new Genesis.Compute.CpuTensorComputeOptions
        {
            MaxDegreeOfParallelism = threads,
            ChunkSize = blocks * RandomKey.BlockSize,
            StreamingThreshold = streaming ? 0 : int.MaxValue,
        });
}
