using System.Globalization;
using System.Text.RegularExpressions;
using FsCheck.Fluent;
using Genesis.Diffs;

namespace Genesis.Tests.Diffs;

public sealed partial class UnifiedDiffTests
{
    [Fact]
    public void Identical_texts_have_an_empty_diff()
    {
        Assert.Equal(string.Empty, UnifiedDiff.Create("a\nb\n", "a\nb\n"));
        Assert.Equal(string.Empty, UnifiedDiff.Create("a\r\nb\r\n", "a\nb\n"));
        Assert.Equal(string.Empty, UnifiedDiff.Create("", ""));
    }

    [Fact]
    public void A_changed_line_gets_one_hunk_with_context()
    {
        var diff = UnifiedDiff.Create("a\nb\nc\nd\ne\nf\n", "a\nb\nc\nD\ne\nf\n");

        Assert.Equal("--- before\n+++ after\n@@ -1,6 +1,6 @@\n a\n b\n c\n-d\n+D\n e\n f\n", diff);
    }

    [Fact]
    public void Context_is_limited_and_the_hunk_header_counts_its_lines()
    {
        var before = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line {i}")) + "\n";
        var after = before.Replace("line 10\n", "line ten\nline ten and a half\n", StringComparison.Ordinal);

        var diff = UnifiedDiff.Create(before, after, "a/program.py", "b/program.py", context: 2);

        Assert.Equal("--- a/program.py\n+++ b/program.py\n@@ -8,5 +8,6 @@\n line 8\n line 9\n-line 10\n+line ten\n+line ten and a half\n line 11\n line 12\n", diff);
    }

    [Fact]
    public void Changes_closer_than_twice_the_context_share_a_hunk_and_farther_ones_do_not()
    {
        var before = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"{i}")) + "\n";
        var near = before.Replace("\n5\n", "\nfive\n", StringComparison.Ordinal).Replace("\n12\n", "\ntwelve\n", StringComparison.Ordinal);
        var far = before.Replace("\n5\n", "\nfive\n", StringComparison.Ordinal).Replace("\n13\n", "\nthirteen\n", StringComparison.Ordinal);

        Assert.Equal(1, HunkHeader().Count(UnifiedDiff.Create(before, near)));
        Assert.Equal(2, HunkHeader().Count(UnifiedDiff.Create(before, far)));
    }

    [Fact]
    public void Zero_context_shows_only_changed_lines()
    {
        Assert.Equal("--- before\n+++ after\n@@ -2 +2 @@\n-b\n+B\n", UnifiedDiff.Create("a\nb\nc\n", "a\nB\nc\n", context: 0));
    }

    [Fact]
    public void Pure_insertions_and_deletions_name_the_line_before_an_empty_range()
    {
        Assert.Equal("--- before\n+++ after\n@@ -0,0 +1 @@\n+x\n", UnifiedDiff.Create("", "x\n"));
        Assert.Equal("--- before\n+++ after\n@@ -1,2 +0,0 @@\n-x\n-y\n", UnifiedDiff.Create("x\ny\n", ""));
        Assert.Equal("--- before\n+++ after\n@@ -1,0 +2 @@\n+b\n", UnifiedDiff.Create("a\n", "a\nb\n", context: 0));
    }

    [Fact]
    public void A_missing_final_newline_is_a_difference_and_is_marked()
    {
        Assert.Equal(
            "--- before\n+++ after\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n",
            UnifiedDiff.Create("a", "a\n"));
        Assert.Equal(
            "--- before\n+++ after\n@@ -1,2 +1,2 @@\n-x\n+y\n z\n\\ No newline at end of file\n",
            UnifiedDiff.Create("x\nz", "y\nz"));
    }

    [Fact]
    public void A_negative_context_is_the_callers_mistake()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UnifiedDiff.Create("a", "b", context: -1));
    }

    [Fact]
    public void The_diff_of_two_large_unrelated_texts_stays_fast_and_correct()
    {
        var before = string.Join('\n', Enumerable.Range(0, 3000).Select(i => string.Create(CultureInfo.InvariantCulture, $"a{i % 97}"))) + "\n";
        var after = string.Join('\n', Enumerable.Range(0, 3000).Select(i => string.Create(CultureInfo.InvariantCulture, $"a{(i * 7) % 89}"))) + "\n";

        var diff = UnifiedDiff.Create(before, after);

        Assert.Equal(after, Patch(before, diff));
    }

    [Fact]
    public void Applying_the_diff_of_any_two_texts_to_the_first_gives_the_second()
    {
        var text =
            from lines in Gen.ListOf(Gen.Elements("a", "b", "c", "", "  d", "e e"))
            from newline in Gen.Elements(true, false)
            select lines.Count == 0 ? "" : string.Join('\n', lines) + (newline ? "\n" : "");
        var generator = from before in text from after in text from context in Gen.Choose(0, 4) select (before, after, context);

        Property.Check(generator, input =>
        {
            var diff = UnifiedDiff.Create(input.before, input.after, input.context);

            Assert.Equal(input.after, Patch(input.before, diff));
            Assert.Equal(input.before == input.after, diff.Length == 0);
        }, maxTest: 500);
    }

    /// <summary>A small unified-diff applier: checks every hunk's counts and context, then rebuilds the new text.</summary>
    private static string Patch(string before, string diff)
    {
        if (diff.Length == 0)
        {
            return before;
        }

        var aOpen = before.Length > 0 && !before.EndsWith('\n');
        var a = before.Length == 0 ? [] : (aOpen ? before : before[..^1]).Split('\n');
        var lines = diff.Split('\n');
        Assert.StartsWith("--- ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("+++ ", lines[1], StringComparison.Ordinal);
        Assert.Equal(string.Empty, lines[^1]);
        var output = new List<string>();
        var outputOpen = false;
        var position = 0;
        var i = 2;
        while (i < lines.Length - 1)
        {
            var header = HunkHeader().Match(lines[i++]);
            Assert.True(header.Success, lines[i - 1]);
            var aCount = Count(header.Groups["ac"]);
            var bCount = Count(header.Groups["bc"]);
            var aStart = int.Parse(header.Groups["as"].Value, CultureInfo.InvariantCulture);
            var start = aCount == 0 ? aStart : aStart - 1;
            Assert.True(start >= position);
            output.AddRange(a[position..start]);
            position = start;
            var (seenA, seenB) = (0, 0);
            var last = ' ';
            for (; i < lines.Length - 1 && !lines[i].StartsWith('@'); i++)
            {
                var kind = lines[i][0];
                var textLine = lines[i][1..];
                switch (kind)
                {
                    case ' ':
                        Assert.Equal(a[position++], textLine);
                        output.Add(textLine);
                        (seenA, seenB) = (seenA + 1, seenB + 1);
                        break;
                    case '-':
                        Assert.Equal(a[position++], textLine);
                        seenA++;
                        break;
                    case '+':
                        output.Add(textLine);
                        seenB++;
                        break;
                    default:
                        Assert.Equal(UnifiedDiff.NoNewlineMarker, lines[i]);
                        outputOpen |= last is ' ' or '+';
                        continue;
                }

                last = kind;
            }

            Assert.Equal(aCount, seenA);
            Assert.Equal(bCount, seenB);
        }

        if (position < a.Length)
        {
            output.AddRange(a[position..]);
            outputOpen = aOpen;
        }

        return output.Count == 0 ? "" : string.Join('\n', output) + (outputOpen ? "" : "\n");

        static int Count(Group group) => group.Success ? int.Parse(group.Value, CultureInfo.InvariantCulture) : 1;
    }

    [GeneratedRegex(@"^@@ -(?<as>\d+)(?:,(?<ac>\d+))? \+(?<bs>\d+)(?:,(?<bc>\d+))? @@$", RegexOptions.Multiline)]
    private static partial Regex HunkHeader();
}
