using System.Text;
using Genesis.Execution;

namespace Genesis.Execution.Tests.Evaluation;

public sealed class OutputTailTests
{
    [Fact]
    public void Only_the_last_forty_lines_are_kept()
    {
        var text = string.Join('\n', Enumerable.Range(0, 100).Select(i => $"<line {i:000}>")) + "\n";

        var tail = OutputTail.Of(text);

        var lines = tail.Split('\n');
        Assert.Equal(40, lines.Length);
        Assert.Equal("<line 060>", lines[0]);
        Assert.Equal("<line 099>", lines[^1]);
    }

    [Fact]
    public void Long_lines_are_cut_to_four_kilobytes_from_the_end_without_splitting_characters()
    {
        var text = string.Concat(Enumerable.Repeat("é🚀", 3000)) + "END";

        var tail = OutputTail.Of(text);

        Assert.True(Encoding.UTF8.GetByteCount(tail) <= OutputTail.MaxBytes);
        Assert.EndsWith("END", tail, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', tail);
        Assert.False(char.IsLowSurrogate(tail[0]));
    }

    [Fact]
    public void Short_text_is_kept_whole()
    {
        Assert.Equal("one\ntwo", OutputTail.Of("one\ntwo\n\n"));
        Assert.Equal(string.Empty, OutputTail.Of(string.Empty));
    }
}
