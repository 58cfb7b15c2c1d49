namespace Genesis.Merging;

/// <summary>
/// Which conventions a merge operator follows. Both are pinned by golden tests; the differences per operator are listed in
/// <c>docs/merging.md</c>.
/// </summary>
public enum MergeProfile
{
    /// <summary>
    /// The textbook formulas as mergekit documents them: weights used as given, signs elected on the weighted task vectors,
    /// per-method defaults (TIES normalises; DARE rescales by L1-norm matching and does not normalise; density 1).
    /// </summary>
    Mergekit = 0,

    /// <summary>
    /// GENOME's crossover conventions: A and B merged element-wise and separately, weights normalised to sum to 1 (so they
    /// must be non-negative), signs elected on the unweighted sparsified tensors, density 0.7; without GENOME's defects:
    /// DARE rescales by 1/density, and TIES divides by the agreeing weights rather than the agreeing count.
    /// </summary>
    GenomeCompatible = 1,
}
