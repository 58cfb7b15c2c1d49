using FsCheck.Fluent;
using Genesis.Blocks;
using Genesis.Tests.Diffs;

namespace Genesis.Tests.Blocks;

public sealed class EvolveBlockLayoutTests
{
    [Theory]
    [InlineData("# EVOLVE-BLOCK-START", "# EVOLVE-BLOCK-END")]
    [InlineData("## EVOLVE-BLOCK-START: the solver", "## EVOLVE-BLOCK-END")]
    [InlineData("// EVOLVE-BLOCK-START", "// EVOLVE-BLOCK-END")]
    [InlineData("/* EVOLVE-BLOCK-START */", "/* EVOLVE-BLOCK-END */")]
    [InlineData("-- EVOLVE-BLOCK-START", "-- EVOLVE-BLOCK-END")]
    [InlineData("; EVOLVE-BLOCK-START", ";; EVOLVE-BLOCK-END")]
    [InlineData("% EVOLVE-BLOCK-START", "% EVOLVE-BLOCK-END")]
    [InlineData("! EVOLVE-BLOCK-START", "! EVOLVE-BLOCK-END")]
    [InlineData("<!-- EVOLVE-BLOCK-START -->", "<!-- EVOLVE-BLOCK-END -->")]
    [InlineData("(* EVOLVE-BLOCK-START *)", "(* EVOLVE-BLOCK-END *)")]
    [InlineData("    #EVOLVE-BLOCK-START   ", "\t//   EVOLVE-BLOCK-END")]
    [InlineData("EVOLVE-BLOCK-START", "EVOLVE-BLOCK-END")]
    public void Markers_are_recognised_behind_any_common_comment_token(string start, string end)
    {
        var layout = EvolveBlockLayout.Parse($"fixed\n{start}\nbody\n{end}\nfixed\n");

        Assert.Null(layout.Error);
        Assert.True(layout.HasMarkers);
        Assert.Equal([new BlockRange(2, 3)], layout.Blocks);
        Assert.Equal("body", layout.MutableText());
    }

    [Theory]
    [InlineData("x = 1  # EVOLVE-BLOCK-START")]
    [InlineData("print('EVOLVE-BLOCK-START')")]
    [InlineData("# EVOLVE-BLOCK-STARTED")]
    public void Markers_mentioned_inside_code_are_not_markers(string line)
    {
        Assert.False(EvolveBlockLayout.IsMarker(line));
    }

    [Fact]
    public void A_program_without_markers_is_one_block_of_every_line()
    {
        var layout = EvolveBlockLayout.Parse("a\nb\n");

        Assert.False(layout.HasMarkers);
        Assert.Equal([new BlockRange(0, 2)], layout.Blocks);
        Assert.Empty(layout.FrameLines());
        Assert.True(layout.IsMutableLine(1));
    }

    [Fact]
    public void Repeated_blocks_are_found_in_order()
    {
        var layout = EvolveBlockLayout.Parse("# EVOLVE-BLOCK-START\na\n# EVOLVE-BLOCK-END\nfixed\n# EVOLVE-BLOCK-START\nb\nc\n# EVOLVE-BLOCK-END\n");

        Assert.Equal([new BlockRange(1, 2), new BlockRange(5, 7)], layout.Blocks);
        Assert.Equal("a\nb\nc", layout.MutableText());
        Assert.Equal("b\nc", layout.BlockText(1));
        Assert.False(layout.IsMutableLine(3));
        Assert.Equal(new BlockRange(5, 7), layout.BlockOf(6));
        Assert.Null(layout.BlockOf(3));
    }

    [Fact]
    public void A_nested_block_counts_as_part_of_the_outermost_one()
    {
        var layout = EvolveBlockLayout.Parse("# EVOLVE-BLOCK-START\na\n# EVOLVE-BLOCK-START\nb\n# EVOLVE-BLOCK-END\nc\n# EVOLVE-BLOCK-END\n");

        Assert.Equal([new BlockRange(1, 6)], layout.Blocks);
    }

    [Fact]
    public void An_end_without_a_start_is_an_error()
    {
        var layout = EvolveBlockLayout.Parse("a\n# EVOLVE-BLOCK-END\n");

        Assert.Equal("EVOLVE-BLOCK-END on line 2 has no matching EVOLVE-BLOCK-START.", layout.Error);
        Assert.Empty(layout.Blocks);
    }

    [Fact]
    public void A_start_never_closed_is_an_error()
    {
        Assert.Equal("EVOLVE-BLOCK-START on line 1 is never closed by EVOLVE-BLOCK-END.", EvolveBlockLayout.Parse("# EVOLVE-BLOCK-START\na\n").Error);
    }

    [Fact]
    public void Lines_split_on_the_three_terminators_only()
    {
        Assert.Equal(["a", "b", "c", "d"], EvolveBlockLayout.SplitLines("a\r\nb\nc\rd"));
        Assert.Equal(["a", ""], EvolveBlockLayout.SplitLines("a\n\n"));
        Assert.Equal(["a"], EvolveBlockLayout.SplitLines("a\r\n"));
        Assert.Equal([""], EvolveBlockLayout.SplitLines(""));
        Assert.Equal(["x\fy\u2028z\u0085"], EvolveBlockLayout.SplitLines("x\fy\u2028z\u0085"));
    }

    [Fact]
    public void ParseLines_agrees_with_Parse()
    {
        var code = "a\n# EVOLVE-BLOCK-START\nb\n# EVOLVE-BLOCK-END\n";

        Assert.Equal(EvolveBlockLayout.Parse(code).Blocks, EvolveBlockLayout.ParseLines(["a", "# EVOLVE-BLOCK-START", "b", "# EVOLVE-BLOCK-END"]).Blocks);
    }

    [Fact]
    public void WithBlockContents_replaces_each_block_and_keeps_the_frame()
    {
        var layout = EvolveBlockLayout.Parse("h\n# EVOLVE-BLOCK-START\na\n# EVOLVE-BLOCK-END\nm\n# EVOLVE-BLOCK-START\n# EVOLVE-BLOCK-END\nt");

        var code = layout.WithBlockContents(["x\ny", "z"]);

        Assert.Equal("h\n# EVOLVE-BLOCK-START\nx\ny\n# EVOLVE-BLOCK-END\nm\n# EVOLVE-BLOCK-START\nz\n# EVOLVE-BLOCK-END\nt", code);
        Assert.Throws<ArgumentException>(() => layout.WithBlockContents(["only one"]));
    }

    [Fact]
    public void WithBlockContents_of_the_block_texts_changes_nothing_even_with_blank_last_lines()
    {
        Property.Check(ProgramGen.Program, program =>
        {
            var layout = EvolveBlockLayout.Parse(program.Code);

            var same = layout.WithBlockContents(Enumerable.Range(0, layout.Blocks.Count).Select(layout.BlockText).ToList());

            Assert.Equal(program.Code, same + "\n");
        });
    }

    [Fact]
    public void FrameLines_are_the_fixed_lines_and_markers()
    {
        var layout = EvolveBlockLayout.Parse("h\n# EVOLVE-BLOCK-START\na\n# EVOLVE-BLOCK-END\nt\n");

        Assert.Equal(["h", "# EVOLVE-BLOCK-START", "# EVOLVE-BLOCK-END", "t"], layout.FrameLines());
    }

    [Theory]
    [InlineData("h\n# EVOLVE-BLOCK-START\nchanged\nmore\n# EVOLVE-BLOCK-END\nt  \n", null)]
    [InlineData("H\n# EVOLVE-BLOCK-START\na\n# EVOLVE-BLOCK-END\nt\n", "the fixed line `h` outside the EVOLVE-BLOCKs was changed to `H`")]
    [InlineData("h\n# EVOLVE-BLOCK-START\na\n# EVOLVE-BLOCK-END\nt\nextra\n", "the number of fixed lines outside the EVOLVE-BLOCKs changed from 4 to 5")]
    [InlineData("h\na\nt\n", "the EVOLVE-BLOCK markers were removed")]
    [InlineData("h\n# EVOLVE-BLOCK-START\na\n# EVOLVE-BLOCK-END\n# EVOLVE-BLOCK-START\n# EVOLVE-BLOCK-END\nt\n", "the program must keep its 1 EVOLVE-BLOCK(s) but now has 2")]
    [InlineData("h\n# EVOLVE-BLOCK-START\na\nt\n", "the EVOLVE-BLOCK markers are broken: EVOLVE-BLOCK-START on line 2 is never closed by EVOLVE-BLOCK-END.")]
    public void FindFrameChange_explains_what_changed_outside_the_blocks(string candidate, string? expected)
    {
        var original = EvolveBlockLayout.Parse("h\n# EVOLVE-BLOCK-START\na\n# EVOLVE-BLOCK-END\nt\n");

        Assert.Equal(expected, original.FindFrameChange(EvolveBlockLayout.Parse(candidate)));
    }

    [Fact]
    public void Markers_added_to_a_program_without_markers_change_its_frame()
    {
        var original = EvolveBlockLayout.Parse("a\n");

        Assert.Equal(
            "EVOLVE-BLOCK markers were added to a program that has none",
            original.FindFrameChange(EvolveBlockLayout.Parse("# EVOLVE-BLOCK-START\na\n# EVOLVE-BLOCK-END\n")));
        Assert.Null(original.FindFrameChange(EvolveBlockLayout.Parse("b\nc\n")));
    }

    [Fact]
    public void BlockRange_contains_its_content_lines_only()
    {
        var range = new BlockRange(3, 5);

        Assert.Equal(2, range.Length);
        Assert.False(range.Contains(2));
        Assert.True(range.Contains(3));
        Assert.True(range.Contains(4));
        Assert.False(range.Contains(5));
    }
}
