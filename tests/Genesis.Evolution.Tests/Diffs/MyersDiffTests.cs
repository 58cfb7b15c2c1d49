using FsCheck.Fluent;
using Genesis.Diffs;

namespace Genesis.Tests.Diffs;

public sealed class MyersDiffTests
{
    [Fact]
    public void The_kept_lines_form_a_longest_common_subsequence()
    {
        var sequence = Gen.ListOf(Gen.Choose(0, 4)).Select(list => list.ToArray());
        var generator = from a in sequence from b in sequence select (a, b);

        Property.Check(generator, input =>
        {
            var (keptA, keptB) = MyersDiff.Compute(input.a, input.b);

            var commonA = input.a.Where((_, i) => keptA[i]).ToArray();
            var commonB = input.b.Where((_, i) => keptB[i]).ToArray();
            Assert.Equal(commonA, commonB);
            Assert.Equal(DynamicProgrammingLcs(input.a, input.b), commonA.Length);
        }, maxTest: 1000);
    }

    [Fact]
    public void Disjoint_and_empty_sequences_keep_nothing()
    {
        var (keptA, keptB) = MyersDiff.Compute([1, 2, 3], [4, 5]);
        Assert.DoesNotContain(true, keptA);
        Assert.DoesNotContain(true, keptB);

        var (emptyA, emptyB) = MyersDiff.Compute([], [1]);
        Assert.Empty(emptyA);
        Assert.Equal([false], emptyB);
    }

    private static int DynamicProgrammingLcs(int[] a, int[] b)
    {
        var table = new int[a.Length + 1, b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                table[i, j] = a[i - 1] == b[j - 1] ? table[i - 1, j - 1] + 1 : Math.Max(table[i - 1, j], table[i, j - 1]);
            }
        }

        return table[a.Length, b.Length];
    }
}
