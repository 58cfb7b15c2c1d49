using Genesis.Blocks;

namespace Genesis.Diffs;

/// <summary>
/// Applies SEARCH/REPLACE edits to a program, changing only lines inside its EVOLVE-BLOCKs.
/// </summary>
/// <remarks>
/// <para>Each edit, in order and against the result of the edits before it:</para>
/// <list type="number">
/// <item>EVOLVE-BLOCK marker lines copied into SEARCH or REPLACE are dropped, and trailing whitespace is ignored on every
/// line of the edit and of the program.</item>
/// <item>An empty SEARCH inserts REPLACE at the end of the last block (before its END marker), or at the end of a program
/// without markers.</item>
/// <item>Otherwise the SEARCH lines are looked for as an exact line sequence; failing that, ignoring indentation, in which
/// case the REPLACE lines are re-indented by the difference between the SEARCH's first line and the matched line. When
/// SEARCH starts or ends with blank lines that the program lacks, the search is repeated without them.</item>
/// <item>The first occurrence lying wholly inside one block's content is replaced; occurrences touching fixed lines are
/// never used.</item>
/// </list>
/// <para>
/// Every edit is evaluated, even after one fails, so that the model learns about all its mistakes at once. The patch
/// applies only if every edit does, the program changes, and its frame (markers and fixed lines) is intact. Untouched
/// lines are kept byte for byte; the result uses <c>\n</c> and ends with one when the original did.
/// </para>
/// </remarks>
public static class PatchApplier
{
    /// <summary>Applies <paramref name="edits"/> to <paramref name="code"/>.</summary>
    /// <exception cref="ArgumentException">The program's own markers are malformed, or an edit is <see langword="null"/>.</exception>
    public static PatchResult Apply(string code, IReadOnlyList<SearchReplaceEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(edits);
        var original = EvolveBlockLayout.Parse(code);
        if (original.Error is not null)
        {
            throw new ArgumentException($"The program's EVOLVE-BLOCK markers are malformed: {original.Error}", nameof(code));
        }

        var editable = original.HasMarkers ? DescribeEditableLines(original) : null;
        var applied = 0;
        if (edits.Count == 0)
        {
            return Rejected(PatchFailureKind.NoEdits, "The answer contains no SEARCH/REPLACE edit.");
        }

        // The empty program has no lines (not one empty line), so that an insertion does not start with a blank line.
        var lines = code.Length == 0 ? [] : new List<string>(original.Lines);
        var layout = code.Length == 0 ? EvolveBlockLayout.ParseLines(lines) : original;
        var failures = new List<PatchFailure>();
        var lineCountChanged = false;
        var linesShifted = false;
        for (var i = 0; i < edits.Count; i++)
        {
            var edit = edits[i] ?? throw new ArgumentException($"Edit {i} is null.", nameof(edits));
            var countBefore = lines.Count;
            var failure = ApplyOne(lines, layout, edit, i);
            if (failure is null)
            {
                applied++;
                lineCountChanged |= lines.Count != countBefore;
                layout = EvolveBlockLayout.ParseLines(lines);
            }
            else
            {
                failures.Add(failure);
                linesShifted |= lineCountChanged;
            }
        }

        if (failures.Count > 0)
        {
            return new PatchResult(null, edits.Count, applied, failures, editable, linesShifted);
        }

        if (lines.Count == original.Lines.Count
            && lines.Zip(original.Lines).All(pair => string.Equals(pair.First.TrimEnd(), pair.Second.TrimEnd(), StringComparison.Ordinal)))
        {
            return Rejected(PatchFailureKind.ProgramUnchanged, "The edits leave the program exactly as it was.");
        }

        if (original.FindFrameChange(layout) is { } change)
        {
            return Rejected(PatchFailureKind.FrameChanged, $"The patched program breaks the fixed frame: {change}.");
        }

        return new PatchResult(TextLines.Join(lines, TextLines.EndsWithNewline(code)), edits.Count, applied, [], editable, false);

        PatchResult Rejected(PatchFailureKind kind, string reason) =>
            new(null, edits.Count, applied, [new PatchFailure(null, kind, reason, null, null)], editable, false);
    }

    private static PatchFailure? ApplyOne(List<string> lines, EvolveBlockLayout layout, SearchReplaceEdit edit, int index)
    {
        var search = Normalise(edit.Search);
        var replace = Normalise(edit.Replace);
        if (search.TrueForAll(TextLines.IsBlank))
        {
            search.Clear();
        }

        if (search.SequenceEqual(replace, StringComparer.Ordinal))
        {
            return new PatchFailure(index, PatchFailureKind.NoChange, "SEARCH and REPLACE are identical, so the edit changes nothing.", edit, null);
        }

        if (search.Count == 0)
        {
            lines.InsertRange(layout.HasMarkers ? layout.Blocks[^1].End : lines.Count, replace);
            return null;
        }

        int? outside = null;
        var variant = (Search: search, Replace: replace);
        foreach (var candidate in Variants(search, replace))
        {
            variant = candidate;
            if (Find(lines, layout, candidate.Search, loose: false, ref outside) is { } exact)
            {
                lines.RemoveRange(exact, candidate.Search.Count);
                lines.InsertRange(exact, candidate.Replace);
                return null;
            }

            if (Find(lines, layout, candidate.Search, loose: true, ref outside) is { } loose)
            {
                var reindented = Reindent(candidate.Replace, candidate.Search, lines, loose);
                lines.RemoveRange(loose, candidate.Search.Count);
                lines.InsertRange(loose, reindented);
                return null;
            }
        }

        var closest = ClosestMatchFinder.Find(lines, layout, variant.Search);
        if (outside is { } at)
        {
            var where = TextLines.Range(at + 1, at + variant.Search.Count);
            return new PatchFailure(
                index,
                PatchFailureKind.OutsideBlocks,
                $"SEARCH text found only at {where}, outside the EVOLVE-BLOCKs; those lines are fixed and cannot be edited.",
                edit,
                closest);
        }

        var reason = layout.HasMarkers ? "SEARCH text not found in any EVOLVE-BLOCK." : "SEARCH text not found in the program.";
        return new PatchFailure(index, PatchFailureKind.NotFound, reason, edit, closest);
    }

    /// <summary>Splits an edit section into lines, dropping marker lines and trailing whitespace.</summary>
    private static List<string> Normalise(string section) =>
        TextLines.Split(section).Where(line => !EvolveBlockLayout.IsMarker(line)).Select(line => line.TrimEnd()).ToList();

    /// <summary>The edit as written, then, if SEARCH starts or ends with blank lines, without them.</summary>
    private static IEnumerable<(List<string> Search, List<string> Replace)> Variants(List<string> search, List<string> replace)
    {
        yield return (search, replace);
        var leading = search.TakeWhile(TextLines.IsBlank).Count();
        var trailing = search.AsEnumerable().Reverse().TakeWhile(TextLines.IsBlank).Count();
        if (leading + trailing == 0)
        {
            yield break;
        }

        // Drop from REPLACE as many of the same blank lines as it has, so the edit keeps its meaning.
        var replaceLeading = Math.Min(leading, replace.TakeWhile(TextLines.IsBlank).Count());
        var replaceTrailing = Math.Min(trailing, replace.AsEnumerable().Reverse().TakeWhile(TextLines.IsBlank).Count());
        replaceTrailing = Math.Min(replaceTrailing, replace.Count - replaceLeading);
        yield return (
            search.GetRange(leading, search.Count - leading - trailing),
            replace.GetRange(replaceLeading, replace.Count - replaceLeading - replaceTrailing));
    }

    /// <summary>
    /// The first line where <paramref name="search"/> matches inside one block's content, or <see langword="null"/>;
    /// the first match touching fixed lines is remembered in <paramref name="outside"/>.
    /// </summary>
    private static int? Find(List<string> lines, EvolveBlockLayout layout, List<string> search, bool loose, ref int? outside)
    {
        for (var start = 0; start + search.Count <= lines.Count; start++)
        {
            if (!Matches(lines, start, search, loose))
            {
                continue;
            }

            if (IsInsideOneBlock(lines, layout, start, search.Count))
            {
                return start;
            }

            outside ??= start;
        }

        return null;
    }

    private static bool Matches(List<string> lines, int start, List<string> search, bool loose)
    {
        for (var j = 0; j < search.Count; j++)
        {
            var line = lines[start + j].AsSpan();
            var same = loose
                ? line.Trim().SequenceEqual(search[j].AsSpan().Trim())
                : line.TrimEnd().SequenceEqual(search[j]);
            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsInsideOneBlock(List<string> lines, EvolveBlockLayout layout, int start, int count)
    {
        if (layout.BlockOf(start) is not { } block || !block.Contains(start + count - 1))
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            if (EvolveBlockLayout.IsMarker(lines[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Shifts REPLACE by the indentation difference between the SEARCH's first non-blank line and the program line it
    /// matched: lines that start with the SEARCH's indentation get the program's instead; others gain or lose the
    /// difference in width.
    /// </summary>
    private static List<string> Reindent(List<string> replace, List<string> search, List<string> lines, int at)
    {
        var first = search.FindIndex(line => !TextLines.IsBlank(line));
        var searchIndent = TextLines.Indentation(search[first]);
        var codeIndent = TextLines.Indentation(lines[at + first]);
        if (string.Equals(searchIndent, codeIndent, StringComparison.Ordinal))
        {
            return replace;
        }

        var delta = codeIndent.Length - searchIndent.Length;
        var unit = codeIndent.Length > 0 ? codeIndent[0] : searchIndent[0];
        return replace.ConvertAll(line =>
        {
            if (TextLines.IsBlank(line))
            {
                return line;
            }

            if (line.StartsWith(searchIndent, StringComparison.Ordinal))
            {
                return codeIndent + line[searchIndent.Length..];
            }

            if (delta >= 0)
            {
                return new string(unit, delta) + line;
            }

            var removable = Math.Min(-delta, TextLines.Indentation(line).Length);
            return line[removable..];
        });
    }

    /// <summary>The editable lines of a program with markers, for example "lines 6-20 and 30-41".</summary>
    internal static string DescribeEditableLines(EvolveBlockLayout layout)
    {
        var ranges = new List<string>();
        var empty = new List<string>();
        var lineCount = 0;
        foreach (var block in layout.Blocks)
        {
            lineCount += block.Length;
            switch (block.Length)
            {
                case 0:
                    empty.Add($"{block.Start}");
                    break;
                case 1:
                    ranges.Add($"{block.Start + 1}");
                    break;
                default:
                    ranges.Add($"{block.Start + 1}-{block.End}");
                    break;
            }
        }

        var parts = new List<string>();
        if (ranges.Count > 0)
        {
            parts.Add($"{(lineCount == 1 ? "line" : "lines")} {JoinWithAnd(ranges)}");
        }

        if (empty.Count > 0)
        {
            parts.Add($"the empty EVOLVE-BLOCK after line {JoinWithAnd(empty)}");
        }

        return JoinWithAnd(parts);
    }

    private static string JoinWithAnd(List<string> parts) =>
        parts.Count == 1 ? parts[0] : $"{string.Join(", ", parts.Take(parts.Count - 1))} and {parts[^1]}";
}
