namespace Genesis.Compute;

/// <summary>How a <see cref="CpuTensorCompute"/> spreads work over threads. Immutable: derive variants with <c>with</c>.</summary>
/// <remarks>
/// Neither field changes any result: element-wise kernels are independent of chunking, reductions sum fixed blocks of
/// <see cref="RandomKey.BlockSize"/> elements in a fixed order, and random draws are keyed by element index.
/// </remarks>
public sealed record CpuTensorComputeOptions
{
    /// <summary>The largest allowed <see cref="MaxDegreeOfParallelism"/>.</summary>
    public const int MaxThreads = 1024;

    /// <summary>The largest allowed <see cref="ChunkSize"/>: 2²⁶ elements.</summary>
    public const int MaxChunkSize = 1 << 26;

    /// <summary>
    /// How many threads one call may use. Default 1, so concurrent merges (one per island or worker) do not oversubscribe
    /// the machine; between 1 and 1024.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;

    /// <summary>
    /// The number of elements one thread processes at a time when <see cref="MaxDegreeOfParallelism"/> is above 1. Default
    /// 65,536 (256 KB of float32); a positive multiple of <see cref="RandomKey.BlockSize"/> (4096) up to 2²⁶.
    /// </summary>
    public int ChunkSize { get; init; } = 65536;

    /// <summary>
    /// The destination length (in elements) from which the streaming kernels (the two-input weighted sum and the consensus
    /// merge) write with non-temporal stores, which skip the read a cached store makes of each destination line: 2²²
    /// elements (16 MB), beyond what the caches would keep anyway. Internal: tests lower it to cover that path, which
    /// gives the same bits.
    /// </summary>
    internal int StreamingThreshold { get; init; } = 1 << 22;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid field and its allowed range.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (MaxDegreeOfParallelism is < 1 or > MaxThreads)
        {
            throw new ArgumentException(
                $"CpuTensorComputeOptions.MaxDegreeOfParallelism must be between 1 and {MaxThreads}, was {MaxDegreeOfParallelism}.",
                nameof(MaxDegreeOfParallelism));
        }

        if (ChunkSize < RandomKey.BlockSize || ChunkSize > MaxChunkSize || ChunkSize % RandomKey.BlockSize != 0)
        {
            throw new ArgumentException(
                $"CpuTensorComputeOptions.ChunkSize must be a multiple of {RandomKey.BlockSize} between {RandomKey.BlockSize} and {MaxChunkSize}, was {ChunkSize}.",
                nameof(ChunkSize));
        }
    }
}
