using Genesis.Compute;

namespace Genesis.Merging;

/// <summary>
/// DARE (Yu et al., 2024, "Language models are Super Mario"): drop each element of each task vector with probability
/// <c>1 − d</c>, rescale what is kept, then mix linearly (<see cref="SignConsensus.None"/>) or TIES-style with a sign election;
/// <c>θ = base + λ·mix</c>.
/// </summary>
/// <remarks>
/// <para>The masks are drawn by skip sampling from the counter-based stream <c>MergeInput.Random.Derive(i)</c> for parent i,
/// so a merge is reproducible from its seed and identical for every thread count. For d ≥ ½ the dropped elements are
/// sampled, for d &lt; ½ the kept ones, so at most half of the elements are drawn.</para>
/// <para>GENOME's DARE never rescales (it discards <c>pruned / density</c>), and PEFT had the same bug until 2026; here
/// the rescale is on by default in both profiles. The rescale folds into the weights of the fused consensus pass.</para>
/// </remarks>
public sealed class DareMerge : IMergeOperator
{
    private readonly ITensorCompute _compute;
    private readonly TaskVectorPlan _plan;

    /// <summary>Creates the operator.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="compute">The tensor kernels; <see langword="null"/> for <see cref="CpuTensorCompute.Default"/>.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public DareMerge(DareMergeOptions? options = null, ITensorCompute? compute = null)
    {
        Options = options ?? new DareMergeOptions();
        Options.Validate();
        _compute = compute ?? CpuTensorCompute.Default;
        var genome = Options.Profile == MergeProfile.GenomeCompatible;
        _plan = new TaskVectorPlan(
            nameof(DareMerge),
            Options.Profile,
            Sparsification.Bernoulli,
            Options.Density ?? (genome ? 0.7 : 1.0),
            Gamma: 0,
            Options.Rescale ?? (genome ? SparsificationRescale.InverseDensity : SparsificationRescale.L1),
            Options.Consensus,
            Options.Normalize ?? (genome && Options.Consensus != SignConsensus.None),
            Options.Lambda);
    }

    /// <summary>The options.</summary>
    public DareMergeOptions Options { get; }

    /// <inheritdoc />
    public void Merge(MergeInput input, Memory<float> destination) => TaskVectorMerge.Merge(_compute, _plan, input, destination);
}
