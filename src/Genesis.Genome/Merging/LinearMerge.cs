using Genesis.Compute;

namespace Genesis.Merging;

/// <summary>
/// The weighted average <c>out = Σ_i w_i·x_i / Σ_i w_i</c> (mergekit <c>linear</c>; GENOME's <c>linear</c> crossover with
/// weights normalised to 1). <see cref="MergeInput.Base"/> is not used.
/// </summary>
/// <remarks>
/// GENOME draws random weights <c>U(0, 1)</c> when none are given; here absent weights are equal, and random weights are
/// the caller's seeded choice. GENOME's BLX-α crossover reduces to this operator (its clamp never binds for convex weights).
/// </remarks>
public sealed class LinearMerge : IMergeOperator
{
    private const string Name = nameof(LinearMerge);
    private readonly ITensorCompute _compute;

    /// <summary>Creates the operator.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="compute">The tensor kernels; <see langword="null"/> for <see cref="CpuTensorCompute.Default"/>.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public LinearMerge(LinearMergeOptions? options = null, ITensorCompute? compute = null)
    {
        Options = options ?? new LinearMergeOptions();
        Options.Validate();
        _compute = compute ?? CpuTensorCompute.Default;
    }

    /// <summary>The options.</summary>
    public LinearMergeOptions Options { get; }

    /// <inheritdoc />
    public void Merge(MergeInput input, Memory<float> destination)
    {
        var k = MergeInputs.Validate(Name, input, destination);
        var weights = MergeInputs.Weights(Name, input, Options.Profile);
        var divisor = 1.0;
        if (Options.Profile == MergeProfile.Mergekit && (Options.Normalize ?? true))
        {
            var sum = weights.Sum();
            divisor = Math.Abs(sum) < 1e-8 ? 1.0 : sum;
        }

        var coefficients = new float[k];
        for (var i = 0; i < k; i++)
        {
            coefficients[i] = (float)(weights[i] / divisor);
        }

        _compute.WeightedSum(input.Parents.ToArray(), coefficients, destination);
    }
}
