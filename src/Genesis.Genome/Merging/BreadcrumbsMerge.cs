using Genesis.Compute;

namespace Genesis.Merging;

/// <summary>
/// Model breadcrumbs (Davari and Belilovsky, 2024): from each task vector drop the <c>⌊γ·n⌋</c> largest magnitudes (outliers)
/// and everything below the next <c>⌊d·n⌋</c>, then mix linearly or with a TIES sign election; <c>θ = base + λ·mix</c>.
/// </summary>
/// <remarks>
/// When <c>⌊d·n⌋ + ⌊γ·n⌋ &gt; n</c> fewer outliers are dropped, and d = 1 keeps everything, as in mergekit. mergekit keeps
/// the sorted slice <c>[n_bot : −n_top]</c>, which is empty when <c>⌊γ·n⌋ = 0</c> (a small tensor or γ = 0 zeroes the whole
/// task vector); here that case keeps the <c>⌊d·n⌋</c> largest. Elements tied at a threshold are all kept at the lower
/// threshold and all dropped at the upper one.
/// </remarks>
public sealed class BreadcrumbsMerge : IMergeOperator
{
    private readonly ITensorCompute _compute;
    private readonly TaskVectorPlan _plan;

    /// <summary>Creates the operator.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="compute">The tensor kernels; <see langword="null"/> for <see cref="CpuTensorCompute.Default"/>.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public BreadcrumbsMerge(BreadcrumbsMergeOptions? options = null, ITensorCompute? compute = null)
    {
        Options = options ?? new BreadcrumbsMergeOptions();
        Options.Validate();
        _compute = compute ?? CpuTensorCompute.Default;
        var genome = Options.Profile == MergeProfile.GenomeCompatible;
        _plan = new TaskVectorPlan(
            nameof(BreadcrumbsMerge),
            Options.Profile,
            Sparsification.MagnitudeBand,
            Options.Density ?? (genome ? 0.7 : 1.0),
            Options.Gamma,
            Options.Rescale ?? SparsificationRescale.None,
            Options.Consensus,
            Options.Normalize ?? (genome && Options.Consensus != SignConsensus.None),
            Options.Lambda);
    }

    /// <summary>The options.</summary>
    public BreadcrumbsMergeOptions Options { get; }

    /// <inheritdoc />
    public void Merge(MergeInput input, Memory<float> destination) => TaskVectorMerge.Merge(_compute, _plan, input, destination);
}
