namespace Genesis;

/// <summary>
/// The whole-tensor primitives the merge operators and the mutation need, over flat float32 buffers. Genesis.Genome ships a
/// vectorised, optionally multi-threaded CPU implementation; a GPU implementation plugs in here without touching the
/// operators or their callers.
/// </summary>
/// <remarks>
/// <para>
/// Every method works on whole tensors and k inputs at once, never per element through a callback, so a device
/// implementation launches one kernel (or a few) per call. Buffers are <see cref="ReadOnlyMemory{T}"/> and
/// <see cref="Memory{T}"/>: a CPU implementation can hand slices to worker threads, and a device implementation can
/// recognise buffers that wrap its own device-resident storage (a <see cref="System.Buffers.MemoryManager{T}"/>, found with
/// <c>MemoryMarshal.TryGetMemoryManager</c>) and skip the copy to the device.
/// </para>
/// <para>
/// Results are reproducible by construction: element-wise results do not depend on thread count or chunking; reductions
/// sum fixed blocks of <see cref="RandomKey.BlockSize"/> elements in a fixed order; random draws are keyed by
/// <see cref="RandomKey"/> and element index (the scheme is documented there). Destinations must not overlap an input
/// unless a method says so. Arguments that are out of range throw <see cref="ArgumentException"/> naming the parameter.
/// </para>
/// </remarks>
public interface ITensorCompute
{
    /// <summary><c>destination = Σ_i weights[i]·inputs[i]</c>, summed in input order.</summary>
    /// <param name="inputs">k ≥ 1 tensors, each of the destination's length.</param>
    /// <param name="weights">k weights.</param>
    /// <param name="destination">The result; must not overlap an input.</param>
    void WeightedSum(ReadOnlySpan<ReadOnlyMemory<float>> inputs, ReadOnlySpan<float> weights, Memory<float> destination);

    /// <summary><c>Σ x[j]·y[j]</c>.</summary>
    /// <param name="x">A tensor.</param>
    /// <param name="y">A tensor of the same length.</param>
    double Dot(ReadOnlyMemory<float> x, ReadOnlyMemory<float> y);

    /// <summary><c>Σ x[j]²</c>, the squared L2 norm.</summary>
    /// <param name="x">A tensor.</param>
    double SumOfSquares(ReadOnlyMemory<float> x);

    /// <summary><c>Σ |x[j]|</c> over the elements <paramref name="band"/> keeps: the L1 norm of a trimmed tensor.</summary>
    /// <param name="x">A tensor.</param>
    /// <param name="band">Which magnitudes count; <see cref="MagnitudeBand.All"/> for the plain L1 norm.</param>
    double SumOfMagnitudes(ReadOnlyMemory<float> x, MagnitudeBand band);

    /// <summary>
    /// For each rank r in <paramref name="ranks"/>, the r-th largest magnitude <c>|x[j]|</c> (r = 1 is the largest), found by
    /// an O(n) selection (never a sort). Keeping <c>|x| ≥ threshold</c> keeps at least r elements, more only when several
    /// elements tie at the threshold.
    /// </summary>
    /// <param name="x">A non-empty tensor.</param>
    /// <param name="ranks">Ranks between 1 and <c>x.Length</c>; several are found in the same passes.</param>
    /// <param name="thresholds">Receives one magnitude per rank.</param>
    void MagnitudeThresholds(ReadOnlyMemory<float> x, ReadOnlySpan<int> ranks, Span<float> thresholds);

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/> and sets each element to zero with probability
    /// <paramref name="dropProbability"/>, independently, by geometric skips (domain 3 of <see cref="RandomKey"/>): for
    /// p ≤ ½ the skip sampler with probability p picks the dropped elements, for p &gt; ½ the sampler with probability 1 − p
    /// picks the kept ones, so at most half of the elements are drawn. The kept elements are not rescaled; the result
    /// carries the L1 norms a caller needs for any rescale.
    /// </summary>
    /// <param name="source">The tensor.</param>
    /// <param name="dropProbability">Between 0 and 1.</param>
    /// <param name="key">The random stream.</param>
    /// <param name="destination">The result, of the source's length; may be the source itself, but must not partially overlap it.</param>
    BernoulliDropResult DropBernoulli(ReadOnlyMemory<float> source, double dropProbability, RandomKey key, Memory<float> destination);

    /// <summary>The fused trim, sign election and disjoint mean of TIES and its relatives; see <see cref="ConsensusMergeArguments"/>.</summary>
    /// <param name="arguments">The inputs, bands, weights, election and normalisation.</param>
    /// <param name="destination">The result; must not overlap an input or the base.</param>
    void ConsensusMerge(scoped in ConsensusMergeArguments arguments, Memory<float> destination);

    /// <summary>
    /// Mutation: <c>x[j] += σ·z_j</c> at the elements of a Bernoulli(<paramref name="rate"/>) mask, in place, with
    /// <c>z_j</c> the standard normal of element j (domain 2 of <see cref="RandomKey"/>).
    /// </summary>
    /// <param name="tensor">The tensor to perturb in place.</param>
    /// <param name="rate">The probability that an element is perturbed (the gene mutation rate), between 0 and 1.</param>
    /// <param name="standardDeviation">σ, finite and non-negative.</param>
    /// <param name="key">The random stream.</param>
    /// <param name="sampling">Skip sampling (the default) or a draw for every element.</param>
    /// <returns>How many elements were perturbed.</returns>
    int AddGaussianNoise(Memory<float> tensor, double rate, float standardDeviation, RandomKey key, NoiseSampling sampling = NoiseSampling.Skip);
}
