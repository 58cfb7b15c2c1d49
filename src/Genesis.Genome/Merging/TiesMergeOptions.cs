namespace Genesis.Merging;

/// <summary>Options of <see cref="TiesMerge"/>. Immutable: derive variants with <c>with</c>.</summary>
public sealed record TiesMergeOptions
{
    /// <summary>Which conventions to follow. Default <see cref="MergeProfile.Mergekit"/>.</summary>
    public MergeProfile Profile { get; init; } = MergeProfile.Mergekit;

    /// <summary>
    /// The fraction of each task vector kept by magnitude (<c>⌊d·n⌋</c> largest). <see langword="null"/> (the default) means
    /// 1 under <see cref="MergeProfile.Mergekit"/> (mergekit's default: no trim) and 0.7 under
    /// <see cref="MergeProfile.GenomeCompatible"/> (GENOME's hard-coded density); between 0 (exclusive) and 1 (inclusive).
    /// </summary>
    public double? Density { get; init; }

    /// <summary>How the sign is elected. Default <see cref="SignConsensus.Sum"/> (TIES); <see cref="SignConsensus.Count"/> for a majority vote.</summary>
    public SignConsensus Consensus { get; init; } = SignConsensus.Sum;

    /// <summary>
    /// Whether the agreeing values are divided by the sum of the agreeing parents' weights (the disjoint mean).
    /// <see langword="null"/> (the default) means true in both profiles.
    /// </summary>
    public bool? Normalize { get; init; }

    /// <summary>How the trimmed vectors are scaled back up. <see langword="null"/> (the default) means <see cref="SparsificationRescale.None"/> in both profiles.</summary>
    public SparsificationRescale? Rescale { get; init; }

    /// <summary>λ, the factor on the merged task vector. Default 1; any finite number.</summary>
    public double Lambda { get; init; } = 1.0;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid field and its allowed values.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        MergeInputs.CheckProfile("TiesMergeOptions.Profile", Profile);
        MergeInputs.CheckDensity("TiesMergeOptions.Density", Density);
        if (Consensus is not (SignConsensus.Sum or SignConsensus.Count))
        {
            throw new ArgumentException($"TiesMergeOptions.Consensus must be Sum or Count, was {Consensus}.", nameof(Consensus));
        }

        MergeInputs.CheckRescale("TiesMergeOptions.Rescale", Rescale);
        MergeInputs.CheckFinite("TiesMergeOptions.Lambda", Lambda);
    }
}
