using System.Text.RegularExpressions;
using Genesis.Blocks;

namespace Genesis.Diffs;

/// <summary>
/// Reads SEARCH/REPLACE edits out of a model's answer:
/// <code>
/// &lt;&lt;&lt;&lt;&lt;&lt;&lt; SEARCH
/// old lines
/// =======
/// new lines
/// &gt;&gt;&gt;&gt;&gt;&gt;&gt; REPLACE
/// </code>
/// </summary>
/// <remarks>
/// Parsing is lenient, as models write it: seven or more marker characters, any case and whitespace around the words,
/// <c>\r\n</c> or <c>\n</c>, blocks inside <c>```</c> fences or <c>&lt;DIFF&gt;…&lt;/DIFF&gt;</c> tags (even on the marker
/// lines), prose between blocks, and an empty SEARCH section. A section wrapped in its own fence (a <c>```lang</c> first
/// line and a <c>```</c> last line) is unwrapped. Blocks that are not closed are reported in
/// <see cref="SearchReplaceParseResult.Problems"/>, never silently dropped.
/// </remarks>
public static partial class SearchReplaceParser
{
    private enum State
    {
        Outside,
        InSearch,
        InReplace,
    }

    /// <summary>Parses every SEARCH/REPLACE block of <paramref name="llmResponse"/>.</summary>
    public static SearchReplaceParseResult Parse(string llmResponse)
    {
        ArgumentNullException.ThrowIfNull(llmResponse);
        var lines = EvolveBlockLayout.SplitLines(llmResponse);
        var edits = new List<SearchReplaceEdit>();
        var problems = new List<SearchReplaceProblem>();
        var search = new List<string>();
        var replace = new List<string>();
        var state = State.Outside;
        var openedAt = 0;

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var isSearch = SearchMarker().IsMatch(line);
            var isDivider = Divider().IsMatch(line);
            var isReplace = ReplaceMarker().IsMatch(line);
            switch (state)
            {
                case State.Outside when isSearch:
                    Open(i);
                    break;
                case State.Outside when isReplace:
                    problems.Add(new SearchReplaceProblem(
                        i + 1,
                        SearchReplaceProblemKind.UnexpectedReplace,
                        $"Line {i + 1} is a `>>>>>>> REPLACE` line without a `<<<<<<< SEARCH` line and a `=======` line before it."));
                    break;
                case State.Outside:
                    break;
                case State.InSearch when isDivider:
                    state = State.InReplace;
                    break;
                case State.InSearch when isSearch || isReplace:
                    problems.Add(new SearchReplaceProblem(
                        openedAt + 1,
                        SearchReplaceProblemKind.MissingDivider,
                        $"The block starting at line {openedAt + 1} has no `=======` line between its SEARCH and REPLACE parts."));
                    if (isSearch)
                    {
                        Open(i);
                    }
                    else
                    {
                        state = State.Outside;
                    }

                    break;
                case State.InSearch:
                    search.Add(line);
                    break;
                case State.InReplace when isReplace:
                    edits.Add(new SearchReplaceEdit(Section(search), Section(replace)));
                    state = State.Outside;
                    break;
                case State.InReplace when isSearch:
                    problems.Add(new SearchReplaceProblem(
                        openedAt + 1,
                        SearchReplaceProblemKind.MissingReplace,
                        $"The block starting at line {openedAt + 1} has no `>>>>>>> REPLACE` line before the next `<<<<<<< SEARCH`."));
                    Open(i);
                    break;
                default:
                    replace.Add(line);
                    break;
            }
        }

        if (state != State.Outside)
        {
            var missing = state == State.InSearch ? "its `=======` and `>>>>>>> REPLACE` lines" : "its `>>>>>>> REPLACE` line";
            problems.Add(new SearchReplaceProblem(
                openedAt + 1,
                SearchReplaceProblemKind.Truncated,
                $"The block starting at line {openedAt + 1} is incomplete: the answer ends before {missing}."));
        }

        return new SearchReplaceParseResult(edits, problems);

        void Open(int line)
        {
            state = State.InSearch;
            openedAt = line;
            search.Clear();
            replace.Clear();
        }
    }

    /// <summary>Joins a section's lines, unwrapping a fence that encloses the whole section.</summary>
    private static string Section(List<string> lines)
    {
        IEnumerable<string> content = lines;
        if (lines.Count >= 2 && FenceOpen().IsMatch(lines[0]) && FenceClose().IsMatch(lines[^1]))
        {
            content = lines.Skip(1).Take(lines.Count - 2);
        }

        return string.Join('\n', content);
    }

    [GeneratedRegex(@"^\s*(?:<DIFF>\s*)?<{7,}\s*SEARCH\s*:?\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SearchMarker();

    [GeneratedRegex(@"^\s*={7,}\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Divider();

    [GeneratedRegex(@"^\s*>{7,}\s*REPLACE\s*(?:</DIFF>)?\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ReplaceMarker();

    [GeneratedRegex(@"^\s*`{3,}[\w+#.-]*\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex FenceOpen();

    [GeneratedRegex(@"^\s*`{3,}\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex FenceClose();
}
