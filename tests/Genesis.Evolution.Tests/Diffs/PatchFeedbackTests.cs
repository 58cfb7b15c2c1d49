using Genesis.Diffs;

namespace Genesis.Tests.Diffs;

public sealed class PatchFeedbackTests
{
    private const string Program = """
        import math

        # EVOLVE-BLOCK-START
        def solve(n):
            total = 0
            for i in range(n):
                total += i
            return total
        # EVOLVE-BLOCK-END

        if __name__ == "__main__":
            print(solve(10))

        """;

    [Fact]
    public void The_feedback_for_a_failed_patch_names_each_failing_edit_its_search_and_the_closest_lines()
    {
        var result = PatchApplier.Apply(Program,
        [
            new SearchReplaceEdit("    total = 0", "    total = 1"),
            new SearchReplaceEdit("    for i in range(m):\n        total += i", "    for i in range(n):\n        total -= i"),
            new SearchReplaceEdit("import math", "import cmath"),
        ]);

        Assert.Equal(
            """
            The patch was not applied: 2 of 3 edits failed, so none was applied. Send all the edits again, with the failing ones corrected.

            Edit 2 of 3 failed: SEARCH text not found in any EVOLVE-BLOCK.
            Its SEARCH (2 lines):
            ```
                for i in range(m):
                    total += i
            ```
            The closest lines inside the EVOLVE-BLOCKs (similarity 0.96) are lines 6-7:
            6 |     for i in range(n):
            7 |         total += i
            SEARCH line 1 is `for i in range(m):` but line 6 of the program is `for i in range(n):`.

            Edit 3 of 3 failed: SEARCH text found only at line 1, outside the EVOLVE-BLOCKs; those lines are fixed and cannot be edited.
            Its SEARCH (1 line):
            ```
            import math
            ```

            Only lines 4-8 (between EVOLVE-BLOCK-START and EVOLVE-BLOCK-END) may change. Copy each SEARCH exactly from the current program, indentation and comments included, and leave out the EVOLVE-BLOCK marker lines.
            """,
            result.DescribeFailures());
    }

    [Fact]
    public void A_single_failing_edit_without_markers_gets_no_editable_region_note()
    {
        var result = PatchApplier.Apply("a = 1\nb = 2\n", [new SearchReplaceEdit("c = 3", "c = 4")]);

        var text = result.DescribeFailures();

        Assert.StartsWith("The edit was not applied.\n\nEdit 1 of 1 failed: SEARCH text not found in the program.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Only lines", text, StringComparison.Ordinal);
        Assert.EndsWith("Copy each SEARCH exactly from the current program, indentation and comments included, and leave out the EVOLVE-BLOCK marker lines.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_search_that_resembles_nothing_is_called_out_as_such()
    {
        var result = PatchApplier.Apply(Program, [new SearchReplaceEdit("class Quux: pass", "class Quux: x = 1")]);

        Assert.Contains("Nothing inside the EVOLVE-BLOCKs resembles it; the most similar lines (similarity 0.", result.DescribeFailures(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_no_op_edit_is_explained_without_repeating_its_search()
    {
        var result = PatchApplier.Apply(Program, [new SearchReplaceEdit("    total = 0", "    total = 0")]);

        Assert.Equal(
            "The edit was not applied.\n\nEdit 1 of 1 failed: SEARCH and REPLACE are identical, so the edit changes nothing.\n\n"
            + "Only lines 4-8 (between EVOLVE-BLOCK-START and EVOLVE-BLOCK-END) may change. Copy each SEARCH exactly from the current program, "
            + "indentation and comments included, and leave out the EVOLVE-BLOCK marker lines.",
            result.DescribeFailures());
    }

    [Fact]
    public void Line_numbers_shifted_by_earlier_edits_are_pointed_out()
    {
        var result = PatchApplier.Apply(Program,
        [
            new SearchReplaceEdit("def solve(n):", "def solve(n):\n    # sum of 0..n-1"),
            new SearchReplaceEdit("    return totl", "    return total + 0"),
        ]);

        var text = result.DescribeFailures();

        Assert.Contains("9 |     return total", text, StringComparison.Ordinal);
        Assert.EndsWith("Line numbers above count lines after the preceding edits of this patch were applied.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_searches_are_shown_up_to_fifteen_lines()
    {
        var search = string.Join('\n', Enumerable.Range(0, 20).Select(i => $"missing_{i}()"));

        var text = PatchApplier.Apply(Program, [new SearchReplaceEdit(search, "x = 1")]).DescribeFailures();

        Assert.Contains("Its SEARCH (20 lines):", text, StringComparison.Ordinal);
        Assert.Contains("missing_14()\n… (5 more lines)\n```", text, StringComparison.Ordinal);
        Assert.DoesNotContain("missing_15()", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_blocks_are_listed_as_editable_ranges()
    {
        var code = "a()\n# EVOLVE-BLOCK-START\nx = 1\ny = 2\n# EVOLVE-BLOCK-END\nb()\n# EVOLVE-BLOCK-START\nz = 3\n# EVOLVE-BLOCK-END\n# EVOLVE-BLOCK-START\n# EVOLVE-BLOCK-END\n";

        var text = PatchApplier.Apply(code, [new SearchReplaceEdit("w = 0", "w = 1")]).DescribeFailures();

        Assert.Contains("Only lines 3-4 and 8 and the empty EVOLVE-BLOCK after line 10 (between", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_successful_patch_has_no_feedback()
    {
        var result = PatchApplier.Apply(Program, [new SearchReplaceEdit("    total = 0", "    total = 1")]);

        Assert.True(result.Succeeded);
        Assert.Equal(string.Empty, result.DescribeFailures());
    }
}
