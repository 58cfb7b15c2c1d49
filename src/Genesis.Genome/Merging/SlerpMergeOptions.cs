namespace Genesis.Merging;

/// <summary>Options of <see cref="SlerpMerge"/>. Immutable: derive variants with <c>with</c>.</summary>
public sealed record SlerpMergeOptions
{
    /// <summary>
    /// Which conventions to follow. Default <see cref="MergeProfile.Mergekit"/>: the interpolation factor is always
    /// <see cref="T"/> (mergekit's <c>slerp</c> has no weights). <see cref="MergeProfile.GenomeCompatible"/>: when
    /// <see cref="MergeInput.Weights"/> are given (for example the parents' fitness), <c>t = w₁ / (w₀ + w₁)</c>, the second
    /// parent's normalised weight; otherwise <see cref="T"/>.
    /// </summary>
    public MergeProfile Profile { get; init; } = MergeProfile.Mergekit;

    /// <summary>The interpolation factor: 0 gives the first parent, 1 the second. Default 0.5; between 0 and 1.</summary>
    public double T { get; init; } = 0.5;

    /// <summary>
    /// Above this |cos θ| between the parents, linear interpolation is used instead (mergekit's 0.9995: the spherical formula
    /// divides by sin θ). Default 0.9995; between 0 (exclusive) and 1 (inclusive).
    /// </summary>
    public double ParallelThreshold { get; init; } = 0.9995;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid field and its allowed values.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        MergeInputs.CheckProfile("SlerpMergeOptions.Profile", Profile);
        if (!(T is >= 0 and <= 1))
        {
            throw new ArgumentException($"SlerpMergeOptions.T must be between 0 and 1, was {T}.", nameof(T));
        }

        if (!(ParallelThreshold is > 0 and <= 1))
        {
            throw new ArgumentException($"SlerpMergeOptions.ParallelThreshold must be between 0 (exclusive) and 1 (inclusive), was {ParallelThreshold}.", nameof(ParallelThreshold));
        }
    }
}
