using FsCheck.Fluent;
using Genesis.Diffs;

namespace Genesis.Tests.Diffs;

public sealed class LcsPatternTests
{
    [Theory]
    [InlineData("", "", 0, 1.0)]
    [InlineData("abc", "", 0, 0.0)]
    [InlineData("abc", "abc", 3, 1.0)]
    [InlineData("abcd", "acbd", 3, 0.75)]
    [InlineData("for i in range(n):", "for i in range(m):", 17, 17.0 / 18)]
    public void Examples(string pattern, string text, int lcs, double ratio)
    {
        var prepared = new LcsPattern(pattern);

        Assert.Equal(lcs, prepared.LcsLength(text));
        Assert.Equal(ratio, prepared.Ratio(text), 12);
    }

    [Fact]
    public void The_bit_parallel_length_equals_the_dynamic_programming_one_across_word_boundaries()
    {
        var text = Gen.Choose(0, 200).SelectMany(n => Gen.ArrayOf(Gen.Elements('a', 'b', 'c', 'é'), n)).Select(chars => new string(chars));
        var generator = from pattern in text from other in text select (pattern, other);

        Property.Check(generator, input =>
        {
            Assert.Equal(Lcs(input.pattern, input.other), new LcsPattern(input.pattern).LcsLength(input.other));
        });
    }

    private static int Lcs(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        foreach (var c in a)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = c == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
