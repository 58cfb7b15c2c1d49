using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Languages;

public sealed class PythonToolchainTests : IDisposable
{
    private const string Report = """
        import json, sys
        value = int(sys.argv[1]) if len(sys.argv) > 1 else 2
        print("working...")
        print(json.dumps({"combined_score": value * 1.5, "public": {"value": value}, "text_feedback": "fine"}))
        """;

    private const string Broken = "def solve(:\n    return 1\n";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private PythonToolchain Toolchain(bool checkSyntax = false, string python = "python3") =>
        Toolchains.Python(new PythonToolchainOptions { Python = python, CheckSyntax = checkSyntax, CacheDirectory = _folder.Folder("cache") });

    [Fact]
    public async Task A_candidate_runs_without_a_build_step()
    {
        var backend = new CountingBackend();
        var build = await Toolchain().BuildAsync(LanguageKit.Build(_folder, Report, backend));

        Assert.True(build.Succeeded);
        Assert.Equal(0, backend.Count);
        Assert.Equal(build.SourcePath, build.ArtifactPath);
        Assert.Equal("main.py", Path.GetFileName(build.SourcePath));
        Assert.Equal([build.SourcePath], build.Run!.Arguments);
        Assert.Contains("\"combined_score\": 6.0", (await LanguageKit.RunAsync(build, "4")).StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_program_evaluator_scores_a_python_candidate()
    {
        var result = await Evaluators.Program(Toolchain(), ["4"]).EvaluateAsync(LanguageKit.Evaluate(_folder, Report, ProgramLanguage.Python));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(6.0, result.Score);
        Assert.Equal(4, result.PublicMetrics["value"]);
        Assert.Equal("fine", result.TextFeedback);
    }

    [Fact]
    public async Task A_syntax_error_without_a_check_is_a_crash_whose_feedback_names_it()
    {
        var result = await Evaluators.Program(Toolchain()).EvaluateAsync(LanguageKit.Evaluate(_folder, Broken, ProgramLanguage.Python));

        Assert.Equal(EvaluationStatus.Crashed, result.Status);
        Assert.Contains("SyntaxError", result.TextFeedback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_syntax_error_with_the_check_is_a_compile_error_and_is_cached()
    {
        var backend = new CountingBackend();
        var toolchain = Toolchain(checkSyntax: true);

        var first = await toolchain.BuildAsync(LanguageKit.Build(_folder, Broken, backend));
        var second = await toolchain.BuildAsync(LanguageKit.Build(_folder, Broken, backend));
        var good = await toolchain.BuildAsync(LanguageKit.Build(_folder, Report, backend));

        Assert.False(first.Succeeded);
        Assert.Contains("File \"main.py\", line 1", first.CompilerOutput, StringComparison.Ordinal);
        Assert.Contains("SyntaxError", first.CompilerOutput, StringComparison.Ordinal);
        Assert.False(second.Succeeded);
        Assert.True(second.CacheHit);
        Assert.Equal(first.CompilerOutput, second.CompilerOutput);
        Assert.True(good.Succeeded, good.CompilerOutput);
        Assert.Equal(2, backend.Count);
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(good.SourcePath)!, "__pycache__")));
    }

    [Fact]
    public async Task A_missing_interpreter_is_one_clear_error()
    {
        var error = await Assert.ThrowsAsync<ToolchainNotFoundException>(async () => await Toolchain(python: "python3-genesis-missing").ProbeAsync());

        Assert.Equal("python3-genesis-missing was not found on PATH: install Python 3 or choose another language.", error.Message);
    }

    [Fact]
    public async Task The_probe_reports_the_interpreter_version()
    {
        var info = await Toolchain().ProbeAsync();

        Assert.Equal("python3", info.Tool);
        Assert.StartsWith("Python 3.", info.Version, StringComparison.Ordinal);
    }
}
