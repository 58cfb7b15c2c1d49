namespace Genesis.Diffs;

/// <summary>The lines of the EVOLVE-BLOCKs that come closest to a SEARCH text that was not found.</summary>
/// <param name="LineNumber">The 1-based line of the program where the closest lines start.</param>
/// <param name="Lines">The closest lines, as they are in the program.</param>
/// <param name="Similarity">
/// How alike they are, from 0 to 1: twice the characters the lines share in order (ignoring indentation) over the
/// characters of both.
/// </param>
/// <param name="FirstDifference">Which SEARCH line first differs from the program and how, or <see langword="null"/>.</param>
public sealed record ClosestMatch(int LineNumber, IReadOnlyList<string> Lines, double Similarity, string? FirstDifference);
