namespace Genesis.Merging;

/// <summary>Options of <see cref="LinearMerge"/>. Immutable: derive variants with <c>with</c>.</summary>
public sealed record LinearMergeOptions
{
    /// <summary>Which conventions to follow. Default <see cref="MergeProfile.Mergekit"/>.</summary>
    public MergeProfile Profile { get; init; } = MergeProfile.Mergekit;

    /// <summary>
    /// Whether the weighted sum is divided by the sum of the weights (skipped when that sum is below 1e-8 in magnitude).
    /// <see langword="null"/> (the default) means true, mergekit's default; under <see cref="MergeProfile.GenomeCompatible"/>
    /// the weights already sum to 1.
    /// </summary>
    public bool? Normalize { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid field and its allowed values.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate() => MergeInputs.CheckProfile("LinearMergeOptions.Profile", Profile);
}
