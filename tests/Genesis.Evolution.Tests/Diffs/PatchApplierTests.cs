using Genesis.Blocks;
using Genesis.Diffs;

namespace Genesis.Tests.Diffs;

public sealed class PatchApplierTests
{
    // Lines: 1 import, 2 blank, 3 START, 4-8 the block, 9 END, 10 blank, 11-12 fixed.
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

    private static PatchResult Apply(string code, params SearchReplaceEdit[] edits) => PatchApplier.Apply(code, edits);

    [Fact]
    public void An_exact_match_inside_the_block_is_replaced_and_the_frame_kept()
    {
        var result = Apply(Program, new SearchReplaceEdit("        total += i", "        total += i * i"));

        Assert.True(result.Succeeded);
        Assert.Equal(Program.Replace("total += i\n", "total += i * i\n", StringComparison.Ordinal), result.Code);
        Assert.Equal(1, result.AppliedCount);
        Assert.Empty(result.Failures);
        Assert.Equal(string.Empty, result.DescribeFailures());
    }

    [Fact]
    public void Trailing_whitespace_is_ignored_in_the_program_and_the_edit_and_untouched_lines_keep_theirs()
    {
        var code = "# EVOLVE-BLOCK-START\nx = 1   \ny = 2\t\nz = 3  \n# EVOLVE-BLOCK-END\n";

        var result = Apply(code, new SearchReplaceEdit("x = 1\ny = 2   ", "x = 10  \ny = 20"));

        Assert.True(result.Succeeded);
        Assert.Equal("# EVOLVE-BLOCK-START\nx = 10\ny = 20\nz = 3  \n# EVOLVE-BLOCK-END\n", result.Code);
    }

    [Fact]
    public void Crlf_programs_and_edits_match_and_the_result_uses_lf()
    {
        var code = Program.ReplaceLineEndings("\r\n");

        var result = Apply(code, new SearchReplaceEdit("    total = 0\r\n    for i in range(n):", "    total = 1\r\n    for i in range(n):"));

        Assert.True(result.Succeeded);
        Assert.Equal(Program.Replace("total = 0", "total = 1", StringComparison.Ordinal), result.Code);
    }

    [Fact]
    public void A_missing_final_newline_stays_missing()
    {
        var result = Apply("a = 1\nb = 2", new SearchReplaceEdit("b = 2", "b = 3"));

        Assert.Equal("a = 1\nb = 3", result.Code);
    }

    [Fact]
    public void A_search_with_the_wrong_indentation_matches_and_the_replacement_is_reindented()
    {
        var result = Apply(Program, new SearchReplaceEdit(
            "for i in range(n):\n    total += i",
            "for i in range(1, n):\n    if i % 2:\n        total += i"));

        Assert.True(result.Succeeded);
        Assert.Contains("    for i in range(1, n):\n        if i % 2:\n            total += i\n    return total", result.Code, StringComparison.Ordinal);
    }

    [Fact]
    public void An_over_indented_search_is_dedented_in_the_replacement()
    {
        var result = Apply(Program, new SearchReplaceEdit(
            "            total = 0\n            for i in range(n):",
            "            total = 0\n        # outdented comment\n            for i in range(n - 1):"));

        Assert.True(result.Succeeded);
        Assert.Contains("    total = 0\n# outdented comment\n    for i in range(n - 1):\n", result.Code, StringComparison.Ordinal);
    }

    [Fact]
    public void Tab_indented_programs_take_their_indentation_for_spaces_in_the_edit()
    {
        var code = "// EVOLVE-BLOCK-START\nint F() {\n\treturn 1;\n}\n// EVOLVE-BLOCK-END\n";

        var result = Apply(code, new SearchReplaceEdit("    return 1;", "    var x = 2;\n    return x;"));

        Assert.Equal("// EVOLVE-BLOCK-START\nint F() {\n\tvar x = 2;\n\treturn x;\n}\n// EVOLVE-BLOCK-END\n", result.Code);
    }

    [Fact]
    public void Markers_copied_into_the_edit_are_dropped()
    {
        var result = Apply(Program, new SearchReplaceEdit(
            "# EVOLVE-BLOCK-START\ndef solve(n):",
            "# EVOLVE-BLOCK-START\ndef solve(n: int) -> int:"));

        Assert.True(result.Succeeded);
        Assert.Equal(Program.Replace("def solve(n):", "def solve(n: int) -> int:", StringComparison.Ordinal), result.Code);
    }

    [Fact]
    public void A_replacement_that_drops_a_copied_marker_does_not_delete_the_marker()
    {
        var result = Apply(Program, new SearchReplaceEdit("    return total\n# EVOLVE-BLOCK-END", "    return total + 1"));

        Assert.True(result.Succeeded);
        Assert.Contains("    return total + 1\n# EVOLVE-BLOCK-END\n", result.Code, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_search_inserts_at_the_end_of_the_last_block()
    {
        var code = "# EVOLVE-BLOCK-START\na = 1\n# EVOLVE-BLOCK-END\nfixed()\n# EVOLVE-BLOCK-START\nb = 2\n# EVOLVE-BLOCK-END\nmain()\n";

        var result = Apply(code, new SearchReplaceEdit("", "c = 3\nd = 4"));

        Assert.Equal("# EVOLVE-BLOCK-START\na = 1\n# EVOLVE-BLOCK-END\nfixed()\n# EVOLVE-BLOCK-START\nb = 2\nc = 3\nd = 4\n# EVOLVE-BLOCK-END\nmain()\n", result.Code);
    }

    [Fact]
    public void An_empty_program_receives_an_insertion_as_its_only_lines()
    {
        Assert.Equal("x = 1\ny = 2", Apply("", new SearchReplaceEdit("", "x = 1\ny = 2")).Code);
        Assert.Equal(PatchFailureKind.NotFound, Assert.Single(Apply("", new SearchReplaceEdit("x", "y")).Failures).Kind);
    }

    [Fact]
    public void An_empty_search_inserts_at_the_end_of_a_program_without_markers()
    {
        var result = Apply("a = 1\n", new SearchReplaceEdit("", "b = 2"));

        Assert.Equal("a = 1\nb = 2\n", result.Code);
    }

    [Fact]
    public void A_search_of_only_a_marker_line_inserts_at_the_end_of_the_last_block()
    {
        var result = Apply(Program, new SearchReplaceEdit("# EVOLVE-BLOCK-END", "print('done')\n# EVOLVE-BLOCK-END"));

        Assert.Contains("    return total\nprint('done')\n# EVOLVE-BLOCK-END\n", result.Code, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_block_can_receive_code_through_an_empty_search()
    {
        var result = Apply("head()\n# EVOLVE-BLOCK-START\n# EVOLVE-BLOCK-END\n", new SearchReplaceEdit("", "x = 1"));

        Assert.Equal("head()\n# EVOLVE-BLOCK-START\nx = 1\n# EVOLVE-BLOCK-END\n", result.Code);
    }

    [Fact]
    public void An_empty_replace_deletes_the_lines()
    {
        var result = Apply(Program, new SearchReplaceEdit("    total = 0\n", ""));

        Assert.True(result.Succeeded);
        Assert.DoesNotContain("total = 0", result.Code, StringComparison.Ordinal);
    }

    [Fact]
    public void A_search_found_only_outside_the_blocks_is_rejected_with_the_lines_named()
    {
        var result = Apply(Program, new SearchReplaceEdit("import math", "import numpy"));

        Assert.False(result.Succeeded);
        Assert.Null(result.Code);
        var failure = Assert.Single(result.Failures);
        Assert.Equal(0, failure.Index);
        Assert.Equal(PatchFailureKind.OutsideBlocks, failure.Kind);
        Assert.Contains("line 1", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("outside the EVOLVE-BLOCKs", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_multi_line_search_in_the_frame_is_rejected()
    {
        var result = Apply(Program, new SearchReplaceEdit("if __name__ == \"__main__\":\n    print(solve(10))", "print(solve(20))"));

        var failure = Assert.Single(result.Failures);
        Assert.Equal(PatchFailureKind.OutsideBlocks, failure.Kind);
        Assert.Contains("lines 11-12", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_text_occurs_in_the_frame_and_in_a_block_the_block_occurrence_is_used()
    {
        var code = "x = 1\n# EVOLVE-BLOCK-START\ny = 0\nx = 1\n# EVOLVE-BLOCK-END\nx = 1\n";

        var result = Apply(code, new SearchReplaceEdit("x = 1", "x = 2"));

        Assert.Equal("x = 1\n# EVOLVE-BLOCK-START\ny = 0\nx = 2\n# EVOLVE-BLOCK-END\nx = 1\n", result.Code);
    }

    [Fact]
    public void An_exact_match_in_the_frame_loses_to_an_indentation_insensitive_match_in_a_block()
    {
        var code = "x = 1\ndef f():\n    # EVOLVE-BLOCK-START\n    x = 1\n    # EVOLVE-BLOCK-END\n";

        var result = Apply(code, new SearchReplaceEdit("x = 1", "x = 2"));

        Assert.Equal("x = 1\ndef f():\n    # EVOLVE-BLOCK-START\n    x = 2\n    # EVOLVE-BLOCK-END\n", result.Code);
    }

    [Fact]
    public void The_first_occurrence_inside_the_blocks_is_replaced()
    {
        var code = "# EVOLVE-BLOCK-START\nf()\ng()\nf()\n# EVOLVE-BLOCK-END\n";

        var result = Apply(code, new SearchReplaceEdit("f()", "h()"));

        Assert.Equal("# EVOLVE-BLOCK-START\nh()\ng()\nf()\n# EVOLVE-BLOCK-END\n", result.Code);
    }

    [Fact]
    public void A_search_spanning_two_blocks_and_the_frame_between_them_is_rejected()
    {
        var code = "# EVOLVE-BLOCK-START\na = 1\n# EVOLVE-BLOCK-END\nfixed()\n# EVOLVE-BLOCK-START\nb = 2\n# EVOLVE-BLOCK-END\n";

        var result = Apply(code, new SearchReplaceEdit(
            "a = 1\n# EVOLVE-BLOCK-END\nfixed()\n# EVOLVE-BLOCK-START\nb = 2",
            "a = 1\nb = 3"));

        Assert.False(result.Succeeded);
        Assert.Equal(PatchFailureKind.NotFound, Assert.Single(result.Failures).Kind);
    }

    [Fact]
    public void Edits_in_repeated_blocks_apply_in_order_each_against_the_previous_result()
    {
        var code = "# EVOLVE-BLOCK-START\na = 1\n# EVOLVE-BLOCK-END\nfixed()\n// EVOLVE-BLOCK-START\nb = 2\n// EVOLVE-BLOCK-END\n";

        var result = Apply(
            code,
            new SearchReplaceEdit("b = 2", "b = 3"),
            new SearchReplaceEdit("a = 1", "a = 4"),
            new SearchReplaceEdit("b = 3", "b = a"));

        Assert.Equal("# EVOLVE-BLOCK-START\na = 4\n# EVOLVE-BLOCK-END\nfixed()\n// EVOLVE-BLOCK-START\nb = a\n// EVOLVE-BLOCK-END\n", result.Code);
        Assert.Equal(3, result.AppliedCount);
    }

    [Fact]
    public void Lines_inside_a_nested_block_are_editable_and_the_inner_markers_stay()
    {
        var code = "# EVOLVE-BLOCK-START\na = 1\n# EVOLVE-BLOCK-START\nb = 2\n# EVOLVE-BLOCK-END\nc = 3\n# EVOLVE-BLOCK-END\n";

        var result = Apply(code, new SearchReplaceEdit("b = 2", "b = 5"), new SearchReplaceEdit("c = 3", "c = 6"));

        Assert.Equal("# EVOLVE-BLOCK-START\na = 1\n# EVOLVE-BLOCK-START\nb = 5\n# EVOLVE-BLOCK-END\nc = 6\n# EVOLVE-BLOCK-END\n", result.Code);
    }

    [Fact]
    public void Blank_lines_around_the_search_that_the_program_lacks_are_ignored()
    {
        var result = Apply(Program, new SearchReplaceEdit("\n    return total\n\n", "\n    return total * 2\n\n"));

        Assert.True(result.Succeeded);
        Assert.Equal(Program.Replace("return total\n", "return total * 2\n", StringComparison.Ordinal), result.Code);
    }

    [Fact]
    public void Every_failing_edit_is_reported_with_its_index_and_the_others_still_count()
    {
        var result = Apply(
            Program,
            new SearchReplaceEdit("    totl = 0", "    total = 1"),
            new SearchReplaceEdit("    return total", "    return total + 1"),
            new SearchReplaceEdit("import math", "import cmath"));

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.EditCount);
        Assert.Equal(1, result.AppliedCount);
        Assert.Equal([0, 2], result.Failures.Select(f => f.Index!.Value));
        Assert.Equal([PatchFailureKind.NotFound, PatchFailureKind.OutsideBlocks], result.Failures.Select(f => f.Kind));
    }

    [Fact]
    public void A_not_found_search_gets_the_closest_lines_with_line_number_similarity_and_first_difference()
    {
        var result = Apply(Program, new SearchReplaceEdit("    for i in range(m):\n        total += i", "    for i in range(n):\n        total -= i"));

        var failure = Assert.Single(result.Failures);
        Assert.Equal(PatchFailureKind.NotFound, failure.Kind);
        var closest = Assert.IsType<ClosestMatch>(failure.ClosestMatch);
        Assert.Equal(6, closest.LineNumber);
        Assert.Equal(["    for i in range(n):", "        total += i"], closest.Lines);
        Assert.InRange(closest.Similarity, 0.9, 0.99);
        Assert.Equal("SEARCH line 1 is `for i in range(m):` but line 6 of the program is `for i in range(n):`.", closest.FirstDifference);
    }

    [Fact]
    public void The_closest_match_is_searched_only_inside_the_blocks()
    {
        var result = Apply(Program, new SearchReplaceEdit("import mathh", "import cmath"));

        var closest = Assert.Single(result.Failures).ClosestMatch!;
        Assert.InRange(closest.LineNumber, 4, 8);
    }

    [Fact]
    public void A_search_running_past_the_end_of_the_block_says_so()
    {
        var result = Apply(Program, new SearchReplaceEdit("    return total\n# EVOLVE-BLOCK-END\n\nif __name__ == \"__main__\":", "    return 0"));

        var closest = Assert.Single(result.Failures).ClosestMatch!;
        Assert.Equal(8, closest.LineNumber);
        Assert.Equal(
            "The EVOLVE-BLOCK ends after line 8, but SEARCH has 2 more lines, from `if __name__ == \"__main__\":`; fixed lines after the block cannot be part of an edit.",
            closest.FirstDifference);
    }

    [Fact]
    public void A_large_block_and_a_long_missing_search_still_get_a_diagnosis()
    {
        var body = Enumerable.Range(0, 3000).Select(i => $"    value_{i} = compute({i}, {i % 7}, \"some fairly long argument text {i}\")").ToList();
        var code = "# EVOLVE-BLOCK-START\n" + string.Join('\n', body) + "\n# EVOLVE-BLOCK-END\n";
        var search = string.Join('\n', body.Skip(1500).Take(60).Select(line => line.Replace("compute", "compte", StringComparison.Ordinal)));

        var result = Apply(code, new SearchReplaceEdit(search, "    pass"));

        var closest = Assert.Single(result.Failures).ClosestMatch!;
        Assert.Equal(1502, closest.LineNumber);
        Assert.Equal(60, closest.Lines.Count);
    }

    [Fact]
    public void An_edit_whose_search_equals_its_replace_is_a_no_op_failure()
    {
        var result = Apply(Program, new SearchReplaceEdit("    total = 0  ", "    total = 0"), new SearchReplaceEdit("    return total", "    return -total"));

        var failure = Assert.Single(result.Failures);
        Assert.Equal(PatchFailureKind.NoChange, failure.Kind);
        Assert.Equal(0, failure.Index);
        Assert.Contains("changes nothing", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Edits_that_cancel_out_fail_because_the_program_is_unchanged()
    {
        var result = Apply(Program, new SearchReplaceEdit("    total = 0", "    total = 1"), new SearchReplaceEdit("    total = 1", "    total = 0"));

        var failure = Assert.Single(result.Failures);
        Assert.Null(failure.Index);
        Assert.Equal(PatchFailureKind.ProgramUnchanged, failure.Kind);
        Assert.Equal(2, result.AppliedCount);
        Assert.Equal("The patch was rejected. The edits leave the program exactly as it was.", result.DescribeFailures());
    }

    [Fact]
    public void No_edits_is_a_failure()
    {
        var result = PatchApplier.Apply(Program, []);

        Assert.Equal(PatchFailureKind.NoEdits, Assert.Single(result.Failures).Kind);
        Assert.Contains("no SEARCH/REPLACE edit", result.DescribeFailures(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_program_with_broken_markers_is_the_callers_mistake()
    {
        var error = Assert.Throws<ArgumentException>(() => Apply("# EVOLVE-BLOCK-START\nx = 1\n", new SearchReplaceEdit("x = 1", "x = 2")));

        Assert.Equal("code", error.ParamName);
        Assert.Contains("never closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_edit_is_the_callers_mistake()
    {
        Assert.Throws<ArgumentException>(() => PatchApplier.Apply(Program, [null!]));
    }

    [Fact]
    public void A_program_without_markers_is_editable_everywhere()
    {
        var result = Apply("import os\nprint(1)\n", new SearchReplaceEdit("import os", "import sys"));

        Assert.Equal("import sys\nprint(1)\n", result.Code);
    }

    [Fact]
    public void The_applied_program_keeps_its_layout()
    {
        var result = Apply(Program, new SearchReplaceEdit("def solve(n):", "def solve(n):\n    \"\"\"Sum below n.\"\"\""));

        var before = EvolveBlockLayout.Parse(Program);
        var after = EvolveBlockLayout.Parse(result.Code!);
        Assert.Null(before.FindFrameChange(after));
        Assert.Equal(before.FrameLines(), after.FrameLines());
    }
}
