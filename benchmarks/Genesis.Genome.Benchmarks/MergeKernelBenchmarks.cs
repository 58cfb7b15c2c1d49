using BenchmarkDotNet.Attributes;
using Genesis.Compute;
using Genesis.Merging;

namespace Genesis.GenomeBenchmarks;

/// <summary>
/// Crossover and mutation kernels on one adapter of 10,383,360 float32 parameters (gemma-2-2b, r = 8, all seven
/// projections: 41.5 MB), with 1 and 2 threads. Baseline: <see cref="Span{T}.CopyTo"/> of one adapter (41.5 MB read,
/// 41.5 MB written), the bytes a merge writes; <see cref="MemcpyBothParents"/> copies the 83 MB a 2-parent merge reads.
/// Mutation is in <see cref="MutationBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class MergeKernelBenchmarks
{
    /// <summary>The gemma-2-2b r=8 adapter size: 26 layers × 399,360.</summary>
    public const int AdapterParameters = 10_383_360;

    private float[] _parent0 = [];
    private float[] _parent1 = [];
    private float[] _destination = [];
    private float[] _secondDestination = [];
    private MergeInput _input = null!;
    private CpuTensorCompute _compute = null!;
    private LinearMerge _linear = null!;
    private TiesMerge _ties = null!;
    private DareMerge _dare = null!;
    private MagnitudeBand[] _bands = [];
    private (int Offset, int Length)[] _tensors = [];

    /// <summary>Threads per call.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _parent0 = Adapter(1);
        _parent1 = Adapter(2);
        _destination = new float[AdapterParameters];
        _secondDestination = new float[AdapterParameters];
        _input = new MergeInput { Parents = [_parent0, _parent1], Weights = [0.6, 0.4], Random = new RandomKey(42, 1) };
        _compute = new CpuTensorCompute(new CpuTensorComputeOptions { MaxDegreeOfParallelism = Threads });
        _linear = new LinearMerge(new() { Profile = MergeProfile.GenomeCompatible }, _compute);
        _ties = new TiesMerge(new() { Profile = MergeProfile.GenomeCompatible, Density = 0.7 }, _compute);
        _dare = new DareMerge(new() { Profile = MergeProfile.GenomeCompatible, Density = 0.7 }, _compute);

        _tensors = GemmaTensors();

        // The thresholds of a density-0.7 trim, for the apply-only benchmark.
        var rank = (int)(0.7 * AdapterParameters);
        var thresholds = new float[1];
        _bands = new MagnitudeBand[2];
        _compute.MagnitudeThresholds(_parent0, [rank], thresholds);
        _bands[0] = MagnitudeBand.AtLeast(thresholds[0]);
        _compute.MagnitudeThresholds(_parent1, [rank], thresholds);
        _bands[1] = MagnitudeBand.AtLeast(thresholds[0]);
    }

    [Benchmark(Baseline = true)]
    public void MemcpyOneAdapter() => _parent0.AsSpan().CopyTo(_destination);

    [Benchmark]
    public void MemcpyBothParents()
    {
        _parent0.AsSpan().CopyTo(_destination);
        _parent1.AsSpan().CopyTo(_secondDestination);
    }

    [Benchmark]
    public void LinearMerge2() => _linear.Merge(_input, _destination);

    [Benchmark]
    public void TiesApply2() => _compute.ConsensusMerge(
        new ConsensusMergeArguments
        {
            Inputs = [_parent0, _parent1],
            Bands = _bands,
            MixWeights = [0.6f, 0.4f],
            ElectionWeights = [1f, 1f],
            Consensus = SignConsensus.Sum,
            Normalize = true,
        },
        _destination);

    [Benchmark]
    public void TopKThreshold1()
    {
        Span<float> threshold = stackalloc float[1];
        _compute.MagnitudeThresholds(_parent0, [(int)(0.7 * AdapterParameters)], threshold);
    }

    [Benchmark]
    public void TiesChild2() => _ties.Merge(_input, _destination);

    /// <summary>The same child merged tensor by tensor (364 A and B tensors, each trimmed on its own, as PEFT and GENOME do).</summary>
    [Benchmark]
    public void TiesChildPerTensor2()
    {
        foreach (var (offset, length) in _tensors)
        {
            _ties.Merge(
                new MergeInput { Parents = [_parent0.AsMemory(offset, length), _parent1.AsMemory(offset, length)], Weights = [0.6, 0.4] },
                _destination.AsMemory(offset, length));
        }
    }

    [Benchmark]
    public void DareLinear2() => _dare.Merge(_input, _destination);

    /// <summary>
    /// The A and B tensors of gemma-2-2b at r = 8 (hidden 2304, intermediate 9216, q 2048, k/v 1024), layer by layer:
    /// q, k, v, o, gate, up, down, each A <c>[8, in]</c> then B <c>[out, 8]</c>.
    /// </summary>
    private static (int Offset, int Length)[] GemmaTensors()
    {
        (int In, int Out)[] modules = [(2304, 2048), (2304, 1024), (2304, 1024), (2048, 2304), (2304, 9216), (2304, 9216), (9216, 2304)];
        var tensors = new List<(int, int)>();
        var offset = 0;
        for (var layer = 0; layer < 26; layer++)
        {
            foreach (var (input, output) in modules)
            {
                tensors.Add((offset, 8 * input));
                offset += 8 * input;
                tensors.Add((offset, output * 8));
                offset += output * 8;
            }
        }

        return offset == AdapterParameters ? [.. tensors] : throw new InvalidOperationException($"The layout holds {offset} parameters.");
    }

    /// <summary>LoRA-like values: uniform in ±0.02, seeded.</summary>
    internal static float[] Adapter(int seed)
    {
        var random = new Random(seed);
        var values = new float[AdapterParameters];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextSingle() - 0.5f) * 0.04f;
        }

        return values;
    }
}
