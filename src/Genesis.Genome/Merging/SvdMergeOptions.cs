namespace Genesis.Merging;

/// <summary>Options of <see cref="SvdMerge"/>. Immutable: derive variants with <c>with</c>.</summary>
public sealed record SvdMergeOptions
{
    /// <summary>The largest allowed <see cref="Rank"/>.</summary>
    public const int MaxRank = 65536;

    /// <summary>The rank r of the merged factors. Default 8; between 1 and 65,536.</summary>
    public int Rank { get; init; } = 8;

    /// <summary>
    /// The scaling s′ the merged adapter will be loaded with (its <c>lora_alpha / r</c>): the factors satisfy
    /// <c>s′·B′A′ ≈ Σ w_i·s_i·B_i·A_i</c>. Default 1; finite and positive.
    /// </summary>
    public double OutputScaling { get; init; } = 1.0;

    /// <summary>
    /// <see cref="MergeProfile.Mergekit"/> (the default) uses the weights as given, like PEFT's
    /// <c>add_weighted_adapter(combination_type="svd")</c>; <see cref="MergeProfile.GenomeCompatible"/> normalises them to sum to 1.
    /// </summary>
    public MergeProfile Profile { get; init; } = MergeProfile.Mergekit;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid field and its allowed values.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (Rank is < 1 or > MaxRank)
        {
            throw new ArgumentException($"SvdMergeOptions.Rank must be between 1 and {MaxRank}, was {Rank}.", nameof(Rank));
        }

        if (!double.IsFinite(OutputScaling) || OutputScaling <= 0)
        {
            throw new ArgumentException($"SvdMergeOptions.OutputScaling must be finite and positive, was {OutputScaling}.", nameof(OutputScaling));
        }

        MergeInputs.CheckProfile("SvdMergeOptions.Profile", Profile);
    }
}
