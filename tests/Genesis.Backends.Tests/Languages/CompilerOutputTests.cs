using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Genesis.Execution.Tests.Languages;

public sealed class CompilerOutputTests
{
    [Fact]
    public void Short_output_is_kept_as_it_is()
    {
        Assert.Equal("warning: unused variable", CompilerOutput.Cap("warning: unused variable\n\n", 8192));
    }

    [Fact]
    public void Long_output_keeps_the_first_error_and_says_what_was_left_out()
    {
        var noise = string.Join('\n', Enumerable.Range(0, 100).Select(i => $"note: building step {i}"));
        var errors = string.Join('\n', Enumerable.Range(0, 200).Select(i => $"error[E{i:0000}]: problem number {i}"));

        var capped = CompilerOutput.Cap(noise + "\n" + errors, 1024);

        Assert.True(Encoding.UTF8.GetByteCount(capped) <= 1024);
        Assert.StartsWith("[... 98 line(s) before the first error left out]\nnote: building step 98\nnote: building step 99\nerror[E0000]: problem number 0\n", capped, StringComparison.Ordinal);
        Assert.Matches(@"\[\.\.\. \d+ more byte\(s\) of compiler output left out\]$", capped);
    }

    [Fact]
    public void Output_without_errors_keeps_its_beginning()
    {
        var text = string.Join('\n', Enumerable.Range(0, 500).Select(i => $"warning: number {i}"));

        var capped = CompilerOutput.Cap(text, 512);

        Assert.StartsWith("warning: number 0\n", capped, StringComparison.Ordinal);
    }

    [Fact]
    public void A_capped_output_never_exceeds_the_cap()
    {
        var lines = Gen.Elements("error: x", "warning: y", "  |", "ééé ünïcode ✓ 𝔘", new string('z', 700), string.Empty, "error[E0308]: mismatched types");
        var texts = Gen.ListOf(lines).Select(list => string.Join('\n', list));
        var caps = Gen.Choose(ToolchainOptions.MinCompilerOutputBytes, 4096);

        Prop.ForAll(texts.ToArbitrary(), caps.ToArbitrary(), (text, cap) =>
            Encoding.UTF8.GetByteCount(CompilerOutput.Cap(text, cap)) <= cap).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Folders_are_made_relative()
    {
        Assert.Equal("src/main.rs:2: error", CompilerOutput.MakeRelative("/cache/cargo/ab/project/src/main.rs:2: error", "/cache/cargo/ab/project", "/cache/cargo/ab"));
    }

    [Fact]
    public void The_first_error_line_names_a_failure()
    {
        Assert.Equal("error[E0308]: mismatched types", CompilerOutput.FirstErrorLine("   Compiling x\nerror[E0308]: mismatched types\n --> src/main.rs"));
        Assert.Equal("ld: cannot find -lfoo", CompilerOutput.FirstErrorLine("\nld: cannot find -lfoo\n"));
    }
}
