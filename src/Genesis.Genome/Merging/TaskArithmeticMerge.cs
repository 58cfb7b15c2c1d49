using Genesis.Compute;

namespace Genesis.Merging;

/// <summary>
/// Task arithmetic: <c>θ = base + λ·Σ_i w_i·(x_i − base)</c> (divided by <c>Σ w_i</c> when normalising), mergekit's
/// <c>task_arithmetic</c>. With no <see cref="MergeInput.Base"/> the reference is zero, so the result is <c>λ·Σ w_i·x_i</c>.
/// </summary>
/// <remarks>
/// Computed in one pass as the weighted sum <c>Σ_i c_i·x_i + (1 − Σ_i c_i)·base</c> with <c>c_i = λ·w_i / D</c>, which is
/// the same formula without materialising the task vectors.
/// </remarks>
public sealed class TaskArithmeticMerge : IMergeOperator
{
    private const string Name = nameof(TaskArithmeticMerge);
    private readonly ITensorCompute _compute;

    /// <summary>Creates the operator.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="compute">The tensor kernels; <see langword="null"/> for <see cref="CpuTensorCompute.Default"/>.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public TaskArithmeticMerge(TaskArithmeticMergeOptions? options = null, ITensorCompute? compute = null)
    {
        Options = options ?? new TaskArithmeticMergeOptions();
        Options.Validate();
        _compute = compute ?? CpuTensorCompute.Default;
    }

    /// <summary>The options.</summary>
    public TaskArithmeticMergeOptions Options { get; }

    /// <inheritdoc />
    public void Merge(MergeInput input, Memory<float> destination)
    {
        var k = MergeInputs.Validate(Name, input, destination);
        var weights = MergeInputs.Weights(Name, input, Options.Profile);
        var divisor = 1.0;
        if (Options.Profile == MergeProfile.Mergekit && (Options.Normalize ?? false))
        {
            var sum = weights.Sum();
            divisor = Math.Abs(sum) < 1e-8 ? 1.0 : sum;
        }

        var hasBase = !input.Base.IsEmpty;
        var inputs = new ReadOnlyMemory<float>[hasBase ? k + 1 : k];
        var coefficients = new float[inputs.Length];
        var total = 0.0;
        for (var i = 0; i < k; i++)
        {
            var c = Options.Lambda * weights[i] / divisor;
            inputs[i] = input.Parents[i];
            coefficients[i] = (float)c;
            total += c;
        }

        if (hasBase)
        {
            inputs[k] = input.Base;
            coefficients[k] = (float)(1.0 - total);
        }

        _compute.WeightedSum(inputs, coefficients, destination);
    }
}
