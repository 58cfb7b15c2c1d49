using Genesis.Blocks;

namespace Genesis.Diffs;

/// <summary>Finds the window of mutable lines most similar to a SEARCH text that matched nowhere.</summary>
internal static class ClosestMatchFinder
{
    /// <summary>
    /// Slides a window as long as <paramref name="search"/> over every block's content lines and returns the most similar
    /// one, or <see langword="null"/> when the blocks are empty. Lines are compared without their indentation; each window
    /// line is compared with the SEARCH line at the same offset, so the cost is one character LCS per (line, line) pair.
    /// </summary>
    public static ClosestMatch? Find(IReadOnlyList<string> lines, EvolveBlockLayout layout, IReadOnlyList<string> search)
    {
        if (search.Count == 0)
        {
            return null;
        }

        var patterns = search.Select(s => new LcsPattern(s.Trim())).ToArray();
        var searchChars = patterns.Sum(p => p.Pattern.Length);
        var trimmed = lines.Select(l => l.Trim()).ToArray();
        var bestStart = -1;
        var bestLength = 0;
        var bestRatio = -1.0;

        foreach (var block in layout.Blocks)
        {
            for (var start = block.Start; start < block.End; start++)
            {
                var length = Math.Min(search.Count, block.End - start);
                var shared = 0;
                var total = searchChars;
                for (var j = 0; j < length; j++)
                {
                    var line = trimmed[start + j];
                    shared += patterns[j].LcsLength(line);
                    total += line.Length;
                }

                var ratio = total == 0 ? 0.0 : 2.0 * shared / total;
                if (ratio > bestRatio)
                {
                    (bestStart, bestLength, bestRatio) = (start, length, ratio);
                }
            }
        }

        if (bestStart < 0)
        {
            return null;
        }

        var window = lines.Skip(bestStart).Take(bestLength).Select(l => l.TrimEnd()).ToList();
        return new ClosestMatch(bestStart + 1, window, bestRatio, FirstDifference(search, window, bestStart, layout));
    }

    private static string? FirstDifference(IReadOnlyList<string> search, List<string> window, int start, EvolveBlockLayout layout)
    {
        for (var j = 0; j < window.Count; j++)
        {
            var expected = search[j].Trim();
            var actual = window[j].Trim();
            if (!string.Equals(expected, actual, StringComparison.Ordinal))
            {
                return $"SEARCH line {j + 1} is `{expected}` but line {start + j + 1} of the program is `{actual}`.";
            }
        }

        if (window.Count < search.Count)
        {
            var blockEnd = layout.BlockOf(start)?.End ?? start + window.Count;
            var rest = search.Skip(window.Count).ToList();
            var next = rest.Find(line => !TextLines.IsBlank(line))?.Trim();
            var more = rest.Count == 1 ? "1 more line" : $"{rest.Count} more lines";
            return next is null
                ? $"The EVOLVE-BLOCK ends after line {blockEnd}, but SEARCH has {more}."
                : $"The EVOLVE-BLOCK ends after line {blockEnd}, but SEARCH has {more}, from `{next}`; fixed lines after the block cannot be part of an edit.";
        }

        return null;
    }
}
