namespace Genesis.Diffs;

/// <summary>A Markdown fenced code block found in a model's answer.</summary>
/// <param name="Tag">The info string's first word, lower-cased (for example <c>python</c>), or empty.</param>
/// <param name="Lines">The lines between the fences.</param>
/// <param name="Closed">Whether the closing fence was found; an open block runs to the end of the answer.</param>
internal sealed record FencedBlock(string Tag, IReadOnlyList<string> Lines, bool Closed)
{
    /// <summary>Whether the block has any non-blank line.</summary>
    public bool HasContent => Lines.Any(line => !TextLines.IsBlank(line));
}
