using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Languages;

/// <summary>Needs tsc: <c>bash scripts/setup/typescript.sh</c> (run by scripts/test.sh) installs it into tools/node.</summary>
public sealed class TypeScriptToolchainTests : IDisposable
{
    private const string Report = """
        interface Score { combined_score: number; public: { value: number } }
        const value: number = Number(process.argv[2] ?? 2);
        const score: Score = { combined_score: value * 2, public: { value } };
        console.log(JSON.stringify(score));
        """;

    private const string Broken = """
        const value: number = "not a number";
        console.log(value);
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private TypeScriptToolchain Toolchain(string? tsc = null) =>
        Toolchains.TypeScript(new TypeScriptToolchainOptions { Tsc = tsc, CacheDirectory = _folder.Folder("cache") });

    [Fact]
    public async Task A_candidate_compiles_to_javascript_and_runs_with_node()
    {
        var build = await Toolchain().BuildAsync(LanguageKit.Build(_folder, Report, new CountingBackend()));

        Assert.True(build.Succeeded, build.CompilerOutput);
        Assert.Equal("main.ts", Path.GetFileName(build.SourcePath));
        Assert.Equal(Path.Combine(Path.GetDirectoryName(build.SourcePath)!, "main.js"), build.ArtifactPath);
        Assert.Equal("{\"combined_score\":14,\"public\":{\"value\":7}}", (await LanguageKit.RunAsync(build, "7")).StandardOutput.Trim());
    }

    [Fact]
    public async Task A_type_error_is_a_compile_error_with_the_compilers_message()
    {
        var request = LanguageKit.Build(_folder, Broken, Backends.Local(1));
        var build = await Toolchain().BuildAsync(request);

        Assert.False(build.Succeeded);
        Assert.Contains("main.ts(1,7): error TS2322", build.CompilerOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(request.WorkingDirectory, "main.js")));
    }

    [Fact]
    public async Task The_probe_finds_tsc_and_nodes_type_declarations()
    {
        var info = await Toolchain().ProbeAsync();

        Assert.Equal("tsc", info.Tool);
        Assert.StartsWith("Version ", info.Version, StringComparison.Ordinal);
        Assert.Contains("--noEmitOnError", info.Flags, StringComparison.Ordinal);
        Assert.Contains("--types node", info.Flags, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_tsc_is_one_clear_error()
    {
        var error = await Assert.ThrowsAsync<ToolchainNotFoundException>(async () => await Toolchain(tsc: "/nonexistent/node_modules/.bin/tsc").ProbeAsync());

        Assert.StartsWith("/nonexistent/node_modules/.bin/tsc was not found: install TypeScript", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_evaluator_scores_a_typescript_candidate()
    {
        var result = await Evaluators.Program(Toolchain(), ["3"]).EvaluateAsync(LanguageKit.Evaluate(_folder, Report, ProgramLanguage.TypeScript));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(6, result.Score);
    }
}
