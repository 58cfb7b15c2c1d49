namespace Genesis.Diffs;

/// <summary>Why one edit of a patch, or the patch as a whole, was rejected.</summary>
/// <param name="Index">The 0-based index of the failing edit, or <see langword="null"/> when the failure concerns the whole patch.</param>
/// <param name="Kind">The kind of failure.</param>
/// <param name="Reason">A sentence explaining the failure, written to be sent back to the model.</param>
/// <param name="Edit">The failing edit, or <see langword="null"/> for a failure of the whole patch.</param>
/// <param name="ClosestMatch">For an edit whose SEARCH text was not found inside the blocks, the most similar lines that are.</param>
public sealed record PatchFailure(int? Index, PatchFailureKind Kind, string Reason, SearchReplaceEdit? Edit, ClosestMatch? ClosestMatch);
