using System.Text;
using System.Text.RegularExpressions;

namespace Genesis.Blocks;

/// <summary>
/// The lines of a program and where its <c>EVOLVE-BLOCK-START</c> / <c>EVOLVE-BLOCK-END</c> regions are. Only lines inside
/// a block may change. A program without markers is one block spanning every line.
/// </summary>
/// <remarks>
/// Markers are recognised leniently, as ShinkaEvolve does: behind <c>#</c>, <c>//</c>, <c>/*</c>, <c>--</c>, <c>;</c>,
/// <c>%</c>, <c>!</c>, <c>&lt;!--</c> or <c>(*</c>, with any surrounding whitespace, on a line of their own. Blocks may
/// repeat; a START inside an open block nests and the outermost region counts.
/// </remarks>
public sealed partial class EvolveBlockLayout
{
    private EvolveBlockLayout(IReadOnlyList<string> lines, IReadOnlyList<BlockRange> blocks, bool hasMarkers, string? error)
    {
        Lines = lines;
        Blocks = blocks;
        HasMarkers = hasMarkers;
        Error = error;
    }

    /// <summary>The program's lines, without line terminators.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The mutable regions, in order. Empty only when <see cref="Error"/> is set.</summary>
    public IReadOnlyList<BlockRange> Blocks { get; }

    /// <summary>Whether the program has EVOLVE-BLOCK markers (otherwise the whole program is mutable).</summary>
    public bool HasMarkers { get; }

    /// <summary>Why the markers are malformed (an END without START, a START never closed), or <see langword="null"/>.</summary>
    public string? Error { get; }

    /// <summary>Splits <paramref name="code"/> into lines (any of <c>\r\n</c>, <c>\n</c>, <c>\r</c>) and finds its blocks.</summary>
    public static EvolveBlockLayout Parse(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return ParseLines(SplitLines(code));
    }

    /// <summary>Finds the blocks of a program already split into lines (without terminators); the list is copied.</summary>
    public static EvolveBlockLayout ParseLines(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        lines = [.. lines];
        var blocks = new List<BlockRange>();
        var depth = 0;
        var openedAt = -1;
        var sawMarker = false;
        string? error = null;
        for (var i = 0; i < lines.Count; i++)
        {
            if (IsStartMarker(lines[i]))
            {
                sawMarker = true;
                if (depth++ == 0)
                {
                    openedAt = i;
                }
            }
            else if (IsEndMarker(lines[i]))
            {
                sawMarker = true;
                if (depth == 0)
                {
                    error ??= $"EVOLVE-BLOCK-END on line {i + 1} has no matching EVOLVE-BLOCK-START.";
                    continue;
                }

                if (--depth == 0)
                {
                    blocks.Add(new BlockRange(openedAt + 1, i));
                }
            }
        }

        if (depth > 0)
        {
            error ??= $"EVOLVE-BLOCK-START on line {openedAt + 1} is never closed by EVOLVE-BLOCK-END.";
        }

        if (error is not null)
        {
            return new EvolveBlockLayout(lines, [], sawMarker, error);
        }

        if (!sawMarker)
        {
            blocks.Add(new BlockRange(0, lines.Count));
        }

        return new EvolveBlockLayout(lines, blocks, sawMarker, null);
    }

    /// <summary>Whether <paramref name="line"/> (0-based) lies inside a block.</summary>
    public bool IsMutableLine(int line)
    {
        foreach (var block in Blocks)
        {
            if (block.Contains(line))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The block that contains <paramref name="line"/>, or <see langword="null"/>.</summary>
    public BlockRange? BlockOf(int line)
    {
        foreach (var block in Blocks)
        {
            if (block.Contains(line))
            {
                return block;
            }
        }

        return null;
    }

    /// <summary>The text of block <paramref name="index"/>, lines joined by <c>\n</c>.</summary>
    public string BlockText(int index)
    {
        var block = Blocks[index];
        return string.Join('\n', Lines.Skip(block.Start).Take(block.Length));
    }

    /// <summary>The content of every block, joined by <c>\n</c>: what evolves, and what novelty and code length are measured on.</summary>
    public string MutableText()
    {
        var builder = new StringBuilder();
        for (var b = 0; b < Blocks.Count; b++)
        {
            if (b > 0)
            {
                builder.Append('\n');
            }

            builder.Append(BlockText(b));
        }

        return builder.ToString();
    }

    /// <summary>
    /// Replaces the content of each block with <paramref name="blockContents"/> (one entry per block), keeping every other
    /// line, and returns the program joined by <c>\n</c>. Each content is split as <see cref="BlockText"/> joins, so
    /// <c>WithBlockContents(BlockText(0), …)</c> changes nothing: a trailing terminator is a last, empty line, and the
    /// empty string is one empty line (or no line, for a block that had none).
    /// </summary>
    /// <exception cref="ArgumentException">The number of contents differs from the number of blocks.</exception>
    public string WithBlockContents(IReadOnlyList<string> blockContents)
    {
        ArgumentNullException.ThrowIfNull(blockContents);
        if (blockContents.Count != Blocks.Count)
        {
            throw new ArgumentException($"Expected {Blocks.Count} block contents, got {blockContents.Count}.", nameof(blockContents));
        }

        var output = new List<string>(Lines.Count);
        var next = 0;
        for (var b = 0; b < Blocks.Count; b++)
        {
            var block = Blocks[b];
            for (; next < block.Start; next++)
            {
                output.Add(Lines[next]);
            }

            if (blockContents[b].Length > 0 || block.Length > 0)
            {
                // The exact inverse of BlockText: a trailing terminator is a last, empty line.
                var content = SplitLines(blockContents[b]);
                output.AddRange(content);
                if (blockContents[b].Length > 0 && blockContents[b][^1] is '\n' or '\r')
                {
                    output.Add(string.Empty);
                }
            }

            next = block.End;
        }

        for (; next < Lines.Count; next++)
        {
            output.Add(Lines[next]);
        }

        return string.Join('\n', output);
    }

    /// <summary>The fixed lines: every line outside the blocks' contents, marker lines included, in order.</summary>
    public IReadOnlyList<string> FrameLines()
    {
        var frame = new List<string>(Lines.Count);
        for (var i = 0; i < Lines.Count; i++)
        {
            if (!IsMutableLine(i))
            {
                frame.Add(Lines[i]);
            }
        }

        return frame;
    }

    /// <summary>
    /// Checks that <paramref name="candidate"/>, a changed version of this program, parses, has as many blocks and keeps
    /// every fixed line (trailing whitespace aside). Returns why not, or <see langword="null"/> when the frame is intact.
    /// </summary>
    public string? FindFrameChange(EvolveBlockLayout candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.Error is not null)
        {
            return $"the EVOLVE-BLOCK markers are broken: {candidate.Error}";
        }

        if (candidate.HasMarkers != HasMarkers)
        {
            return HasMarkers ? "the EVOLVE-BLOCK markers were removed" : "EVOLVE-BLOCK markers were added to a program that has none";
        }

        if (candidate.Blocks.Count != Blocks.Count)
        {
            return $"the program must keep its {Blocks.Count} EVOLVE-BLOCK(s) but now has {candidate.Blocks.Count}";
        }

        var before = FrameLines();
        var after = candidate.FrameLines();
        var common = Math.Min(before.Count, after.Count);
        for (var i = 0; i < common; i++)
        {
            if (!string.Equals(before[i].TrimEnd(), after[i].TrimEnd(), StringComparison.Ordinal))
            {
                return $"the fixed line `{before[i].Trim()}` outside the EVOLVE-BLOCKs was changed to `{after[i].Trim()}`";
            }
        }

        return before.Count == after.Count
            ? null
            : $"the number of fixed lines outside the EVOLVE-BLOCKs changed from {before.Count} to {after.Count}";
    }

    /// <summary>Whether a line is an <c>EVOLVE-BLOCK-START</c> marker.</summary>
    // The ordinal pre-check skips the regex for ordinary lines: the regex's optional comment prefix backtracks over
    // indentation, and layouts are parsed after every patch edit (a third of the engine's per-candidate cost before).
    public static bool IsStartMarker(string line) => line.Contains("EVOLVE-BLOCK-START", StringComparison.Ordinal) && StartMarker().IsMatch(line);

    /// <summary>Whether a line is an <c>EVOLVE-BLOCK-END</c> marker.</summary>
    public static bool IsEndMarker(string line) => line.Contains("EVOLVE-BLOCK-END", StringComparison.Ordinal) && EndMarker().IsMatch(line);

    /// <summary>Whether a line is either marker.</summary>
    public static bool IsMarker(string line) => IsStartMarker(line) || IsEndMarker(line);

    /// <summary>Splits text into lines on <c>\r\n</c>, <c>\n</c> or <c>\r</c>. A trailing terminator does not add an empty line.</summary>
    /// <remarks>
    /// Only these three terminators split: form feeds and Unicode line or paragraph separators stay inside their line, as
    /// compilers and interpreters read them. The empty string is one empty line.
    /// </remarks>
    public static IReadOnlyList<string> SplitLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is not ('\n' or '\r'))
            {
                continue;
            }

            lines.Add(text[start..i]);
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;
            }

            start = i + 1;
        }

        if (start < text.Length || lines.Count == 0)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }

    [GeneratedRegex(@"^\s*(?:#+|//+|/\*+|--|;+|%+|!|<!--|\(\*)?\s*EVOLVE-BLOCK-START\b.*$", RegexOptions.CultureInvariant)]
    private static partial Regex StartMarker();

    [GeneratedRegex(@"^\s*(?:#+|//+|/\*+|--|;+|%+|!|<!--|\(\*)?\s*EVOLVE-BLOCK-END\b.*$", RegexOptions.CultureInvariant)]
    private static partial Regex EndMarker();
}
