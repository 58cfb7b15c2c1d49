using Genesis.Diffs;

namespace Genesis.Tests.Diffs;

public sealed class SearchReplaceParserTests
{
    [Fact]
    public void A_canonical_block_is_parsed()
    {
        var result = SearchReplaceParser.Parse("<<<<<<< SEARCH\nx = 1\ny = 2\n=======\nx = 3\n>>>>>>> REPLACE\n");

        Assert.Equal([new SearchReplaceEdit("x = 1\ny = 2", "x = 3")], result.Edits);
        Assert.Empty(result.Problems);
        Assert.True(result.IsWellFormed);
        Assert.False(result.IsTruncated);
        Assert.Equal(string.Empty, result.DescribeProblems());
    }

    [Fact]
    public void Several_blocks_with_prose_between_them_are_parsed_in_order()
    {
        var answer = """
            First, speed up the loop.

            <<<<<<< SEARCH
            for i in range(n):
            =======
            for i in range(n // 2):
            >>>>>>> REPLACE

            Then fix the return value:
            <<<<<<< SEARCH
            return total
            =======
            return 2 * total
            >>>>>>> REPLACE
            That's all.
            """;

        var result = SearchReplaceParser.Parse(answer);

        Assert.Equal(
            [new SearchReplaceEdit("for i in range(n):", "for i in range(n // 2):"), new SearchReplaceEdit("return total", "return 2 * total")],
            result.Edits);
    }

    [Theory]
    [InlineData("<<<<<<<<<< SEARCH", "==========", ">>>>>>>>> REPLACE")]
    [InlineData("<<<<<<<SEARCH", "=======", ">>>>>>>REPLACE")]
    [InlineData("  <<<<<<<   SEARCH   ", "   =======  ", "  >>>>>>>  REPLACE  ")]
    [InlineData("<<<<<<< search", "=======", ">>>>>>> replace")]
    [InlineData("<<<<<<< SEARCH:", "=======", ">>>>>>> REPLACE")]
    [InlineData("<DIFF><<<<<<< SEARCH", "=======", ">>>>>>> REPLACE</DIFF>")]
    public void Marker_lines_are_recognised_leniently(string search, string divider, string replace)
    {
        var result = SearchReplaceParser.Parse($"{search}\na\n{divider}\nb\n{replace}");

        Assert.Equal([new SearchReplaceEdit("a", "b")], result.Edits);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Six_marker_characters_are_not_a_marker()
    {
        var result = SearchReplaceParser.Parse("<<<<<< SEARCH\na\n=======\nb\n>>>>>> REPLACE");

        Assert.Empty(result.Edits);
        Assert.Empty(result.Problems);
        Assert.Contains("contains no SEARCH/REPLACE edit", result.DescribeProblems(), StringComparison.Ordinal);
    }

    [Fact]
    public void Crlf_answers_give_lf_sections()
    {
        var result = SearchReplaceParser.Parse("<<<<<<< SEARCH\r\na\r\nb\r\n=======\r\nc\r\n>>>>>>> REPLACE\r\n");

        Assert.Equal([new SearchReplaceEdit("a\nb", "c")], result.Edits);
    }

    [Fact]
    public void Blocks_inside_a_fence_and_diff_tags_are_parsed()
    {
        var answer = """
            <NAME>halve</NAME>
            <DESCRIPTION>Halve the loop.</DESCRIPTION>
            <DIFF>
            ```python
            <<<<<<< SEARCH
            for i in range(n):
            =======
            for i in range(n // 2):
            >>>>>>> REPLACE
            ```
            </DIFF>
            """;

        var result = SearchReplaceParser.Parse(answer);

        Assert.Equal([new SearchReplaceEdit("for i in range(n):", "for i in range(n // 2):")], result.Edits);
        Assert.True(result.IsWellFormed);
    }

    [Fact]
    public void Sections_wrapped_in_their_own_fences_are_unwrapped()
    {
        var result = SearchReplaceParser.Parse("<<<<<<< SEARCH\n```python\nx = 1\n```\n=======\n```\nx = 2\n```\n>>>>>>> REPLACE");

        Assert.Equal([new SearchReplaceEdit("x = 1", "x = 2")], result.Edits);
    }

    [Fact]
    public void Whitespace_inside_sections_is_kept_verbatim()
    {
        var result = SearchReplaceParser.Parse("<<<<<<< SEARCH\n    x = 1  \n\n\ty\n=======\n        z\n>>>>>>> REPLACE");

        Assert.Equal([new SearchReplaceEdit("    x = 1  \n\n\ty", "        z")], result.Edits);
    }

    [Fact]
    public void Empty_search_and_replace_sections_are_allowed()
    {
        var result = SearchReplaceParser.Parse("<<<<<<< SEARCH\n=======\nnew()\n>>>>>>> REPLACE\n<<<<<<< SEARCH\nold()\n=======\n>>>>>>> REPLACE");

        Assert.Equal([new SearchReplaceEdit("", "new()"), new SearchReplaceEdit("old()", "")], result.Edits);
    }

    [Fact]
    public void A_divider_inside_the_replace_section_is_content()
    {
        var result = SearchReplaceParser.Parse("<<<<<<< SEARCH\na\n=======\nb\n=======\nc\n>>>>>>> REPLACE");

        Assert.Equal([new SearchReplaceEdit("a", "b\n=======\nc")], result.Edits);
    }

    [Fact]
    public void An_answer_cut_off_inside_the_replace_section_is_truncated()
    {
        var result = SearchReplaceParser.Parse("<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n\n<<<<<<< SEARCH\nc\n=======\nd = [1, 2,");

        Assert.Equal([new SearchReplaceEdit("a", "b")], result.Edits);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(SearchReplaceProblemKind.Truncated, problem.Kind);
        Assert.Equal(7, problem.Line);
        Assert.True(result.IsTruncated);
        Assert.False(result.IsWellFormed);
        Assert.Equal(
            "A SEARCH/REPLACE block is malformed:\n- The block starting at line 7 is incomplete: the answer ends before its `>>>>>>> REPLACE` line.\n"
            + "The answer was cut off. Send fewer or shorter edits so that the whole answer fits.",
            result.DescribeProblems());
    }

    [Fact]
    public void An_answer_cut_off_inside_the_search_section_is_truncated()
    {
        var result = SearchReplaceParser.Parse("<<<<<<< SEARCH\na\nb");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(SearchReplaceProblemKind.Truncated, problem.Kind);
        Assert.Contains("its `=======` and `>>>>>>> REPLACE` lines", problem.Message, StringComparison.Ordinal);
        Assert.Empty(result.Edits);
    }

    [Fact]
    public void A_block_without_a_divider_is_reported_and_the_next_block_still_parsed()
    {
        var result = SearchReplaceParser.Parse("<<<<<<< SEARCH\na\n>>>>>>> REPLACE\n<<<<<<< SEARCH\nc\n=======\nd\n>>>>>>> REPLACE");

        Assert.Equal([new SearchReplaceEdit("c", "d")], result.Edits);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(SearchReplaceProblemKind.MissingDivider, problem.Kind);
        Assert.Equal(1, problem.Line);
        Assert.False(result.IsTruncated);
        Assert.EndsWith("Each edit needs the three marker lines `<<<<<<< SEARCH`, `=======` and `>>>>>>> REPLACE`, in that order.", result.DescribeProblems(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_search_followed_by_another_search_is_missing_its_divider()
    {
        var result = SearchReplaceParser.Parse("<<<<<<< SEARCH\na\n<<<<<<< SEARCH\nc\n=======\nd\n>>>>>>> REPLACE");

        Assert.Equal([new SearchReplaceEdit("c", "d")], result.Edits);
        Assert.Equal(SearchReplaceProblemKind.MissingDivider, Assert.Single(result.Problems).Kind);
    }

    [Fact]
    public void A_block_without_replace_before_the_next_search_is_reported()
    {
        var result = SearchReplaceParser.Parse("<<<<<<< SEARCH\na\n=======\nb\n<<<<<<< SEARCH\nc\n=======\nd\n>>>>>>> REPLACE");

        Assert.Equal([new SearchReplaceEdit("c", "d")], result.Edits);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(SearchReplaceProblemKind.MissingReplace, problem.Kind);
        Assert.Equal(1, problem.Line);
    }

    [Fact]
    public void A_stray_replace_line_is_reported()
    {
        var result = SearchReplaceParser.Parse("text\n>>>>>>> REPLACE\n");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(SearchReplaceProblemKind.UnexpectedReplace, problem.Kind);
        Assert.Equal(2, problem.Line);
        Assert.StartsWith("A SEARCH/REPLACE block is malformed:\n- Line 2 is a `>>>>>>> REPLACE` line", result.DescribeProblems(), StringComparison.Ordinal);
    }

    [Fact]
    public void Several_problems_are_counted()
    {
        var result = SearchReplaceParser.Parse(">>>>>>> REPLACE\n<<<<<<< SEARCH\na");

        Assert.Equal(2, result.Problems.Count);
        Assert.StartsWith("2 SEARCH/REPLACE blocks are malformed:", result.DescribeProblems(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_answer_without_blocks_has_no_edits_and_no_problems()
    {
        var result = SearchReplaceParser.Parse("I think the program is already optimal.");

        Assert.Empty(result.Edits);
        Assert.Empty(result.Problems);
        Assert.False(result.IsWellFormed);
    }
}
