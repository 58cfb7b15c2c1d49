using Genesis.Compute;

namespace Genesis.Merging;

/// <summary>
/// Spherical linear interpolation of two flattened tensors (mergekit <c>slerp</c>): with <c>cos θ = v̂₀·v̂₁</c>,
/// <c>out = sin((1−t)θ)/sin θ·v₀ + sin(tθ)/sin θ·v₁</c>, falling back to <c>(1−t)·v₀ + t·v₁</c> when
/// <c>|cos θ| &gt; ParallelThreshold</c> or either tensor is zero. <see cref="MergeInput.Base"/> is not used.
/// </summary>
/// <remarks>The norms and the dot product are summed in double over fixed blocks, so the result is deterministic.</remarks>
public sealed class SlerpMerge : IMergeOperator
{
    private const string Name = nameof(SlerpMerge);
    private const double ZeroNorm = 1e-8;
    private readonly ITensorCompute _compute;

    /// <summary>Creates the operator.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="compute">The tensor kernels; <see langword="null"/> for <see cref="CpuTensorCompute.Default"/>.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public SlerpMerge(SlerpMergeOptions? options = null, ITensorCompute? compute = null)
    {
        Options = options ?? new SlerpMergeOptions();
        Options.Validate();
        _compute = compute ?? CpuTensorCompute.Default;
    }

    /// <summary>The options.</summary>
    public SlerpMergeOptions Options { get; }

    /// <inheritdoc />
    public void Merge(MergeInput input, Memory<float> destination)
    {
        MergeInputs.Validate(Name, input, destination, exactParents: 2);
        var t = Options.T;
        if (Options.Profile == MergeProfile.GenomeCompatible && input.Weights is not null)
        {
            t = MergeInputs.Weights(Name, input, MergeProfile.GenomeCompatible)[1];
        }

        var v0 = input.Parents[0];
        var v1 = input.Parents[1];
        var (a, b) = Coefficients(v0, v1, t);
        _compute.WeightedSum([v0, v1], [(float)a, (float)b], destination);
    }

    private (double A, double B) Coefficients(ReadOnlyMemory<float> v0, ReadOnlyMemory<float> v1, double t)
    {
        var norm0 = Math.Sqrt(_compute.SumOfSquares(v0));
        var norm1 = Math.Sqrt(_compute.SumOfSquares(v1));
        if (norm0 < ZeroNorm || norm1 < ZeroNorm)
        {
            return (1 - t, t);
        }

        var cosine = Math.Clamp(_compute.Dot(v0, v1) / (norm0 * norm1), -1.0, 1.0);
        if (Math.Abs(cosine) > Options.ParallelThreshold)
        {
            return (1 - t, t);
        }

        var theta = Math.Acos(cosine);
        var sine = Math.Sin(theta);
        return (Math.Sin((1 - t) * theta) / sine, Math.Sin(t * theta) / sine);
    }
}
