using Genesis.Compute;

namespace Genesis.Merging;

/// <summary>
/// TIES-merging (Yadav et al., 2023): trim each task vector <c>δ_i = x_i − base</c> to its <c>⌊d·n⌋</c> largest magnitudes,
/// elect a sign per element, and average the values that agree with it (the disjoint mean); <c>θ = base + λ·mix</c>.
/// </summary>
/// <remarks>
/// <para>Under <see cref="MergeProfile.Mergekit"/>, with <c>W_i = w_i·δ̃_i</c>: <c>γ = sign(Σ W_i)</c> (or of <c>Σ sign W_i</c>),
/// <c>mix = Σ W_i·[sign W_i = γ] / Σ w_i·[sign W_i = γ]</c>.</para>
/// <para>Under <see cref="MergeProfile.GenomeCompatible"/>, with weights normalised to 1: <c>γ = sign(Σ δ̃_i)</c> on the
/// unweighted trimmed vectors, <c>mix = Σ ŵ_i·δ̃_i·a_i / Σ ŵ_i·a_i</c>. GENOME divides by the agreeing <em>count</em> after
/// normalising the weights, which halves two agreeing parents (<c>(ŵ₁a + ŵ₂b)/2</c>) and shrinks a lone agreeing one to
/// <c>ŵ₁a</c>; dividing by the agreeing weights gives the weighted mean instead.</para>
/// <para>Thresholds come from an O(n) radix select; elements tied at the threshold are all kept (mergekit's argsort keeps
/// an arbitrary subset of them).</para>
/// </remarks>
public sealed class TiesMerge : IMergeOperator
{
    private readonly ITensorCompute _compute;
    private readonly TaskVectorPlan _plan;

    /// <summary>Creates the operator.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="compute">The tensor kernels; <see langword="null"/> for <see cref="CpuTensorCompute.Default"/>.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public TiesMerge(TiesMergeOptions? options = null, ITensorCompute? compute = null)
    {
        Options = options ?? new TiesMergeOptions();
        Options.Validate();
        _compute = compute ?? CpuTensorCompute.Default;
        var genome = Options.Profile == MergeProfile.GenomeCompatible;
        _plan = new TaskVectorPlan(
            nameof(TiesMerge),
            Options.Profile,
            Sparsification.Magnitude,
            Options.Density ?? (genome ? 0.7 : 1.0),
            Gamma: 0,
            Options.Rescale ?? SparsificationRescale.None,
            Options.Consensus,
            Options.Normalize ?? true,
            Options.Lambda);
    }

    /// <summary>The options.</summary>
    public TiesMergeOptions Options { get; }

    /// <inheritdoc />
    public void Merge(MergeInput input, Memory<float> destination) => TaskVectorMerge.Merge(_compute, _plan, input, destination);
}
