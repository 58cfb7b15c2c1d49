using System.Buffers;

namespace Genesis.Compute;

/// <summary>
/// The CPU implementation of <see cref="ITensorCompute"/>: <c>System.Numerics.Tensors.TensorPrimitives</c> and
/// <see cref="System.Numerics.Vector{T}"/> kernels with scalar tails, optionally spread over threads in chunks.
/// Thread count and chunk size never change a result (see <see cref="CpuTensorComputeOptions"/>). Stateless apart from its
/// options, so one instance can serve concurrent callers.
/// </summary>
public sealed unsafe class CpuTensorCompute : ITensorCompute
{
    private readonly ChunkedParallel _parallel;

    /// <summary>Creates a compute with the given threading.</summary>
    /// <param name="options">Threads and chunk size; <see langword="null"/> for the defaults (one thread).</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public CpuTensorCompute(CpuTensorComputeOptions? options = null)
    {
        Options = options ?? new CpuTensorComputeOptions();
        Options.Validate();
        _parallel = new ChunkedParallel(Options.MaxDegreeOfParallelism, Options.ChunkSize);
    }

    /// <summary>A shared single-threaded instance.</summary>
    public static CpuTensorCompute Default { get; } = new();

    /// <summary>The threading options.</summary>
    public CpuTensorComputeOptions Options { get; }

    /// <inheritdoc />
    public void WeightedSum(ReadOnlySpan<ReadOnlyMemory<float>> inputs, ReadOnlySpan<float> weights, Memory<float> destination)
    {
        CheckInputs(inputs, destination.Length, nameof(inputs));
        if (weights.Length != inputs.Length)
        {
            throw new ArgumentException($"One weight per input is needed ({inputs.Length}), had {weights.Length}.", nameof(weights));
        }

        CheckNoOverlap(inputs, default, destination.Span);
        if (destination.IsEmpty)
        {
            return;
        }

        using var pins = new Pins(inputs);
        using var target = destination.Pin();
        var pointers = pins.Pointers;
        var weightArray = weights.ToArray();
        var output = (float*)target.Pointer;
        var streaming = StreamingStores.Use(output, destination.Length, Options.StreamingThreshold);
        _parallel.For(destination.Length, (start, count) => WeightedSumKernel.Run(pointers, weightArray, output, start, count, streaming));
    }

    /// <inheritdoc />
    public double Dot(ReadOnlyMemory<float> x, ReadOnlyMemory<float> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"The tensors must have the same length, had {x.Length} and {y.Length}.", nameof(y));
        }

        using var px = x.Pin();
        using var py = y.Pin();
        return ReductionKernels.Dot((float*)px.Pointer, (float*)py.Pointer, x.Length, _parallel);
    }

    /// <inheritdoc />
    public double SumOfSquares(ReadOnlyMemory<float> x)
    {
        using var px = x.Pin();
        return ReductionKernels.SumOfSquares((float*)px.Pointer, x.Length, _parallel);
    }

    /// <inheritdoc />
    public double SumOfMagnitudes(ReadOnlyMemory<float> x, MagnitudeBand band)
    {
        CheckBand(band, nameof(band));
        using var px = x.Pin();
        return ReductionKernels.SumOfMagnitudes((float*)px.Pointer, x.Length, band, _parallel);
    }

    /// <inheritdoc />
    public void MagnitudeThresholds(ReadOnlyMemory<float> x, ReadOnlySpan<int> ranks, Span<float> thresholds)
    {
        if (thresholds.Length != ranks.Length)
        {
            throw new ArgumentException($"One threshold per rank is needed ({ranks.Length}), had room for {thresholds.Length}.", nameof(thresholds));
        }

        foreach (var rank in ranks)
        {
            if (rank < 1 || rank > x.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(ranks), rank, $"Each rank must be between 1 and the tensor length {x.Length}, was {rank}.");
            }
        }

        if (ranks.IsEmpty)
        {
            return;
        }

        using var px = x.Pin();
        MagnitudeSelection.Thresholds((float*)px.Pointer, x.Length, ranks, thresholds, _parallel);
    }

    /// <inheritdoc />
    public BernoulliDropResult DropBernoulli(ReadOnlyMemory<float> source, double dropProbability, RandomKey key, Memory<float> destination)
    {
        CheckProbability(dropProbability, nameof(dropProbability));
        if (destination.Length != source.Length)
        {
            throw new ArgumentException($"The destination must have the source's length {source.Length}, had {destination.Length}.", nameof(destination));
        }

        var from = source.Span;
        var to = destination.Span;
        if (from.Overlaps(to, out var offset) && (offset != 0 || from.Length == 0))
        {
            throw new ArgumentException("The destination must be the source itself or not overlap it.", nameof(destination));
        }

        var length = source.Length;
        if (length == 0)
        {
            return default;
        }

        var blocks = (length + RandomKey.BlockSize - 1) / RandomKey.BlockSize;
        var dropped = ArrayPool<int>.Shared.Rent(blocks);
        var sourceMagnitude = ArrayPool<double>.Shared.Rent(blocks);
        var keptMagnitude = ArrayPool<double>.Shared.Rent(blocks);
        try
        {
            using var ps = source.Pin();
            using var pd = destination.Pin();
            var input = (float*)ps.Pointer;
            var output = (float*)pd.Pointer;
            _parallel.For(length, (start, count) =>
            {
                fixed (int* d = dropped)
                fixed (double* s = sourceMagnitude)
                fixed (double* k = keptMagnitude)
                {
                    BernoulliKernels.Drop(input, output, start, count, dropProbability, key, d, s, k);
                }
            });

            var totalDropped = 0;
            var totalSource = 0.0;
            var totalKept = 0.0;
            for (var b = 0; b < blocks; b++)
            {
                totalDropped += dropped[b];
                totalSource += sourceMagnitude[b];
                totalKept += keptMagnitude[b];
            }

            return new BernoulliDropResult(totalDropped, totalSource, totalKept);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(dropped);
            ArrayPool<double>.Shared.Return(sourceMagnitude);
            ArrayPool<double>.Shared.Return(keptMagnitude);
        }
    }

    /// <inheritdoc />
    public void ConsensusMerge(scoped in ConsensusMergeArguments arguments, Memory<float> destination)
    {
        var inputs = arguments.Inputs;
        var k = inputs.Length;
        CheckInputs(inputs, destination.Length, "arguments.Inputs");
        CheckWeights(arguments.MixWeights, k, "arguments.MixWeights", required: true);
        CheckWeights(arguments.ElectionWeights, k, "arguments.ElectionWeights", required: false);
        CheckWeights(arguments.DivisorWeights, k, "arguments.DivisorWeights", required: false);
        if (!arguments.Bands.IsEmpty && arguments.Bands.Length != k)
        {
            throw new ArgumentException($"One band per input is needed ({k}), had {arguments.Bands.Length}.", "arguments.Bands");
        }

        foreach (var band in arguments.Bands)
        {
            CheckBand(band, "arguments.Bands");
        }

        if (!arguments.Base.IsEmpty && arguments.Base.Length != destination.Length)
        {
            throw new ArgumentException($"The base must be empty or of the destination's length {destination.Length}, had {arguments.Base.Length}.", "arguments.Base");
        }

        if (!float.IsFinite(arguments.Scale))
        {
            throw new ArgumentException($"The scale must be finite, was {arguments.Scale}.", "arguments.Scale");
        }

        if (!Enum.IsDefined(arguments.Consensus))
        {
            throw new ArgumentException($"The consensus must be None, Sum or Count, was {arguments.Consensus}.", "arguments.Consensus");
        }

        CheckNoOverlap(inputs, arguments.Base.Span, destination.Span);
        if (destination.IsEmpty)
        {
            return;
        }

        var mix = arguments.MixWeights.ToArray();
        var election = arguments.ElectionWeights.IsEmpty ? mix : arguments.ElectionWeights.ToArray();
        var divisor = arguments.DivisorWeights.IsEmpty ? mix : arguments.DivisorWeights.ToArray();
        var lower = new float[k];
        var upper = new float[k];
        for (var i = 0; i < k; i++)
        {
            var band = arguments.Bands.IsEmpty ? MagnitudeBand.All : arguments.Bands[i];
            lower[i] = band.Lower;
            upper[i] = band.Upper;
        }

        var constantDivisor = 1f;
        if (arguments.Normalize && arguments.Consensus == SignConsensus.None)
        {
            var sum = 0f;
            foreach (var d in divisor)
            {
                sum += d;
            }

            constantDivisor = MathF.Abs(sum) < 1e-8f ? 1f : sum;
        }

        using var pins = new Pins(inputs);
        using var pinnedBase = arguments.Base.Pin();
        using var target = destination.Pin();
        var kernel = new ConsensusKernel
        {
            Inputs = pins.Pointers,
            Lower = lower,
            Upper = upper,
            Election = election,
            Mix = mix,
            Divisor = divisor,
            Consensus = arguments.Consensus,
            Normalize = arguments.Normalize,
            Scale = arguments.Scale,
            ConstantDivisor = constantDivisor,
            Base = arguments.Base.IsEmpty ? null : (float*)pinnedBase.Pointer,
            Destination = (float*)target.Pointer,
            Streaming = StreamingStores.Use((float*)target.Pointer, destination.Length, Options.StreamingThreshold),
        };
        _parallel.For(destination.Length, kernel.Run);
    }

    /// <inheritdoc />
    public int AddGaussianNoise(Memory<float> tensor, double rate, float standardDeviation, RandomKey key, NoiseSampling sampling = NoiseSampling.Skip)
    {
        CheckProbability(rate, nameof(rate));
        if (!float.IsFinite(standardDeviation) || standardDeviation < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, $"The standard deviation must be finite and non-negative, was {standardDeviation}.");
        }

        if (!Enum.IsDefined(sampling))
        {
            throw new ArgumentException($"The sampling must be Skip or Dense, was {sampling}.", nameof(sampling));
        }

        if (tensor.IsEmpty)
        {
            return 0;
        }

        using var pin = tensor.Pin();
        var pointer = (float*)pin.Pointer;
        var perturbed = 0;
        _parallel.For(tensor.Length, (start, count) =>
        {
            var n = sampling == NoiseSampling.Skip
                ? BernoulliKernels.NoiseSkip(pointer, start, count, rate, standardDeviation, key)
                : BernoulliKernels.NoiseDense(pointer, start, count, rate, standardDeviation, key);
            Interlocked.Add(ref perturbed, n);
        });
        return perturbed;
    }

    private static void CheckInputs(ReadOnlySpan<ReadOnlyMemory<float>> inputs, int length, string name)
    {
        if (inputs.IsEmpty)
        {
            throw new ArgumentException("At least one input is needed, had 0.", name);
        }

        for (var i = 0; i < inputs.Length; i++)
        {
            if (inputs[i].Length != length)
            {
                throw new ArgumentException($"Input {i} has {inputs[i].Length} elements, the destination {length}.", name);
            }
        }
    }

    private static void CheckWeights(ReadOnlySpan<float> weights, int count, string name, bool required)
    {
        if (weights.IsEmpty && !required)
        {
            return;
        }

        if (weights.Length != count)
        {
            throw new ArgumentException($"One weight per input is needed ({count}), had {weights.Length}.", name);
        }

        foreach (var weight in weights)
        {
            if (!float.IsFinite(weight))
            {
                throw new ArgumentException($"Every weight must be finite, was {weight}.", name);
            }
        }
    }

    private static void CheckBand(MagnitudeBand band, string name)
    {
        if (float.IsNaN(band.Lower) || float.IsNaN(band.Upper) || band.Lower < 0)
        {
            throw new ArgumentException($"A band needs 0 ≤ Lower and no NaN bound, was [{band.Lower}, {band.Upper}).", name);
        }
    }

    private static void CheckProbability(double probability, string name)
    {
        if (!(probability is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(name, probability, $"The probability must be between 0 and 1, was {probability}.");
        }
    }

    private static void CheckNoOverlap(ReadOnlySpan<ReadOnlyMemory<float>> inputs, ReadOnlySpan<float> reference, Span<float> destination)
    {
        foreach (var input in inputs)
        {
            if (input.Span.Overlaps(destination))
            {
                throw new ArgumentException("The destination must not overlap an input.", nameof(destination));
            }
        }

        if (reference.Overlaps(destination))
        {
            throw new ArgumentException("The destination must not overlap the base.", nameof(destination));
        }
    }

    /// <summary>Pins k buffers for the duration of a call.</summary>
    private readonly struct Pins : IDisposable
    {
        private readonly MemoryHandle[] _handles;

        public Pins(ReadOnlySpan<ReadOnlyMemory<float>> buffers)
        {
            _handles = new MemoryHandle[buffers.Length];
            Pointers = new float*[buffers.Length];
            for (var i = 0; i < buffers.Length; i++)
            {
                _handles[i] = buffers[i].Pin();
                Pointers[i] = (float*)_handles[i].Pointer;
            }
        }

        public float*[] Pointers { get; }

        public void Dispose()
        {
            foreach (var handle in _handles)
            {
                handle.Dispose();
            }
        }
    }
}
