using FsCheck.Fluent;
using Genesis.Blocks;
using Genesis.Diffs;

namespace Genesis.Tests.Diffs;

public sealed class FullRewriteSpliceTests
{
    private const string Original = """
        import math

        # EVOLVE-BLOCK-START
        def solve(n):
            return n
        # EVOLVE-BLOCK-END

        if __name__ == "__main__":
            print(solve(10))

        """;

    private const string TwoBlocks = "head()\n# EVOLVE-BLOCK-START\na = 1\n# EVOLVE-BLOCK-END\nmiddle()\n# EVOLVE-BLOCK-START\nb = 2\n# EVOLVE-BLOCK-END\ntail()\n";

    [Fact]
    public void Only_the_block_contents_of_a_rewrite_with_markers_are_used()
    {
        var rewrite = """
            import numpy as np  # the model changed the frame

            # EVOLVE-BLOCK-START
            def solve(n):
                return n * (n - 1) // 2
            # EVOLVE-BLOCK-END
            """;

        var result = FullRewrite.Splice(Original, rewrite);

        Assert.True(result.Succeeded);
        Assert.Equal(Original.Replace("    return n\n", "    return n * (n - 1) // 2\n", StringComparison.Ordinal), result.Code);
    }

    [Fact]
    public void Each_block_of_a_rewrite_with_as_many_blocks_goes_to_its_place()
    {
        var rewrite = "// EVOLVE-BLOCK-START\na = 10\n// EVOLVE-BLOCK-END\n// EVOLVE-BLOCK-START\nb = 20\nc = 30\n// EVOLVE-BLOCK-END\n";

        var result = FullRewrite.Splice(TwoBlocks, rewrite);

        Assert.Equal("head()\n# EVOLVE-BLOCK-START\na = 10\n# EVOLVE-BLOCK-END\nmiddle()\n# EVOLVE-BLOCK-START\nb = 20\nc = 30\n# EVOLVE-BLOCK-END\ntail()\n", result.Code);
    }

    [Fact]
    public void A_rewrite_with_a_different_number_of_blocks_fails()
    {
        var result = FullRewrite.Splice(TwoBlocks, "# EVOLVE-BLOCK-START\nx = 1\n# EVOLVE-BLOCK-END\n");

        Assert.False(result.Succeeded);
        Assert.StartsWith("the rewritten program has 1 EVOLVE-BLOCK(s) but the original has 2", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rewrite_without_markers_is_the_new_content_of_a_single_block()
    {
        var result = FullRewrite.Splice(Original, "def solve(n):\n    return sum(range(n))\n");

        Assert.Equal(Original.Replace("    return n\n", "    return sum(range(n))\n", StringComparison.Ordinal), result.Code);
    }

    [Fact]
    public void A_rewrite_without_markers_that_repeats_the_frame_is_cut_at_the_frame_lines()
    {
        var rewrite = """
            import math
            def solve(n):
                return math.comb(n, 2)


            if __name__ == "__main__":
                print(solve(10))
            """;

        var result = FullRewrite.Splice(Original, rewrite);

        Assert.Equal(Original.Replace("    return n\n", "    return math.comb(n, 2)\n\n\n", StringComparison.Ordinal), result.Code);
    }

    [Fact]
    public void A_rewrite_that_repeats_only_the_frame_after_the_block_is_cut_there()
    {
        var result = FullRewrite.Splice(Original, "def solve(n):\n    return 0\nif __name__ == \"__main__\":\n    print(solve(10))\n");

        Assert.Equal(Original.Replace("    return n\n", "    return 0\n", StringComparison.Ordinal), result.Code);
    }

    [Fact]
    public void A_rewrite_that_repeats_the_frame_but_changes_it_fails()
    {
        var original = "import math\nimport os\n# EVOLVE-BLOCK-START\nx = 1\n# EVOLVE-BLOCK-END\n";

        var result = FullRewrite.Splice(original, "import math\nimport sys\nx = 2\n");

        Assert.False(result.Succeeded);
        Assert.Contains("the rewrite repeats the fixed code before the EVOLVE-BLOCK but changes some of it", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_closing_brace_after_the_block_is_not_mistaken_for_the_frame()
    {
        var original = "int f() {\n// EVOLVE-BLOCK-START\nreturn 1;\n// EVOLVE-BLOCK-END\n}\n";

        var result = FullRewrite.Splice(original, "if (x) {\n  return 2;\n}\n");

        Assert.Equal("int f() {\n// EVOLVE-BLOCK-START\nif (x) {\n  return 2;\n}\n// EVOLVE-BLOCK-END\n}\n", result.Code);
    }

    [Fact]
    public void A_rewrite_without_markers_for_several_blocks_fails()
    {
        var result = FullRewrite.Splice(TwoBlocks, "a = 5\nb = 6\n");

        Assert.StartsWith("the original program has 2 EVOLVE-BLOCKs but the rewrite has no markers", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rewrite_identical_to_the_original_fails()
    {
        var result = FullRewrite.Splice(Original, Original.ReplaceLineEndings("\r\n").Replace("\r\n", "  \r\n", StringComparison.Ordinal));

        Assert.StartsWith("the rewritten program is identical to the original", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rewrite_identical_in_its_blocks_fails()
    {
        var result = FullRewrite.Splice(Original, "import os\n# EVOLVE-BLOCK-START\ndef solve(n):\n    return n\n# EVOLVE-BLOCK-END\n");

        Assert.False(result.Succeeded);
    }

    [Fact]
    public void A_rewrite_with_broken_markers_fails()
    {
        var result = FullRewrite.Splice(Original, "# EVOLVE-BLOCK-START\nx = 1\n");

        Assert.StartsWith("the rewritten program's EVOLVE-BLOCK markers are malformed", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_original_without_markers_is_replaced_whole()
    {
        Assert.Equal("b = 2\n", FullRewrite.Splice("a = 1\n", "b = 2\n").Code);
        Assert.Equal("b = 2", FullRewrite.Splice("a = 1", "b = 2\n").Code);
    }

    [Fact]
    public void Markers_added_to_an_original_without_markers_fail()
    {
        var result = FullRewrite.Splice("a = 1\n", "# EVOLVE-BLOCK-START\nb = 2\n# EVOLVE-BLOCK-END\n");

        Assert.Equal("the rewritten program breaks the fixed frame: EVOLVE-BLOCK markers were added to a program that has none.", result.Reason);
    }

    [Fact]
    public void An_empty_rewrite_fails()
    {
        Assert.Equal("the rewritten program is empty.", FullRewrite.Splice(Original, " \n").Reason);
    }

    [Fact]
    public void An_original_with_broken_markers_is_the_callers_mistake()
    {
        var error = Assert.Throws<ArgumentException>(() => FullRewrite.Splice("# EVOLVE-BLOCK-END\n", "x"));

        Assert.Equal("original", error.ParamName);
    }

    [Fact]
    public void Apply_extracts_then_splices()
    {
        var answer = "Use the closed form.\n```python\n# EVOLVE-BLOCK-START\ndef solve(n):\n    return n * (n - 1) // 2\n# EVOLVE-BLOCK-END\n```";

        var result = FullRewrite.Apply(Original, answer, ProgramLanguage.Python);

        Assert.Equal(Original.Replace("    return n\n", "    return n * (n - 1) // 2\n", StringComparison.Ordinal), result.Code);
        Assert.StartsWith("truncated", FullRewrite.Apply(Original, "```python\nx", ProgramLanguage.Python).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Splicing_any_new_block_contents_keeps_the_frame()
    {
        var generator =
            from program in ProgramGen.Program
            from contents in Gen.ListOf(Gen.Choose(1, 4).SelectMany(n => Gen.ListOf(ProgramGen.BodyLine, n)), program.Blocks.Count)
            select (program, contents: contents.Select(c => (IReadOnlyList<string>)["changed()", .. c]).ToList());

        Property.Check(generator, input =>
        {
            var rewritten = new GeneratedProgram([.. input.program.Frames.Select(_ => (IReadOnlyList<string>)["ignored()"])], input.contents, "#");

            var result = FullRewrite.Splice(input.program.Code, rewritten.Code);

            Assert.True(result.Succeeded, result.Reason);
            var expected = new GeneratedProgram(input.program.Frames, input.contents, input.program.Comment);
            Assert.Equal(expected.Code, result.Code);
            Assert.Null(EvolveBlockLayout.Parse(input.program.Code).FindFrameChange(EvolveBlockLayout.Parse(result.Code)));
        });
    }
}
