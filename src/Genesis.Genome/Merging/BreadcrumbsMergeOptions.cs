namespace Genesis.Merging;

/// <summary>Options of <see cref="BreadcrumbsMerge"/>. Immutable: derive variants with <c>with</c>.</summary>
public sealed record BreadcrumbsMergeOptions
{
    /// <summary>Which conventions to follow. Default <see cref="MergeProfile.Mergekit"/>.</summary>
    public MergeProfile Profile { get; init; } = MergeProfile.Mergekit;

    /// <summary>
    /// The fraction of each task vector kept (<c>⌊d·n⌋</c> elements below the dropped outliers). <see langword="null"/> (the
    /// default) means 1 under <see cref="MergeProfile.Mergekit"/> (mergekit's default, which keeps everything) and 0.7 under
    /// <see cref="MergeProfile.GenomeCompatible"/>; between 0 (exclusive) and 1 (inclusive).
    /// </summary>
    public double? Density { get; init; }

    /// <summary>The fraction of largest magnitudes dropped as outliers. Default 0.01 (mergekit's); between 0 and 1 (exclusive).</summary>
    public double Gamma { get; init; } = 0.01;

    /// <summary><see cref="SignConsensus.None"/> (the default) for <c>breadcrumbs</c>; Sum or Count for <c>breadcrumbs_ties</c>.</summary>
    public SignConsensus Consensus { get; init; } = SignConsensus.None;

    /// <summary>
    /// Whether the mix is divided by the (agreeing) weights. <see langword="null"/> (the default) means false under
    /// <see cref="MergeProfile.Mergekit"/> and, under <see cref="MergeProfile.GenomeCompatible"/>, true with a consensus.
    /// </summary>
    public bool? Normalize { get; init; }

    /// <summary>How the kept elements are scaled back up. <see langword="null"/> (the default) means <see cref="SparsificationRescale.None"/> in both profiles.</summary>
    public SparsificationRescale? Rescale { get; init; }

    /// <summary>λ, the factor on the merged task vector. Default 1; any finite number.</summary>
    public double Lambda { get; init; } = 1.0;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid field and its allowed values.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        MergeInputs.CheckProfile("BreadcrumbsMergeOptions.Profile", Profile);
        MergeInputs.CheckDensity("BreadcrumbsMergeOptions.Density", Density);
        if (!(Gamma is >= 0 and < 1))
        {
            throw new ArgumentException($"BreadcrumbsMergeOptions.Gamma must be between 0 (inclusive) and 1 (exclusive), was {Gamma}.", nameof(Gamma));
        }

        if (!Enum.IsDefined(Consensus))
        {
            throw new ArgumentException($"BreadcrumbsMergeOptions.Consensus must be None, Sum or Count, was {Consensus}.", nameof(Consensus));
        }

        MergeInputs.CheckRescale("BreadcrumbsMergeOptions.Rescale", Rescale);
        MergeInputs.CheckFinite("BreadcrumbsMergeOptions.Lambda", Lambda);
    }
}
