using FsCheck.Fluent;
using Genesis.Blocks;
using Genesis.Diffs;

namespace Genesis.Tests.Diffs;

public sealed class PatchApplierPropertyTests
{
    [Fact]
    public void Replacing_any_run_of_block_lines_succeeds_and_keeps_the_frame()
    {
        var generator =
            from program in ProgramGen.Program
            from block in Gen.Choose(0, program.Blocks.Count - 1)
            let content = program.Blocks[block]
            from start in Gen.Choose(0, content.Count - 1)
            from length in Gen.Choose(1, content.Count - start)
            from replacement in Gen.Choose(0, 4).SelectMany(n => Gen.ListOf(ProgramGen.BodyLine, n))
            from tag in Gen.Choose(0, 1000)
            select (program, search: content.Skip(start).Take(length).ToList(), replace: (List<string>)[$"changed_{tag}()", .. replacement]);

        Property.Check(generator, input =>
        {
            var code = input.program.Code;

            var result = PatchApplier.Apply(code, [new SearchReplaceEdit(string.Join('\n', input.search), string.Join('\n', input.replace))]);

            Assert.True(result.Succeeded, result.DescribeFailures());
            var before = EvolveBlockLayout.Parse(code);
            var after = EvolveBlockLayout.Parse(result.Code);
            Assert.Null(after.Error);
            Assert.Equal(before.Blocks.Count, after.Blocks.Count);
            Assert.Equal(before.FrameLines(), after.FrameLines());
            Assert.Contains(input.replace[0], after.MutableText(), StringComparison.Ordinal);
            Assert.EndsWith("\n", result.Code, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_search_taken_only_from_fixed_lines_is_always_rejected()
    {
        // Runs of consecutive lines outside every block's content (fixed lines and markers) with at least one fixed line.
        var generator =
            from program in ProgramGen.Program
            let lines = program.Lines().ToList()
            let layout = EvolveBlockLayout.Parse(program.Code)
            let fixedLines = Enumerable.Range(0, lines.Count).Where(i => !layout.IsMutableLine(i) && !EvolveBlockLayout.IsMarker(lines[i])).ToList()
            from anchor in Gen.Elements(fixedLines.ToArray())
            from before in Gen.Choose(0, 3)
            from after in Gen.Choose(0, 3)
            let start = Enumerable.Range(0, before + 1).Select(k => anchor - k).TakeWhile(i => i >= 0 && !layout.IsMutableLine(i)).Last()
            let end = Enumerable.Range(0, after + 1).Select(k => anchor + k).TakeWhile(i => i < lines.Count && !layout.IsMutableLine(i)).Last()
            select (program, search: lines.Skip(start).Take(end - start + 1).ToList());

        Property.Check(generator, input =>
        {
            var code = input.program.Code;

            var result = PatchApplier.Apply(code, [new SearchReplaceEdit(string.Join('\n', input.search), "hacked()")]);

            Assert.False(result.Succeeded);
            Assert.Null(result.Code);
            var failure = Assert.Single(result.Failures);
            Assert.True(failure.Kind is PatchFailureKind.OutsideBlocks or PatchFailureKind.NotFound, failure.Reason);
            Assert.Contains("Edit 1 of 1 failed", result.DescribeFailures(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Every_failing_edit_of_a_patch_is_reported_whatever_its_position()
    {
        var generator =
            from program in ProgramGen.Program
            from flags in Gen.ListOf(Gen.Elements(true, false), 5)
            select (program, failing: flags.ToList());

        Property.Check(generator, input =>
        {
            var edits = input.failing
                .Select((fails, i) => fails
                    ? new SearchReplaceEdit($"absent_{i}()", "x()")
                    : new SearchReplaceEdit("", $"added_{i}()"))
                .ToList();

            var result = PatchApplier.Apply(input.program.Code, edits);

            var expected = input.failing.Select((fails, i) => (fails, i)).Where(p => p.fails).Select(p => p.i).ToList();
            Assert.Equal(expected, result.Failures.Where(f => f.Index is not null).Select(f => f.Index!.Value));
            Assert.Equal(expected.Count == 0, result.Succeeded);
            Assert.Equal(edits.Count - expected.Count, result.AppliedCount);
            Assert.All(result.Failures, f => Assert.NotNull(f.ClosestMatch));
        });
    }
}
