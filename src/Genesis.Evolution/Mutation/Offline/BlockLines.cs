using Genesis.Blocks;

namespace Genesis.Mutation;

/// <summary>
/// Block contents as arrays of lines, and the splice of new contents into a program's frame. Working with lines rather than
/// joined text keeps an empty block distinct from a block holding one empty line, and keeps a block's trailing empty lines.
/// </summary>
internal static class BlockLines
{
    /// <summary>The content lines of block <paramref name="block"/>.</summary>
    public static string[] Of(EvolveBlockLayout layout, int block)
    {
        var range = layout.Blocks[block];
        var lines = new string[range.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = layout.Lines[range.Start + i];
        }

        return lines;
    }

    /// <summary>The content lines of every block.</summary>
    public static List<string[]> All(EvolveBlockLayout layout) =>
        Enumerable.Range(0, layout.Blocks.Count).Select(b => Of(layout, b)).ToList();

    /// <summary>
    /// The program of <paramref name="layout"/> with each block's lines replaced by <paramref name="contents"/> (one entry per
    /// block) and every other line kept, joined by <c>\n</c>; a final line terminator is kept when <paramref name="originalCode"/> had one.
    /// </summary>
    public static string Splice(EvolveBlockLayout layout, IReadOnlyList<string[]> contents, string originalCode)
    {
        var output = new List<string>(layout.Lines.Count);
        var next = 0;
        for (var b = 0; b < layout.Blocks.Count; b++)
        {
            var range = layout.Blocks[b];
            for (; next < range.Start; next++)
            {
                output.Add(layout.Lines[next]);
            }

            output.AddRange(contents[b]);
            next = range.End;
        }

        for (; next < layout.Lines.Count; next++)
        {
            output.Add(layout.Lines[next]);
        }

        var code = string.Join('\n', output);
        return originalCode.EndsWith('\n') || originalCode.EndsWith('\r') ? code + "\n" : code;
    }

    /// <summary>Whether two lists of block contents are line for line the same.</summary>
    public static bool SameContents(IReadOnlyList<string[]> a, IReadOnlyList<string[]> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!a[i].AsSpan().SequenceEqual(b[i]))
            {
                return false;
            }
        }

        return true;
    }
}
