namespace Genesis.Archive;

/// <summary>How much of the feature space a <see cref="MapElitesArchive"/> covers, and how well.</summary>
/// <param name="FilledCells">The number of programs held (one per filled cell).</param>
/// <param name="TotalCells">The number of cells (the capacity when the archive has no dimensions).</param>
/// <param name="Occupancy"><paramref name="FilledCells"/> / <paramref name="TotalCells"/>, in [0, 1].</param>
/// <param name="FilledBinsPerDimension">For each dimension, how many of its bins hold at least one program; empty without dimensions.</param>
/// <param name="BestScore">The best score held; negative infinity when the archive is empty.</param>
/// <param name="QdScore">The quality-diversity score: the sum of the scores held (0 when empty).</param>
public sealed record MapElitesCoverage(
    long FilledCells,
    long TotalCells,
    double Occupancy,
    IReadOnlyList<int> FilledBinsPerDimension,
    double BestScore,
    double QdScore);
