namespace Genesis.Blocks;

/// <summary>The content lines of one EVOLVE-BLOCK: lines <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive), 0-based, markers excluded.</summary>
/// <param name="Start">The first content line (the line after the START marker).</param>
/// <param name="End">The END marker's line, one past the last content line.</param>
public readonly record struct BlockRange(int Start, int End)
{
    /// <summary>The number of content lines.</summary>
    public int Length => End - Start;

    /// <summary>Whether <paramref name="line"/> is a content line of this block.</summary>
    public bool Contains(int line) => line >= Start && line < End;
}
