using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Genesis.Blocks;
using Genesis.Mutation;
using static Genesis.Tests.Mutation.Offline.OfflinePrograms;

namespace Genesis.Tests.Mutation.Offline;

public sealed class ConstantPerturbationMutatorTests
{
    private const string Example = """
        import numpy as np
        N = 26
        # EVOLVE-BLOCK-START
        def construct(n):
            spacing = 0.5
            return [spacing * i for i in range(n)]
        # EVOLVE-BLOCK-END
        print(construct(N), 3.0)
        """;

    [Fact]
    public async Task Only_literals_inside_the_blocks_change_and_the_proposal_describes_them()
    {
        var mutator = new ConstantPerturbationMutator();
        var proposal = await mutator.MutateAsync(Context(Program(1, Example), new Random(3)));

        Assert.True(proposal.Succeeded, proposal.Error);
        Assert.Equal(MutationKind.ConstantPerturbation, proposal.Kind);
        Assert.Null(proposal.Model);
        Assert.Equal(0, proposal.InputTokens + proposal.OutputTokens);
        Assert.Equal(0, proposal.Cost);
        var before = EvolveBlockLayout.Parse(Example).Lines;
        var after = EvolveBlockLayout.Parse(proposal.Code!).Lines;
        Assert.Equal(before.Count, after.Count);
        var changed = Enumerable.Range(0, before.Count).Where(i => before[i] != after[i]).ToList();
        Assert.Equal([4], changed); // spacing = 0.5 is the only literal in the block ("n" and "i" are names)
        Assert.Matches(@"^    spacing = \d+\.\d+$", after[4]);
        Assert.Matches(@"^line 5: 0\.5 -> \d+\.\d+$", proposal.Diff!);
    }

    [Fact]
    public async Task Empty_lines_at_the_end_of_a_block_and_the_final_newline_are_kept()
    {
        const string code = "a = 1\n# EVOLVE-BLOCK-START\nx = 5\n\n\n# EVOLVE-BLOCK-END\nb = 2\n";
        var proposal = await new ConstantPerturbationMutator().MutateAsync(Context(Program(1, code), new Random(2)));
        Assert.Matches(@"^a = 1\n# EVOLVE-BLOCK-START\nx = \d+\n\n\n# EVOLVE-BLOCK-END\nb = 2\n$", proposal.Code!);
    }

    [Fact]
    public async Task Without_literals_in_the_blocks_the_proposal_fails()
    {
        const string code = "N = 5\n# EVOLVE-BLOCK-START\nx = 'no 7 here'  # nor 8\ny = x2 + a.b\n# EVOLVE-BLOCK-END\nprint(N, 3)";
        var proposal = await new ConstantPerturbationMutator().MutateAsync(Context(Program(1, code), new Random(1)));
        Assert.False(proposal.Succeeded);
        Assert.Null(proposal.Code);
        Assert.Equal(ConstantPerturbationMutator.NoConstantsError, proposal.Error);
        Assert.Equal(MutationKind.ConstantPerturbation, proposal.Kind);
    }

    [Fact]
    public void Perturbation_changes_only_block_lines_keeps_int_ness_and_the_block_structure()
    {
        var mutator = new ConstantPerturbationMutator();
        var programs = from layout in Layouts(1, 3)
                       from seed in Gen.Choose(0, int.MaxValue)
                       select (layout.Frames, layout.Blocks, seed);
        Prop.ForAll(Arb.From(programs), p =>
        {
            var code = Assemble(p.Frames, p.Blocks);
            var parent = EvolveBlockLayout.Parse(code);
            var proposal = mutator.MutateAsync(Context(Program(1, code), new Random(p.seed))).AsTask().GetAwaiter().GetResult();
            var literalsInBlocks = p.Blocks.Sum(b => NumericLiteralScanner.Scan(b, "#").Count);
            if (literalsInBlocks == 0)
            {
                return proposal.Error == ConstantPerturbationMutator.NoConstantsError;
            }

            if (!proposal.Succeeded || proposal.Code == code)
            {
                return false;
            }

            var child = EvolveBlockLayout.Parse(proposal.Code!);
            if (child.Blocks.Count != parent.Blocks.Count || !child.Blocks.SequenceEqual(parent.Blocks) || child.Lines.Count != parent.Lines.Count)
            {
                return false;
            }

            var changedLines = 0;
            var changedLiterals = 0;
            for (var i = 0; i < parent.Lines.Count; i++)
            {
                if (parent.Lines[i] == child.Lines[i])
                {
                    continue;
                }

                changedLines++;
                var inBlock = parent.Blocks.Any(b => b.Contains(i));
                var was = NumericLiteralScanner.Scan([parent.Lines[i]], "#");
                var now = NumericLiteralScanner.Scan([child.Lines[i]], "#");
                if (!inBlock || was.Count != now.Count)
                {
                    return false;
                }

                for (var k = 0; k < was.Count; k++)
                {
                    if (was[k].IsInteger != now[k].IsInteger || now[k].Value < 0 || (!now[k].IsInteger && !now[k].Core.Contains('.', StringComparison.Ordinal)))
                    {
                        return false;
                    }

                    changedLiterals += was[k].Core == now[k].Core ? 0 : 1;
                }
            }

            return changedLines >= 1 && changedLiterals is >= 1 and <= 3 && proposal.Diff!.Split('\n').Length == changedLiterals;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("x = 10", true)]
    [InlineData("x = 0", true)]
    [InlineData("x = 2", true)]
    [InlineData("x = 0.5", false)]
    [InlineData("x = 0.0", false)]
    [InlineData("x = 1e-3", false)]
    [InlineData("x = 2.5E+10", false)]
    [InlineData("x = .25", false)]
    [InlineData("x = 3.", false)]
    public async Task The_literal_keeps_its_kind_and_sign_over_many_seeds(string line, bool isInteger)
    {
        var code = $"# EVOLVE-BLOCK-START\n{line}\n# EVOLVE-BLOCK-END";
        var original = NumericLiteralScanner.Scan([line], "#").Single();
        var values = new HashSet<double>();
        for (var seed = 0; seed < 200; seed++)
        {
            var proposal = await new ConstantPerturbationMutator().MutateAsync(Context(Program(1, code), new Random(seed)));
            var text = EvolveBlockLayout.Parse(proposal.Code!).Lines[1];
            Assert.StartsWith("x = ", text, StringComparison.Ordinal);
            var literal = NumericLiteralScanner.Scan([text], "#").Single();
            Assert.Equal(isInteger, literal.IsInteger);
            Assert.NotEqual(original.Value, literal.Value);
            Assert.True(literal.Value >= 0);
            Assert.Equal(original.HasExponent, literal.HasExponent);
            if (isInteger)
            {
                Assert.InRange(Math.Abs(literal.Value - original.Value), 1, 3);
            }
            else
            {
                Assert.Contains('.', literal.Core);
            }

            values.Add(literal.Value);
        }

        Assert.True(values.Count >= (isInteger ? 3 : 50), $"only {values.Count} distinct values");
    }

    [Fact]
    public async Task Float_noise_is_about_ten_percent_of_the_value()
    {
        var code = "# EVOLVE-BLOCK-START\nx = 100.0\n# EVOLVE-BLOCK-END";
        var deviations = new List<double>();
        for (var seed = 0; seed < 2000; seed++)
        {
            var proposal = await new ConstantPerturbationMutator().MutateAsync(Context(Program(1, code), new Random(seed)));
            deviations.Add(NumericLiteralScanner.Scan([EvolveBlockLayout.Parse(proposal.Code!).Lines[1]], "#").Single().Value - 100.0);
        }

        var sd = Math.Sqrt(deviations.Sum(d => d * d) / deviations.Count);
        Assert.InRange(sd, 9.0, 11.0);
    }

    [Fact]
    public async Task Suffixes_are_kept_and_c_style_comments_are_skipped()
    {
        const string code = "// EVOLVE-BLOCK-START\nfloat k = 2.5f; /* 9 */ long n = 40L; // 7\n// EVOLVE-BLOCK-END";
        for (var seed = 0; seed < 50; seed++)
        {
            var proposal = await new ConstantPerturbationMutator(maxConstants: 3).MutateAsync(Context(Program(1, code), new Random(seed), ProgramLanguage.CSharp));
            var line = EvolveBlockLayout.Parse(proposal.Code!).Lines[1];
            Assert.Matches(@"^float k = \d+\.\d+f; /\* 9 \*/ long n = \d+L; // 7$", line);
        }
    }

    [Fact]
    public async Task Cancellation_is_observed()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new ConstantPerturbationMutator().MutateAsync(Context(Program(1, Example), new Random(1)), cts.Token).AsTask());
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.StartsWith(
            "ConstantPerturbationMutator: maxConstants must be between 1 and 100, was 0.",
            Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantPerturbationMutator(maxConstants: 0)).Message,
            StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantPerturbationMutator(relativeScale: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantPerturbationMutator(absoluteScale: double.NaN));
        Assert.Equal([MutationKind.ConstantPerturbation], new ConstantPerturbationMutator().Kinds);
    }
}

public sealed class NumericLiteralScannerTests
{
    [Theory]
    [InlineData("x = 1 + 2.5 * 3e-4", "#", "1|2.5|3e-4")]
    [InlineData("x2 = y3 + 4", "#", "4")]
    [InlineData("s = \"12\" + '3.5' + f\"{7}\"", "#", "")]
    [InlineData("a = 5  # 6", "#", "5")]
    [InlineData("a = 5 // 6", "#", "5|6")]
    [InlineData("a = 5 // 6", "//", "5")]
    [InlineData("a = 5 /* 6 */ + 7", "//", "5|7")]
    [InlineData("t.0 + t.1 + 0..5", "//", "0|5")]
    [InlineData("m = 0x1F + 0b101 + 0o7 + 1_000 + 007 + 2j", "#", "")]
    [InlineData("v = 1.0f + 2d + 3u + 4usize + 5f32", "//", "1.0f|2d|3u|4usize|5f32")]
    [InlineData("fn f<'a>(x: &'a i32) -> i32 { x + 1 }", "//", "1")]
    [InlineData("r = 1.max(2) + 3.5.abs()", "//", "1|2|3.5")]
    [InlineData("x = -3 + 1e+5 + .5", "#", "3|1e+5|.5")]
    public void Finds_the_changeable_literals(string line, string comment, string expected)
    {
        var found = NumericLiteralScanner.Scan([line], comment).Select(l => l.Core + l.Suffix);
        Assert.Equal(expected, string.Join('|', found));
    }

    [Fact]
    public void Strings_and_comments_spanning_lines_are_skipped()
    {
        string[] python = ["a = 1", "doc = \"\"\"", "  7 lines", "\"\"\"", "b = 2"];
        Assert.Equal([0, 4], NumericLiteralScanner.Scan(python, "#").Select(l => l.Line));

        string[] c = ["a = 1; /*", " 7 */ b = 2;", "s = `x", "9` + 3"];
        Assert.Equal(["1", "2", "3"], NumericLiteralScanner.Scan(c, "//").Select(l => l.Core));
    }

    [Theory]
    [InlineData("0.5", 0.5731, "0.5731")]
    [InlineData("3.14159", 3.2, "3.2")]
    [InlineData("100.0", 104.37219, "104.37")]
    [InlineData("1e-3", 0.0011234, "1.123e-3")]
    [InlineData("2.5E+10", 2.61234e10, "2.612E+10")]
    [InlineData("0.0", 0.0734, "0.0734")]
    [InlineData("3.", 3.0, "3.0")]
    public void Floats_are_formatted_with_a_point_and_their_exponent_style(string core, double value, string expected)
    {
        var literal = NumericLiteralScanner.Scan([$"x = {core}"], "#").Single();
        Assert.Equal(expected, NumericLiteralScanner.FormatFloat(value, literal));
        Assert.Equal(double.Parse(expected, CultureInfo.InvariantCulture), value, 1e-3 * Math.Max(1, value));
    }
}
