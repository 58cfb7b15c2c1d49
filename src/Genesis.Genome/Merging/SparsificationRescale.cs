namespace Genesis.Merging;

/// <summary>How a sparsified task vector is scaled back up so the merge keeps its magnitude.</summary>
public enum SparsificationRescale
{
    /// <summary>No rescale (GENOME's DARE, by accident; mergekit's TIES and breadcrumbs, by default).</summary>
    None = 0,

    /// <summary>Divide the kept elements by the density, <c>x̃/d</c>: the DARE paper's rescale, unbiased in expectation.</summary>
    InverseDensity = 1,

    /// <summary>
    /// Match the L1 norm, <c>x̃·‖x‖₁/‖x̃‖₁</c> (mergekit's default for DARE): exact for the realised mask rather than in
    /// expectation. Skipped when either norm is below 1e-7.
    /// </summary>
    L1 = 2,
}
