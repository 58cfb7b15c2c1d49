namespace Genesis.Merging;

/// <summary>Options of <see cref="DareMerge"/>. Immutable: derive variants with <c>with</c>.</summary>
public sealed record DareMergeOptions
{
    /// <summary>Which conventions to follow. Default <see cref="MergeProfile.Mergekit"/>.</summary>
    public MergeProfile Profile { get; init; } = MergeProfile.Mergekit;

    /// <summary>
    /// The probability that an element of a task vector is kept. <see langword="null"/> (the default) means 1 under
    /// <see cref="MergeProfile.Mergekit"/> (mergekit's default) and 0.7 under <see cref="MergeProfile.GenomeCompatible"/>;
    /// between 0 (exclusive) and 1 (inclusive).
    /// </summary>
    public double? Density { get; init; }

    /// <summary>
    /// <see cref="SignConsensus.None"/> (the default) for DARE-linear (mergekit <c>dare_linear</c>); <see cref="SignConsensus.Sum"/>
    /// or <see cref="SignConsensus.Count"/> for DARE-TIES (<c>dare_ties</c>).
    /// </summary>
    public SignConsensus Consensus { get; init; } = SignConsensus.None;

    /// <summary>
    /// How the kept elements are scaled back up. <see langword="null"/> (the default) means <see cref="SparsificationRescale.L1"/>
    /// under <see cref="MergeProfile.Mergekit"/> and <see cref="SparsificationRescale.InverseDensity"/> under
    /// <see cref="MergeProfile.GenomeCompatible"/> (what GENOME's code intends; it discards the result and never rescales).
    /// </summary>
    public SparsificationRescale? Rescale { get; init; }

    /// <summary>
    /// Whether the mix is divided by the (agreeing) weights. <see langword="null"/> (the default) means false under
    /// <see cref="MergeProfile.Mergekit"/> (mergekit's default for both DARE methods) and, under
    /// <see cref="MergeProfile.GenomeCompatible"/>, true with a consensus (the disjoint mean, as for TIES) and irrelevant without.
    /// </summary>
    public bool? Normalize { get; init; }

    /// <summary>λ, the factor on the merged task vector. Default 1; any finite number.</summary>
    public double Lambda { get; init; } = 1.0;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid field and its allowed values.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        MergeInputs.CheckProfile("DareMergeOptions.Profile", Profile);
        MergeInputs.CheckDensity("DareMergeOptions.Density", Density);
        if (!Enum.IsDefined(Consensus))
        {
            throw new ArgumentException($"DareMergeOptions.Consensus must be None, Sum or Count, was {Consensus}.", nameof(Consensus));
        }

        MergeInputs.CheckRescale("DareMergeOptions.Rescale", Rescale);
        MergeInputs.CheckFinite("DareMergeOptions.Lambda", Lambda);
    }
}
