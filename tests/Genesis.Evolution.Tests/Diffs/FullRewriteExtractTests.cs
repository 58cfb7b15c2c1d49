using Genesis.Diffs;

namespace Genesis.Tests.Diffs;

public sealed class FullRewriteExtractTests
{
    [Fact]
    public void The_last_block_tagged_with_the_language_wins_over_later_untagged_blocks()
    {
        var answer = "Idea first:\n```python\nold = 1\n```\nThen:\n```python\nnew = 2\n```\nRun it with:\n```\npython main.py\n```\n";

        var result = FullRewrite.Extract(answer, ProgramLanguage.Python);

        Assert.True(result.Succeeded);
        Assert.Equal("new = 2\n", result.Code);
        Assert.Null(result.Reason);
    }

    [Theory]
    [InlineData("py", "python")]
    [InlineData("Python", "python")]
    [InlineData("python3", "python")]
    [InlineData("c++", "cpp")]
    [InlineData("cpp", "cpp")]
    [InlineData("js", "javascript")]
    [InlineData("ts", "typescript")]
    [InlineData("cs", "csharp")]
    [InlineData("c#", "csharp")]
    [InlineData("csharp", "csharp")]
    [InlineData("rs", "rust")]
    [InlineData("rust", "rust")]
    public void Language_aliases_tag_the_block(string tag, string language)
    {
        var answer = $"```{tag}\nwanted\n```\n```text\nnot wanted\n```";

        var result = FullRewrite.Extract(answer, ProgramLanguage.Find(language)!);

        Assert.Equal("wanted\n", result.Code);
    }

    [Fact]
    public void A_language_unknown_to_genesis_is_matched_by_name_and_extension()
    {
        var go = new ProgramLanguage("go", ".go", "//");

        Assert.Equal("package main\n", FullRewrite.Extract("```go\npackage main\n```\n```\nother\n```", go).Code);
    }

    [Fact]
    public void Without_a_tagged_block_the_last_fenced_block_is_taken()
    {
        var result = FullRewrite.Extract("```\nfirst\n```\n~~~text\nsecond\n~~~\n", ProgramLanguage.Rust);

        Assert.Equal("second\n", result.Code);
    }

    [Fact]
    public void Indentation_inside_the_block_is_kept_and_blank_edges_dropped()
    {
        var result = FullRewrite.Extract("```python\n\n\ndef f():\n    return 1\n\n```", ProgramLanguage.Python);

        Assert.Equal("def f():\n    return 1\n", result.Code);
    }

    [Fact]
    public void A_longer_fence_can_contain_a_shorter_one()
    {
        var result = FullRewrite.Extract("````python\ns = '''\n```\n'''\n````", ProgramLanguage.Python);

        Assert.Equal("s = '''\n```\n'''\n", result.Code);
    }

    [Fact]
    public void A_code_tag_wrapping_a_fence_narrows_the_search()
    {
        var answer = "<NAME>x</NAME>\n<DESCRIPTION>\n```python\nnot this\n```\n</DESCRIPTION>\n<CODE>\n```python\nthis = 1\n```\n</CODE>\n```python\nnor this\n```";

        Assert.Equal("this = 1\n", FullRewrite.Extract(answer, ProgramLanguage.Python).Code);
    }

    [Fact]
    public void A_code_tag_without_a_fence_is_the_program()
    {
        var result = FullRewrite.Extract("Here:\n<CODE>\nx = 1\r\ny = 2\n</CODE>", ProgramLanguage.Python);

        Assert.Equal("x = 1\ny = 2\n", result.Code);
    }

    [Fact]
    public void An_unclosed_code_tag_without_a_fence_is_truncated()
    {
        var result = FullRewrite.Extract("<CODE>\nx = 1\ny = [1,", ProgramLanguage.Python);

        Assert.False(result.Succeeded);
        Assert.StartsWith("truncated: the <CODE> block is not closed", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unclosed_code_tag_around_a_closed_fence_is_fine()
    {
        Assert.Equal("x = 1\n", FullRewrite.Extract("<CODE>\n```python\nx = 1\n```\n", ProgramLanguage.Python).Code);
    }

    [Fact]
    public void An_unclosed_fence_is_a_truncated_answer()
    {
        var result = FullRewrite.Extract("Here is the program:\n```python\ndef f():\n    return [1, 2,", ProgramLanguage.Python);

        Assert.False(result.Succeeded);
        Assert.Null(result.Code);
        Assert.StartsWith("truncated: the code block is not closed", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_unclosed_fence_after_a_complete_block_is_ignored()
    {
        Assert.Equal("x = 1\n", FullRewrite.Extract("```python\nx = 1\n```\n```\n", ProgramLanguage.Python).Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t\n")]
    public void An_empty_answer_is_a_failure(string answer)
    {
        var result = FullRewrite.Extract(answer, ProgramLanguage.Python);

        Assert.StartsWith("empty answer", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_code_block_is_a_failure()
    {
        Assert.Equal("the code block is empty.", FullRewrite.Extract("```python\n\n```", ProgramLanguage.Python).Reason);
    }

    [Fact]
    public void Prose_without_a_code_block_is_a_failure_that_says_how_to_answer()
    {
        var result = FullRewrite.Extract("I would use a heap here.", ProgramLanguage.CSharp);

        Assert.Equal("no code block: put the complete program in a single fenced block that starts with ```csharp and ends with ```.", result.Reason);
    }

    [Fact]
    public void A_bare_program_with_markers_is_accepted_without_a_fence()
    {
        var answer = "import math\n# EVOLVE-BLOCK-START\nx = 2\n# EVOLVE-BLOCK-END\n";

        Assert.Equal(answer, FullRewrite.Extract(answer, ProgramLanguage.Python).Code);
    }
}
