using System.Text.Json;
using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.CSharp;

public sealed class CSharpOutOfProcessEvaluatorTests : IDisposable
{
    /// <summary>A trusted harness: calls the candidate and prints the metrics, so the candidate needs no entry point.</summary>
    private const string Harness =
        """
        using System.Globalization;

        public static class Harness
        {
            public static void Main()
            {
                var value = Candidate.Compute(10);
                var line = string.Format(CultureInfo.InvariantCulture,
                    "{{\"combined_score\": {0}, \"public\": {{\"value\": {0}}}, \"private\": {{\"hidden\": 1}}, \"text_feedback\": \"computed {0}\", \"correct\": {1}}}",
                    value, value > 0 ? "true" : "false");
                Console.WriteLine("some chatter first");
                Console.WriteLine(line);
            }
        }
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private CSharpToolchainOptions Options(bool harness = false) => new()
    {
        CacheDirectory = _folder.Folder("cache"),
        AdditionalSources = harness ? new Dictionary<string, string> { ["harness.cs"] = Harness } : new Dictionary<string, string>(),
    };

    private EvaluationRequest Request(string code, IExecutionBackend? backend = null, TimeSpan? timeout = null, string folder = "candidate") => new()
    {
        CandidateId = 11,
        Code = code,
        Language = ProgramLanguage.CSharp,
        WorkingDirectory = _folder.Folder(folder),
        Backend = backend ?? Backends.Local(1),
        Timeout = timeout ?? TimeSpan.FromMinutes(2),
    };

    [Fact]
    public async Task A_candidate_with_a_harness_runs_as_dotnet_main_dll_and_its_metrics_are_read()
    {
        var evaluator = Evaluators.CSharpOutOfProcess(Options(harness: true));

        var result = await evaluator.EvaluateAsync(Request("public static class Candidate { public static double Compute(int n) => n * 1.5; }"));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(15, result.Score);
        Assert.True(result.Correct);
        Assert.Equal(15, result.PublicMetrics["value"]);
        Assert.Equal(1, result.PrivateMetrics["hidden"]);
        Assert.Equal("computed 15", result.TextFeedback);
        Assert.True(result.Duration > TimeSpan.Zero);
        var folder = Path.Combine(_folder.Path, "candidate");
        Assert.True(File.Exists(Path.Combine(folder, "main.cs")));
        Assert.True(File.Exists(Path.Combine(folder, "main.dll")));
        Assert.True(File.Exists(Path.Combine(folder, "main.runtimeconfig.json")));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results", "metrics.json")));
        Assert.Equal(15, metrics.RootElement.GetProperty("combined_score").GetDouble());
    }

    [Fact]
    public async Task A_whole_program_with_top_level_statements_reports_its_own_metrics()
    {
        var evaluator = Evaluators.CSharpOutOfProcess(Options());

        var result = await evaluator.EvaluateAsync(Request("Console.WriteLine(\"{\\\"combined_score\\\": 0.25, \\\"correct\\\": false, \\\"error\\\": \\\"off by one\\\"}\");"));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(0.25, result.Score);
        Assert.False(result.Correct);
        Assert.Contains("off by one", result.TextFeedback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_compile_error_is_feedback_and_nothing_runs()
    {
        var backend = new FakeBackend();
        var evaluator = Evaluators.CSharpOutOfProcess(Options(harness: true));

        var result = await evaluator.EvaluateAsync(Request("public static class Candidate { public static double Compute(int n) => n * 1.5 }", backend));

        Assert.Equal(EvaluationStatus.CompileError, result.Status);
        Assert.Contains("1:80: error CS1002: ; expected", result.TextFeedback, StringComparison.Ordinal);
        Assert.Empty(backend.Calls);
    }

    [Fact]
    public async Task An_unhandled_exception_is_a_crash_with_the_end_of_standard_error()
    {
        var evaluator = Evaluators.CSharpOutOfProcess(Options());

        var result = await evaluator.EvaluateAsync(Request("throw new InvalidOperationException(\"the grid has no solution\");"));

        Assert.Equal(EvaluationStatus.Crashed, result.Status);
        Assert.StartsWith("the program exited with code ", result.Error, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: the grid has no solution", result.TextFeedback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_that_does_not_stop_is_killed_at_the_timeout()
    {
        var evaluator = Evaluators.CSharpOutOfProcess(Options());
        // Built once beforehand, so that the short limit is spent running, not compiling.
        var warm = await evaluator.Toolchain.BuildAsync(new BuildRequest { SourceCode = "while (true) { }", WorkingDirectory = _folder.Folder("warm"), Backend = new FakeBackend() });

        var result = await evaluator.EvaluateAsync(Request("while (true) { }", timeout: TimeSpan.FromSeconds(2)));

        Assert.True(warm.Succeeded);
        Assert.Equal(EvaluationStatus.TimedOut, result.Status);
        Assert.StartsWith("killed after ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Console.WriteLine(\"score: 3\");", "score: 3")]
    [InlineData("Console.WriteLine(\"[1, 2]\");", "[1, 2]")]
    [InlineData("Console.Write(\"\\n\");", "the program printed nothing")]
    public async Task Output_that_is_not_a_json_object_is_invalid(string code, string error)
    {
        var evaluator = Evaluators.CSharpOutOfProcess(Options());

        var result = await evaluator.EvaluateAsync(Request(code));

        Assert.Equal(EvaluationStatus.Invalid, result.Status);
        Assert.Contains(error, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_metrics_object_without_a_score_is_invalid()
    {
        var evaluator = Evaluators.CSharpOutOfProcess(Options());

        var result = await evaluator.EvaluateAsync(Request("Console.WriteLine(\"{\\\"score\\\": 1}\");"));

        Assert.Equal(EvaluationStatus.Invalid, result.Status);
        Assert.Equal("metrics.json has no combined_score", result.Error);
    }

    [Fact]
    public async Task The_run_goes_through_the_requests_backend_with_the_arguments_and_the_callers_token()
    {
        var backend = new FakeBackend
        {
            OnRun = (_, _) => Task.FromResult(new ProcessOutcome { StandardOutput = "{\"combined_score\": 2}\n" }),
        };
        using var cancel = new CancellationTokenSource();
        var evaluator = Evaluators.CSharpOutOfProcess(Options(), ["--size", "12"]);

        var result = await evaluator.EvaluateAsync(Request("Console.WriteLine(1);", backend, TimeSpan.FromMinutes(1)), cancel.Token);

        Assert.Equal(2, result.Score);
        var (run, token) = Assert.Single(backend.Calls);
        var folder = Path.Combine(_folder.Path, "candidate");
        Assert.Equal("dotnet", run.FileName);
        Assert.Equal([Path.Combine(folder, "main.dll"), "--size", "12"], run.Arguments);
        Assert.Equal(folder, run.WorkingDirectory);
        Assert.InRange(run.Timeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal(cancel.Token, token);
    }

    [Fact]
    public async Task An_unchanged_candidate_is_compiled_once_across_toolchains_sharing_a_cache()
    {
        var options = Options();
        var first = new CSharpToolchain(options);
        var second = new CSharpToolchain(options);
        var backend = new FakeBackend();
        BuildRequest Build(string folder) => new() { SourceCode = "Console.WriteLine(42);", WorkingDirectory = _folder.Folder(folder), Backend = backend };

        var cold = await first.BuildAsync(Build("a"));
        var warm = await first.BuildAsync(Build("b"));
        var otherRun = await second.BuildAsync(Build("c"));

        Assert.True(cold.Succeeded);
        Assert.False(cold.CacheHit);
        Assert.True(warm.CacheHit);
        Assert.True(otherRun.CacheHit);
        Assert.Equal(1, first.Compilations);
        Assert.Equal(0, second.Compilations);
        Assert.Equal(File.ReadAllBytes(cold.ArtifactPath!), File.ReadAllBytes(otherRun.ArtifactPath!));
        Assert.Empty(backend.Calls);
    }

    [Fact]
    public async Task Compile_errors_are_cached_too()
    {
        var toolchain = new CSharpToolchain(Options());
        BuildRequest Build(string folder) => new() { SourceCode = "Console.WriteLine(42)", WorkingDirectory = _folder.Folder(folder), Backend = new FakeBackend() };

        var cold = await toolchain.BuildAsync(Build("a"));
        var warm = await toolchain.BuildAsync(Build("b"));

        Assert.False(cold.Succeeded);
        Assert.False(warm.Succeeded);
        Assert.True(warm.CacheHit);
        Assert.Equal(cold.CompilerOutput, warm.CompilerOutput);
        Assert.Contains("error CS1002", cold.CompilerOutput, StringComparison.Ordinal);
        Assert.Null(cold.Run);
        Assert.Equal(1, toolchain.Compilations);
    }

    [Fact]
    public async Task Without_a_cache_every_build_compiles()
    {
        var toolchain = new CSharpToolchain(new CSharpToolchainOptions { CacheDirectory = null });
        BuildRequest Build(string folder) => new() { SourceCode = "Console.WriteLine(42);", WorkingDirectory = _folder.Folder(folder), Backend = new FakeBackend() };

        await toolchain.BuildAsync(Build("a"));
        var again = await toolchain.BuildAsync(Build("b"));

        Assert.False(again.CacheHit);
        Assert.Equal(2, toolchain.Compilations);
    }

    [Fact]
    public async Task The_probe_finds_the_runtime_that_runs_the_programs()
    {
        var toolchain = new CSharpToolchain(Options());

        var info = await toolchain.ProbeAsync();

        Assert.Equal("dotnet", info.Tool);
        Assert.StartsWith($"Microsoft.NETCore.App {Environment.Version.Major}.", info.Version, StringComparison.Ordinal);
        Assert.Contains("/optimize+", info.Flags, StringComparison.Ordinal);
        Assert.Equal(ProgramLanguage.CSharp, toolchain.Language);
    }

    [Fact]
    public async Task A_missing_dotnet_is_one_clear_error_at_the_preflight_check()
    {
        var evaluator = Evaluators.CSharpOutOfProcess(new CSharpToolchainOptions { DotnetPath = "/nonexistent/dotnet", CacheDirectory = null });

        var error = await Assert.ThrowsAsync<ToolchainNotFoundException>(() => evaluator.CheckAsync().AsTask());

        Assert.Equal($"/nonexistent/dotnet was not found on PATH: install the .NET {Environment.Version.Major}.{Environment.Version.Minor} runtime or choose another language", error.Message);
    }

    [Fact]
    public void Options_are_validated_with_a_message_naming_the_option()
    {
        var dotnet = Assert.Throws<ArgumentException>(() => new CSharpToolchain(new CSharpToolchainOptions { DotnetPath = " " }));
        var reference = Assert.Throws<ArgumentException>(() => new CSharpToolchain(new CSharpToolchainOptions { ReferencePaths = ["/nonexistent/lib.dll"] }));
        var diagnostics = Assert.Throws<ArgumentOutOfRangeException>(() => new CSharpToolchain(new CSharpToolchainOptions { MaxDiagnostics = 0 }));
        var source = Assert.Throws<ArgumentException>(() => new CSharpToolchain(new CSharpToolchainOptions
        {
            AdditionalSources = new Dictionary<string, string> { ["main.cs"] = "class A { }" },
        }));

        Assert.Equal("DotnetPath", dotnet.ParamName);
        Assert.StartsWith("CSharpToolchainOptions.ReferencePaths: '/nonexistent/lib.dll' is not an existing assembly file.", reference.Message, StringComparison.Ordinal);
        Assert.StartsWith("CSharpToolchainOptions.MaxDiagnostics must be between 1 and 1000, was 0.", diagnostics.Message, StringComparison.Ordinal);
        Assert.Equal("AdditionalSources", source.ParamName);
    }
}
