using FsCheck;
using FsCheck.Fluent;
using Genesis.Blocks;
using Genesis.Mutation;
using static Genesis.Tests.Mutation.Offline.OfflinePrograms;

namespace Genesis.Tests.Mutation.Offline;

public sealed class BlockCrossoverMutatorTests
{
    private static readonly List<List<string>> Frames = [["import math", "N = 3"], ["def middle():", "    return 1"], ["x = 9"], ["print(N)"]];

    [Fact]
    public async Task Without_a_second_parent_the_proposal_fails()
    {
        var proposal = await new BlockCrossoverMutator().MutateAsync(Context(Program(1, "x = 1"), new Random(1)));
        Assert.Equal(BlockCrossoverMutator.NoInspirationError, proposal.Error);
        Assert.Equal(MutationKind.BlockCrossover, proposal.Kind);
    }

    [Fact]
    public async Task Identical_blocks_cannot_make_a_child()
    {
        var code = Assemble(Frames[..3], [["a = 1"], ["b = 2"]]);
        var otherFrame = Assemble([["# other frame"], [], []], [["a = 1"], ["b = 2"]]);
        var proposal = await new BlockCrossoverMutator().MutateAsync(Context(Program(1, code), new Random(1), null, Program(2, otherFrame)));
        Assert.Equal(BlockCrossoverMutator.ProducedParentError, proposal.Error);
        Assert.Null(proposal.Code);
    }

    [Fact]
    public async Task An_empty_block_from_the_other_parent_stays_empty()
    {
        var parent = Program(1, Assemble(Frames[..3], [["a = 1"], ["b = 2"]]) + "\n");
        var other = Program(2, Assemble(Frames[..3], [[], ["b = 2"]]));
        var proposal = await new BlockCrossoverMutator().MutateAsync(Context(parent, new Random(1), null, other));
        Assert.Equal(Assemble(Frames[..3], [[], ["b = 2"]]) + "\n", proposal.Code);
        Assert.Equal("block crossover of #1 with #2: block 1 from #2; block 2 from #1", proposal.Diff);
    }

    [Fact]
    public async Task Different_block_counts_fail_with_a_reason()
    {
        var two = Assemble(Frames[..3], [["a = 1"], ["b = 2"]]);
        var three = Assemble(Frames, [["a = 1"], ["b = 2"], ["c = 3"]]);
        var proposal = await new BlockCrossoverMutator().MutateAsync(Context(Program(1, two), new Random(1), null, Program(2, three)));
        Assert.Contains("same number of EVOLVE-BLOCKs", proposal.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_several_blocks_each_comes_whole_from_one_parent_and_both_contribute()
    {
        List<List<string>> mine = [["a = 1", "a += 1"], ["b = 2"], ["c = 3"]];
        List<List<string>> theirs = [["a = 10"], ["b = 20", "b *= 2"], ["c = 30"]];
        var parent = Program(1, Assemble(Frames, mine));
        var other = Program(2, Assemble([["# a different frame"], [], [], []], theirs));
        var patterns = new HashSet<string>();
        for (var seed = 0; seed < 100; seed++)
        {
            var proposal = await new BlockCrossoverMutator().MutateAsync(Context(parent, new Random(seed), null, other));
            Assert.True(proposal.Succeeded, proposal.Error);
            var child = EvolveBlockLayout.Parse(proposal.Code!);
            Assert.Equal(3, child.Blocks.Count);
            var pattern = string.Concat(Enumerable.Range(0, 3).Select(b =>
                child.BlockText(b) == string.Join('\n', mine[b]) ? 'P' : child.BlockText(b) == string.Join('\n', theirs[b]) ? 'O' : '?'));
            Assert.DoesNotContain('?', pattern);
            Assert.Contains('P', pattern);
            Assert.Contains('O', pattern);
            Assert.Equal(FrameOf(parent.Code), FrameOf(proposal.Code!));
            Assert.StartsWith("block crossover of #1 with #2:", proposal.Diff, StringComparison.Ordinal);
            patterns.Add(pattern);
        }

        Assert.Equal(6, patterns.Count); // every mix except all-P and all-O
    }

    [Fact]
    public async Task A_single_block_of_equal_length_is_crossed_line_by_line()
    {
        var parent = Program(1, Assemble(Frames[..2], [["a = 1", "b = 2", "c = 3", "d = 4"]]));
        var other = Program(2, Assemble(Frames[..2], [["a = 10", "b = 2", "c = 30", "d = 40"]]));
        var seen = new HashSet<string>();
        for (var seed = 0; seed < 100; seed++)
        {
            var proposal = await new BlockCrossoverMutator().MutateAsync(Context(parent, new Random(seed), null, other));
            var lines = EvolveBlockLayout.Parse(proposal.Code!).BlockText(0).Split('\n');
            Assert.Equal(4, lines.Length);
            Assert.Equal("b = 2", lines[1]);
            Assert.True(lines[0] is "a = 1" or "a = 10", lines[0]);
            Assert.True(lines[2] is "c = 3" or "c = 30", lines[2]);
            Assert.True(lines[3] is "d = 4" or "d = 40", lines[3]);
            Assert.NotEqual(parent.Code, proposal.Code);
            Assert.NotEqual(other.Code, proposal.Code); // both contribute among the three differing lines
            Assert.StartsWith("uniform line crossover", proposal.Diff, StringComparison.Ordinal);
            seen.Add(string.Join('|', lines));
        }

        Assert.Equal(6, seen.Count);
    }

    [Fact]
    public async Task A_single_block_of_different_length_gets_a_one_point_crossover()
    {
        string[] mine = ["p0", "p1", "p2", "p3", "p4"];
        string[] theirs = ["o0", "o1", "o2"];
        var parent = Program(1, Assemble(Frames[..2], [[.. mine]]));
        var other = Program(2, Assemble(Frames[..2], [[.. theirs]]));
        for (var seed = 0; seed < 50; seed++)
        {
            var proposal = await new BlockCrossoverMutator().MutateAsync(Context(parent, new Random(seed), null, other));
            var lines = EvolveBlockLayout.Parse(proposal.Code!).BlockText(0).Split('\n');
            var cut = Enumerable.Range(0, lines.Length).FirstOrDefault(i => lines[i][0] != lines[0][0], lines.Length);
            var head = lines[0][0] == 'p' ? mine : theirs;
            var tail = head == mine ? theirs : mine;
            Assert.Equal(head.Take(cut).Concat(tail.Skip(cut)), lines);
            Assert.NotEqual(mine, lines);
            Assert.StartsWith("one-point crossover", proposal.Diff, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Block_lines_come_from_the_two_parents_and_the_frame_is_intact()
    {
        var mutator = new BlockCrossoverMutator();
        var cases = from layout in Layouts(1, 3)
                    from others in BlockContents(layout.Blocks.Count)
                    from seed in Gen.Choose(0, int.MaxValue)
                    select (layout.Frames, layout.Blocks, Others: others, Seed: seed);
        Prop.ForAll(Arb.From(cases), c =>
        {
            var parent = Program(1, Assemble(c.Frames, c.Blocks));
            var other = Program(2, Assemble(c.Frames.Select(_ => new List<string> { "# other" }).ToList(), c.Others));
            var proposal = mutator.MutateAsync(Context(parent, new Random(c.Seed), null, other)).AsTask().GetAwaiter().GetResult();
            var sameBlocks = c.Blocks.Zip(c.Others).All(pair => pair.First.SequenceEqual(pair.Second));
            if (!proposal.Succeeded)
            {
                return sameBlocks && proposal.Error == BlockCrossoverMutator.ProducedParentError;
            }

            var child = EvolveBlockLayout.Parse(proposal.Code!);
            if (proposal.Code == parent.Code || child.Blocks.Count != c.Blocks.Count || FrameOf(proposal.Code!) != FrameOf(parent.Code))
            {
                return false;
            }

            for (var b = 0; b < child.Blocks.Count; b++)
            {
                var allowed = c.Blocks[b].Concat(c.Others[b]).ToHashSet();
                var range = child.Blocks[b];
                if (Enumerable.Range(range.Start, range.Length).Any(i => !allowed.Contains(child.Lines[i])))
                {
                    return false;
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public async Task Cancellation_is_observed()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new BlockCrossoverMutator().MutateAsync(Context(Program(1, "x = 1"), new Random(1), null, Program(2, "x = 2")), cts.Token).AsTask());
        Assert.Equal([MutationKind.BlockCrossover], new BlockCrossoverMutator().Kinds);
    }

    /// <summary>The lines outside the blocks, markers included, with each block's contents replaced by a placeholder.</summary>
    private static string FrameOf(string code)
    {
        var layout = EvolveBlockLayout.Parse(code);
        var frame = new List<string>();
        for (var i = 0; i < layout.Lines.Count; i++)
        {
            frame.AddRange(layout.Blocks.Where(b => b.Start == i).Select(_ => "<block>"));
            if (!layout.Blocks.Any(b => b.Contains(i)))
            {
                frame.Add(layout.Lines[i]);
            }
        }

        return string.Join('\n', frame);
    }
}
