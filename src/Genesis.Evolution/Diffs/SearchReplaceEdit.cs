namespace Genesis.Diffs;

/// <summary>
/// One SEARCH/REPLACE edit proposed by a model: the lines to find in the program and the lines to put in their place.
/// </summary>
/// <param name="Search">The lines to find, joined by <c>\n</c>. Empty means "insert at the end of the last EVOLVE-BLOCK".</param>
/// <param name="Replace">The replacement lines, joined by <c>\n</c>. Empty deletes the matched lines.</param>
public sealed record SearchReplaceEdit(string Search, string Replace);
