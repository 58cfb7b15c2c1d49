namespace Genesis;

/// <summary>
/// The inputs of <see cref="ITensorCompute.ConsensusMerge"/>: the trim, elect and disjoint-mean steps of TIES (and of DARE-TIES,
/// breadcrumbs and plain weighted sums) over k flat tensors, fused into one pass.
/// </summary>
/// <remarks>
/// For each element <c>j</c>, with <c>t_i = x_i[j]</c> when <see cref="Bands"/>[i] keeps it and 0 otherwise:
/// <code>
/// E_i  = e_i·t_i                                    (e = ElectionWeights)
/// γ    = +1 if Σ_i E_i ≥ 0 else −1                   (Sum;  Count uses Σ_i sign(E_i))
/// a_i  = [sign(E_i) = γ]                             (None: a_i = 1)
/// mix  = Σ_i m_i·t_i·a_i                             (m = MixWeights)
/// mix ·= 1 / Σ_i d_i·a_i, a zero sum counting as 1   (Normalize with a consensus; d = DivisorWeights)
/// mix ·= 1 / Σ_i d_i, |Σ| &lt; 1e-8 counting as 1      (Normalize without one)
/// out  = Base[j] + Scale·mix                         (no Base: Scale·mix)
/// </code>
/// Sums run left to right over the inputs. A trimmed element has sign 0, so it neither votes in a count election nor is
/// counted in the divisor. Normalising multiplies by the reciprocal (within an ulp of dividing) so that a device can
/// precompute the few possible factors instead of dividing per element.
/// </remarks>
public readonly ref struct ConsensusMergeArguments
{
    /// <summary>Creates arguments with <see cref="Scale"/> 1 and every other optional field empty.</summary>
    public ConsensusMergeArguments()
    {
    }

    /// <summary>The k input tensors (task vectors when a <see cref="Base"/> is used), all of the destination's length; k ≥ 1.</summary>
    public required ReadOnlySpan<ReadOnlyMemory<float>> Inputs { get; init; }

    /// <summary>One band per input (which magnitudes are kept); empty keeps every element of every input.</summary>
    public ReadOnlySpan<MagnitudeBand> Bands { get; init; }

    /// <summary>The weight <c>m_i</c> each kept, agreeing value is multiplied by; one per input.</summary>
    public required ReadOnlySpan<float> MixWeights { get; init; }

    /// <summary>The weight <c>e_i</c> applied before the election; empty uses <see cref="MixWeights"/> (mergekit elects on weighted values).</summary>
    public ReadOnlySpan<float> ElectionWeights { get; init; }

    /// <summary>The weight <c>d_i</c> summed into the divisor when normalising; empty uses <see cref="MixWeights"/>.</summary>
    public ReadOnlySpan<float> DivisorWeights { get; init; }

    /// <summary>How the sign is elected; <see cref="SignConsensus.None"/> (the default) for a plain masked weighted sum.</summary>
    public SignConsensus Consensus { get; init; }

    /// <summary>Whether the mix is divided by the (agreeing) divisor weights: the disjoint mean. Default <see langword="false"/>.</summary>
    public bool Normalize { get; init; }

    /// <summary>The factor λ applied to the mix before the base is added. Default 1.</summary>
    public float Scale { get; init; } = 1f;

    /// <summary>Added to the scaled mix, element by element; empty for none.</summary>
    public ReadOnlyMemory<float> Base { get; init; }
}
