using FsCheck;
using FsCheck.Fluent;
using Genesis.Diffs;

namespace Genesis.Tests.Diffs;

public sealed class SearchReplaceWriterTests
{
    [Fact]
    public void One_edit_is_rendered_in_the_canonical_format()
    {
        var text = SearchReplaceWriter.Format(new SearchReplaceEdit("x = 1\ny = 2", "x = 3"));

        Assert.Equal("<<<<<<< SEARCH\nx = 1\ny = 2\n=======\nx = 3\n>>>>>>> REPLACE\n", text);
    }

    [Fact]
    public void Several_edits_are_separated_by_a_blank_line_and_empty_sections_have_no_lines()
    {
        var text = SearchReplaceWriter.Format([new SearchReplaceEdit("", "a"), new SearchReplaceEdit("b\r\nc", "")]);

        Assert.Equal("<<<<<<< SEARCH\n=======\na\n>>>>>>> REPLACE\n\n<<<<<<< SEARCH\nb\nc\n=======\n>>>>>>> REPLACE\n", text);
    }

    [Fact]
    public void No_edits_render_as_nothing()
    {
        Assert.Equal(string.Empty, SearchReplaceWriter.Format([]));
    }

    [Fact]
    public void Format_then_parse_round_trips_any_edits()
    {
        var line =
            from chars in Gen.ArrayOf(Gen.Elements("ab =<>`#\t{}()é日 ".ToCharArray()))
            let text = new string(chars)
            where !IsSpecial(text)
            select text;
        var section =
            from count in Gen.Choose(0, 5)
            from lines in Gen.ListOf(line, count)
            select string.Join('\n', lines);
        var edits = Gen.ListOf(Gen.Zip(section, section).Select(pair => new SearchReplaceEdit(pair.Item1, pair.Item2)))
            .Select(list => list.ToList());

        Property.Check(edits, list =>
        {
            var parsed = SearchReplaceParser.Parse(SearchReplaceWriter.Format(list));

            Assert.Equal(list, parsed.Edits);
            Assert.Empty(parsed.Problems);
        });
    }

    /// <summary>Lines the format cannot carry: marker lines, and fence lines (which could unwrap a section).</summary>
    private static bool IsSpecial(string line)
    {
        var trimmed = line.Trim();
        return trimmed.StartsWith("<<<<<<<", StringComparison.Ordinal)
            || trimmed.StartsWith(">>>>>>>", StringComparison.Ordinal)
            || trimmed.StartsWith("=======", StringComparison.Ordinal)
            || trimmed.StartsWith("<DIFF>", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("```", StringComparison.Ordinal);
    }
}
