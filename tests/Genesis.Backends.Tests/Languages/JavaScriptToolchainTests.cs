using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Languages;

public sealed class JavaScriptToolchainTests : IDisposable
{
    private const string Report = """
        const value = Number(process.argv[2] ?? 3);
        console.log("thinking");
        console.log(JSON.stringify({ combined_score: value + 0.5, public: { value }, correct: value > 0 }));
        """;

    private const string Broken = "function solve( {\n  return 1;\n}\n";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private JavaScriptToolchain Toolchain(bool checkSyntax = false, string node = "node") =>
        Toolchains.JavaScript(new JavaScriptToolchainOptions { Node = node, CheckSyntax = checkSyntax, CacheDirectory = _folder.Folder("cache") });

    [Fact]
    public async Task A_candidate_runs_with_node()
    {
        var build = await Toolchain().BuildAsync(LanguageKit.Build(_folder, Report, new CountingBackend()));

        Assert.True(build.Succeeded);
        Assert.Equal("main.js", Path.GetFileName(build.SourcePath));
        Assert.EndsWith("\"combined_score\":5.5,\"public\":{\"value\":5},\"correct\":true}", (await LanguageKit.RunAsync(build, "5")).StandardOutput.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_program_evaluator_reads_correctness_from_the_report_line()
    {
        var evaluator = Evaluators.Program(Toolchain(), ["-2"]);

        var result = await evaluator.EvaluateAsync(LanguageKit.Evaluate(_folder, Report, ProgramLanguage.JavaScript));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(-1.5, result.Score);
        Assert.False(result.Correct);
        Assert.Contains("not correct", result.TextFeedback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_syntax_error_with_the_check_is_a_compile_error()
    {
        var result = await Evaluators.Program(Toolchain(checkSyntax: true)).EvaluateAsync(LanguageKit.Evaluate(_folder, Broken, ProgramLanguage.JavaScript));

        Assert.Equal(EvaluationStatus.CompileError, result.Status);
        Assert.Contains("SyntaxError", result.TextFeedback, StringComparison.Ordinal);
        Assert.Contains("main.js:2", result.TextFeedback, StringComparison.Ordinal);
        Assert.DoesNotContain("node:internal", result.TextFeedback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_syntax_error_without_the_check_is_a_crash_whose_feedback_names_it()
    {
        var result = await Evaluators.Program(Toolchain()).EvaluateAsync(LanguageKit.Evaluate(_folder, Broken, ProgramLanguage.JavaScript));

        Assert.Equal(EvaluationStatus.Crashed, result.Status);
        Assert.Contains("SyntaxError", result.TextFeedback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_node_is_one_clear_error()
    {
        var error = await Assert.ThrowsAsync<ToolchainNotFoundException>(async () => await Toolchain(node: "node-genesis-missing").ProbeAsync());

        Assert.Equal("node-genesis-missing was not found on PATH: install Node.js or choose another language.", error.Message);
    }
}
