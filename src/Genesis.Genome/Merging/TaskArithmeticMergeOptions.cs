namespace Genesis.Merging;

/// <summary>Options of <see cref="TaskArithmeticMerge"/>. Immutable: derive variants with <c>with</c>.</summary>
public sealed record TaskArithmeticMergeOptions
{
    /// <summary>Which conventions to follow. Default <see cref="MergeProfile.Mergekit"/>.</summary>
    public MergeProfile Profile { get; init; } = MergeProfile.Mergekit;

    /// <summary>λ, the factor on the mixed task vector. Default 1; any finite number (negative values subtract the tasks).</summary>
    public double Lambda { get; init; } = 1.0;

    /// <summary>
    /// Whether the mix is divided by the sum of the weights (skipped when it is below 1e-8 in magnitude).
    /// <see langword="null"/> (the default) means false, mergekit's default; under <see cref="MergeProfile.GenomeCompatible"/>
    /// the weights already sum to 1.
    /// </summary>
    public bool? Normalize { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid field and its allowed values.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        MergeInputs.CheckProfile("TaskArithmeticMergeOptions.Profile", Profile);
        MergeInputs.CheckFinite("TaskArithmeticMergeOptions.Lambda", Lambda);
    }
}
