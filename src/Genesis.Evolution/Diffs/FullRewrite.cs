using Genesis.Blocks;

namespace Genesis.Diffs;

/// <summary>
/// Full-rewrite mutations: extracting the new program from a model's answer, and putting its EVOLVE-BLOCK contents
/// back into the original program's fixed frame.
/// </summary>
public static class FullRewrite
{
    private const string CodeOpen = "<CODE>";
    private const string CodeClose = "</CODE>";

    /// <summary>Extracts the program from a model's answer and splices it into <paramref name="original"/>.</summary>
    /// <exception cref="ArgumentException">The original program's markers are malformed.</exception>
    public static FullRewriteResult Apply(string original, string llmResponse, ProgramLanguage language)
    {
        var extracted = Extract(llmResponse, language);
        return extracted.Succeeded ? Splice(original, extracted.Code) : extracted;
    }

    /// <summary>
    /// Extracts the program from a model's answer: the last fenced code block tagged with <paramref name="language"/> (or
    /// one of its aliases, such as <c>py</c>, <c>c++</c>, <c>js</c>, <c>ts</c>, <c>cs</c>, <c>c#</c>, <c>rs</c>), else the
    /// last fenced block of any tag. A <c>&lt;CODE&gt;…&lt;/CODE&gt;</c> wrapper narrows the search to its content, which
    /// is the program itself when it holds no fence. An answer without fences is accepted only when it carries
    /// EVOLVE-BLOCK markers. The code is returned with <c>\n</c> line terminators and a final one.
    /// </summary>
    public static FullRewriteResult Extract(string llmResponse, ProgramLanguage language)
    {
        ArgumentNullException.ThrowIfNull(llmResponse);
        ArgumentNullException.ThrowIfNull(language);
        if (string.IsNullOrWhiteSpace(llmResponse))
        {
            return FullRewriteResult.Failure("empty answer: it contains no program.");
        }

        var text = llmResponse;
        bool? codeTagClosed = null;
        var open = llmResponse.LastIndexOf(CodeOpen, StringComparison.OrdinalIgnoreCase);
        if (open >= 0)
        {
            var start = open + CodeOpen.Length;
            var close = llmResponse.IndexOf(CodeClose, start, StringComparison.OrdinalIgnoreCase);
            codeTagClosed = close >= 0;
            text = close >= 0 ? llmResponse[start..close] : llmResponse[start..];
        }

        var lines = EvolveBlockLayout.SplitLines(text);
        var blocks = MarkdownFences.Scan(lines);
        if (blocks.Count > 0 && blocks[^1] is { Closed: false, HasContent: true })
        {
            return FullRewriteResult.Failure("truncated: the code block is not closed, so the answer was cut off. Send a shorter program.");
        }

        var candidates = blocks.Where(b => b.Closed).ToList();
        var chosen = candidates.LastOrDefault(b => IsTagFor(b.Tag, language)) ?? candidates.LastOrDefault();
        IReadOnlyList<string> code;
        if (chosen is not null)
        {
            code = chosen.Lines;
        }
        else if (codeTagClosed == false)
        {
            return FullRewriteResult.Failure("truncated: the <CODE> block is not closed, so the answer was cut off. Send a shorter program.");
        }
        else if (codeTagClosed == true || lines.Any(EvolveBlockLayout.IsMarker))
        {
            code = lines;
        }
        else
        {
            return FullRewriteResult.Failure(
                $"no code block: put the complete program in a single fenced block that starts with ```{language.Name} and ends with ```.");
        }

        var first = 0;
        var last = code.Count - 1;
        while (first <= last && TextLines.IsBlank(code[first]))
        {
            first++;
        }

        while (last >= first && TextLines.IsBlank(code[last]))
        {
            last--;
        }

        if (first > last)
        {
            return FullRewriteResult.Failure("the code block is empty.");
        }

        return FullRewriteResult.Success(TextLines.Join(code.Skip(first).Take(last - first + 1).ToList(), trailingNewline: true));
    }

    /// <summary>
    /// Puts a rewritten program into the frame of <paramref name="original"/>: only block contents change. A rewrite with as
    /// many blocks gives each block's content; a rewrite without markers, for an original with one block, is that block's
    /// new content, unless it repeats the original's fixed lines around the block, in which case the block is what lies
    /// between them. An original without markers is replaced whole. The result uses <c>\n</c> and ends with one when the
    /// original did.
    /// </summary>
    /// <exception cref="ArgumentException">The original program's markers are malformed.</exception>
    public static FullRewriteResult Splice(string original, string rewritten)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(rewritten);
        var layout = EvolveBlockLayout.Parse(original);
        if (layout.Error is not null)
        {
            throw new ArgumentException($"The program's EVOLVE-BLOCK markers are malformed: {layout.Error}", nameof(original));
        }

        if (string.IsNullOrWhiteSpace(rewritten))
        {
            return FullRewriteResult.Failure("the rewritten program is empty.");
        }

        var rewrite = EvolveBlockLayout.Parse(rewritten);
        if (rewrite.Error is not null)
        {
            return FullRewriteResult.Failure($"the rewritten program's EVOLVE-BLOCK markers are malformed: {rewrite.Error}");
        }

        string spliced;
        if (!layout.HasMarkers)
        {
            spliced = TextLines.Join(rewrite.Lines, trailingNewline: false);
        }
        else if (rewrite.HasMarkers)
        {
            if (rewrite.Blocks.Count != layout.Blocks.Count)
            {
                return FullRewriteResult.Failure(
                    $"the rewritten program has {rewrite.Blocks.Count} EVOLVE-BLOCK(s) but the original has {layout.Blocks.Count}; "
                    + "keep every EVOLVE-BLOCK-START and EVOLVE-BLOCK-END line of the original.");
            }

            spliced = layout.WithBlockContents(Enumerable.Range(0, rewrite.Blocks.Count).Select(rewrite.BlockText).ToList());
        }
        else if (layout.Blocks.Count == 1)
        {
            if (LocateBlockByFrame(layout, rewrite.Lines, out var content) is { } problem)
            {
                return FullRewriteResult.Failure(problem);
            }

            spliced = layout.WithBlockContents([TextLines.Join(content, trailingNewline: false)]);
        }
        else
        {
            return FullRewriteResult.Failure(
                $"the original program has {layout.Blocks.Count} EVOLVE-BLOCKs but the rewrite has no markers; return the complete "
                + "program with every EVOLVE-BLOCK-START and EVOLVE-BLOCK-END line kept.");
        }

        var result = EvolveBlockLayout.Parse(spliced);
        if (SameLines(result.Lines, layout.Lines))
        {
            return FullRewriteResult.Failure("the rewritten program is identical to the original; change the code inside the EVOLVE-BLOCKs.");
        }

        if (layout.FindFrameChange(result) is { } change)
        {
            return FullRewriteResult.Failure($"the rewritten program breaks the fixed frame: {change}.");
        }

        return FullRewriteResult.Success(TextLines.Join(result.Lines, TextLines.EndsWithNewline(original)));
    }

    /// <summary>
    /// Finds the single block's new content in a rewrite without markers. Returns a problem, or <see langword="null"/> with
    /// <paramref name="content"/> set. The rewrite is the content, except that when it starts (or ends) with the original's
    /// first (or last) fixed line, the whole fixed part before (or after) the block must follow (or precede) and is cut
    /// off. Lines are compared without blank lines and surrounding whitespace; a fixed part made only of punctuation
    /// (a lone <c>}</c>) is not distinctive enough to be recognised.
    /// </summary>
    private static string? LocateBlockByFrame(EvolveBlockLayout layout, IReadOnlyList<string> rewrite, out List<string> content)
    {
        var block = layout.Blocks[0];
        var before = NonBlank(layout.Lines.Take(block.Start - 1));
        var after = NonBlank(layout.Lines.Skip(block.End + 1));
        var firstLine = rewrite.FirstOrDefault(line => !TextLines.IsBlank(line))?.Trim();
        var lastLine = rewrite.LastOrDefault(line => !TextLines.IsBlank(line))?.Trim();
        var from = 0;
        var to = rewrite.Count;
        content = [];
        if (IsDistinctive(before) && string.Equals(firstLine, before[0], StringComparison.Ordinal))
        {
            if (MatchPrefix(rewrite, before) is not { } start)
            {
                return "the rewrite repeats the fixed code before the EVOLVE-BLOCK but changes some of it; return either the complete "
                    + "program with its EVOLVE-BLOCK-START and EVOLVE-BLOCK-END lines and the fixed code unchanged, or only the block's new content.";
            }

            from = start;
        }

        if (IsDistinctive(after) && string.Equals(lastLine, after[^1], StringComparison.Ordinal))
        {
            if (MatchSuffix(rewrite, after) is not { } end)
            {
                return "the rewrite repeats the fixed code after the EVOLVE-BLOCK but changes some of it; return either the complete "
                    + "program with its EVOLVE-BLOCK-START and EVOLVE-BLOCK-END lines and the fixed code unchanged, or only the block's new content.";
            }

            to = end;
        }

        if (from > to)
        {
            return "the rewrite's copies of the fixed code before and after the EVOLVE-BLOCK overlap; return the complete program "
                + "with its EVOLVE-BLOCK-START and EVOLVE-BLOCK-END lines.";
        }

        content = rewrite.Skip(from).Take(to - from).ToList();
        return null;
    }

    private static bool IsDistinctive(List<string> frame) => frame.Any(line => line.Any(char.IsLetterOrDigit));

    /// <summary>The index after the rewrite's leading lines that equal <paramref name="frame"/> (blank lines skipped), or null.</summary>
    private static int? MatchPrefix(IReadOnlyList<string> rewrite, List<string> frame)
    {
        var next = 0;
        for (var i = 0; i < rewrite.Count && next < frame.Count; i++)
        {
            if (TextLines.IsBlank(rewrite[i]))
            {
                continue;
            }

            if (!string.Equals(rewrite[i].Trim(), frame[next], StringComparison.Ordinal))
            {
                return null;
            }

            if (++next == frame.Count)
            {
                return i + 1;
            }
        }

        return frame.Count == 0 ? 0 : null;
    }

    /// <summary>The index where the rewrite's trailing lines equal <paramref name="frame"/> (blank lines skipped), or null.</summary>
    private static int? MatchSuffix(IReadOnlyList<string> rewrite, List<string> frame)
    {
        var next = frame.Count - 1;
        for (var i = rewrite.Count - 1; i >= 0 && next >= 0; i--)
        {
            if (TextLines.IsBlank(rewrite[i]))
            {
                continue;
            }

            if (!string.Equals(rewrite[i].Trim(), frame[next], StringComparison.Ordinal))
            {
                return null;
            }

            if (--next < 0)
            {
                return i;
            }
        }

        return frame.Count == 0 ? rewrite.Count : null;
    }

    private static List<string> NonBlank(IEnumerable<string> lines) =>
        lines.Where(line => !TextLines.IsBlank(line)).Select(line => line.Trim()).ToList();

    private static bool SameLines(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        a.Count == b.Count && a.Zip(b).All(pair => string.Equals(pair.First.TrimEnd(), pair.Second.TrimEnd(), StringComparison.Ordinal));

    /// <summary>Whether a fence tag names <paramref name="language"/>: its name, its file extension, or a known alias.</summary>
    private static bool IsTagFor(string tag, ProgramLanguage language)
    {
        if (tag.Length == 0)
        {
            return false;
        }

        return string.Equals(tag, language.Name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(tag, language.FileExtension.TrimStart('.'), StringComparison.OrdinalIgnoreCase)
            || ProgramLanguage.Find(tag) == language;
    }
}
