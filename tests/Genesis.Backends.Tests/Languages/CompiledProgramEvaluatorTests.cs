using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Languages;

public sealed class CompiledProgramEvaluatorTests : IDisposable
{
    /// <summary>A ShinkaEvolve evaluate.py that runs the candidate, whatever its language, through GENESIS_RUN_COMMAND.</summary>
    private const string EvaluateScript = """
        import argparse, json, os, subprocess

        parser = argparse.ArgumentParser()
        parser.add_argument("--program_path", required=True)
        parser.add_argument("--results_dir", required=True)
        args = parser.parse_args()

        command = json.loads(os.environ["GENESIS_RUN_COMMAND"])
        value = int(subprocess.run(command + ["7"], capture_output=True, text=True, check=True).stdout.strip())
        with open(os.path.join(args.results_dir, "metrics.json"), "w") as handle:
            json.dump({
                "combined_score": value / 10,
                "public": {"value": value, "program_is_the_command": command[-1] == args.program_path},
                "text_feedback": "squared 7",
            }, handle)
        with open(os.path.join(args.results_dir, "correct.json"), "w") as handle:
            json.dump({"correct": value == 49, "error": None if value == 49 else "expected 49"}, handle)
        """;

    private readonly TempFolder _folder = new();
    private readonly string _script;

    public CompiledProgramEvaluatorTests()
    {
        _script = _folder.Write("task/evaluate.py", EvaluateScript);
    }

    public void Dispose() => _folder.Dispose();

    private RustToolchain Rust(IExecutionBackend? probeBackend = null, string rustc = "rustc") =>
        Toolchains.Rust(new RustToolchainOptions { Rustc = rustc, ProbeBackend = probeBackend, CacheDirectory = _folder.Folder("cache") });

    [Fact]
    public async Task A_rust_candidate_is_built_and_scored_by_evaluate_py()
    {
        var result = await Evaluators.Compiled(Rust(), _script).EvaluateAsync(LanguageKit.Evaluate(_folder, RustToolchainTests.Square, ProgramLanguage.Rust));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(4.9, result.Score);
        Assert.True(result.Correct);
        Assert.Equal(49, result.PublicMetrics["value"]);
        Assert.Equal(1, result.PublicMetrics["program_is_the_command"]);
        Assert.Equal("squared 7", result.TextFeedback);
    }

    [Fact]
    public async Task The_same_evaluate_py_scores_a_javascript_candidate_through_the_run_command()
    {
        const string Square = "console.log(Number(process.argv[2]) * Number(process.argv[2]));\n";
        var evaluator = Evaluators.Compiled(Toolchains.JavaScript(new JavaScriptToolchainOptions { CacheDirectory = _folder.Folder("cache") }), _script);

        var result = await evaluator.EvaluateAsync(LanguageKit.Evaluate(_folder, Square, ProgramLanguage.JavaScript));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(49, result.PublicMetrics["value"]);
        Assert.Equal(1, result.PublicMetrics["program_is_the_command"]);
    }

    [Fact]
    public async Task A_compile_error_is_a_compile_error_result_with_the_compiler_output_as_feedback()
    {
        var backend = new CountingBackend();
        var result = await Evaluators.Compiled(Rust(), _script).EvaluateAsync(LanguageKit.Evaluate(_folder, RustToolchainTests.Broken, ProgramLanguage.Rust, backend));

        Assert.Equal(EvaluationStatus.CompileError, result.Status);
        Assert.Equal(0, result.Score);
        Assert.False(result.Correct);
        Assert.Equal("the program did not compile: error[E0308]: mismatched types", result.Error);
        Assert.StartsWith("The program did not compile. Compiler output:\nerror[E0308]: mismatched types", result.TextFeedback, StringComparison.Ordinal);
        Assert.Contains("expected `i32`, found `&str`", result.TextFeedback, StringComparison.Ordinal);
        Assert.Single(backend.Requests); // the compiler; evaluate.py never ran
    }

    [Fact]
    public async Task A_program_reports_its_own_score_on_its_last_line()
    {
        const string Reporting = """
            fn main() {
                println!("progress: done");
                println!("{{\"combined_score\": 2.5, \"public\": {{\"steps\": 3}}, \"private\": {{\"hidden\": 1}}, \"correct\": false, \"error\": \"off by one\"}}");
            }
            """;
        var request = LanguageKit.Evaluate(_folder, Reporting, ProgramLanguage.Rust);

        var result = await Evaluators.Program(Rust()).EvaluateAsync(request);

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(2.5, result.Score);
        Assert.False(result.Correct);
        Assert.Equal(3, result.PublicMetrics["steps"]);
        Assert.Equal(1, result.PrivateMetrics["hidden"]);
        Assert.Contains("off by one", result.TextFeedback, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(request.WorkingDirectory, "results", "metrics.json")));
        Assert.Contains("progress: done", File.ReadAllText(Path.Combine(request.WorkingDirectory, "results", "job_log.out")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_whose_last_line_is_not_json_is_invalid()
    {
        const string Chatty = "fn main() {\n    println!(\"the score is 3\");\n}\n";

        var result = await Evaluators.Program(Rust()).EvaluateAsync(LanguageKit.Evaluate(_folder, Chatty, ProgramLanguage.Rust));

        Assert.Equal(EvaluationStatus.Invalid, result.Status);
        Assert.StartsWith("the last line of the program's standard output is not JSON", result.Error, StringComparison.Ordinal);
        Assert.Contains("the score is 3", result.TextFeedback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_that_prints_nothing_is_invalid()
    {
        var result = await Evaluators.Program(Rust()).EvaluateAsync(LanguageKit.Evaluate(_folder, "fn main() {}\n", ProgramLanguage.Rust));

        Assert.Equal(EvaluationStatus.Invalid, result.Status);
        Assert.StartsWith("the program printed nothing", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_that_exits_with_an_error_is_a_crash()
    {
        const string Panicking = "fn main() {\n    panic!(\"index out of range\");\n}\n";

        var result = await Evaluators.Program(Rust()).EvaluateAsync(LanguageKit.Evaluate(_folder, Panicking, ProgramLanguage.Rust));

        Assert.Equal(EvaluationStatus.Crashed, result.Status);
        Assert.Equal("the program exited with code 101", result.Error);
        Assert.StartsWith("the program exited with code 101", result.TextFeedback, StringComparison.Ordinal);
        Assert.Contains("index out of range", result.TextFeedback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_time_limit_covers_the_run()
    {
        const string Forever = "fn main() {\n    loop { std::thread::sleep(std::time::Duration::from_secs(1)); }\n}\n";
        var toolchain = Rust();
        await toolchain.BuildAsync(LanguageKit.Build(_folder, Forever, Backends.Local(1))); // compiled ahead: the limit below is for the run

        var result = await Evaluators.Program(toolchain).EvaluateAsync(LanguageKit.Evaluate(_folder, Forever, ProgramLanguage.Rust, timeout: TimeSpan.FromSeconds(2)));

        Assert.Equal(EvaluationStatus.TimedOut, result.Status);
    }

    [Fact]
    public async Task A_missing_toolchain_is_one_exception_at_probe_time_not_a_result_per_candidate()
    {
        IPreflightCheck evaluator = Evaluators.Compiled(Rust(rustc: "rustc-genesis-missing"), _script);

        var probe = await Assert.ThrowsAsync<ToolchainNotFoundException>(async () => await evaluator.CheckAsync());
        var evaluate = await Assert.ThrowsAsync<ToolchainNotFoundException>(async () =>
            await ((IEvaluator)evaluator).EvaluateAsync(LanguageKit.Evaluate(_folder, RustToolchainTests.Square, ProgramLanguage.Rust)));

        Assert.StartsWith("rustc-genesis-missing was not found on PATH", probe.Message, StringComparison.Ordinal);
        Assert.Equal(probe.Message, evaluate.Message);
    }

    [Fact]
    public async Task The_toolchain_is_probed_once_per_evaluator()
    {
        var probes = new CountingBackend();
        var evaluator = Evaluators.Program(Rust(probeBackend: probes));
        const string Report = "fn main() {\n    println!(\"{{\\\"combined_score\\\": 1}}\");\n}\n";

        await evaluator.CheckAsync();
        var first = await evaluator.EvaluateAsync(LanguageKit.Evaluate(_folder, Report, ProgramLanguage.Rust));
        var second = await evaluator.EvaluateAsync(LanguageKit.Evaluate(_folder, Report, ProgramLanguage.Rust));

        Assert.Equal(EvaluationStatus.Succeeded, first.Status);
        Assert.Equal(EvaluationStatus.Succeeded, second.Status);
        Assert.Single(probes.Requests);
    }

    [Fact]
    public async Task The_cancellation_token_reaches_the_compiler_and_the_program()
    {
        var backend = new CountingBackend();
        using var source = new CancellationTokenSource();
        const string Report = "fn main() {\n    println!(\"{{\\\"combined_score\\\": 1}}\");\n}\n";

        await Evaluators.Program(Rust()).EvaluateAsync(LanguageKit.Evaluate(_folder, Report, ProgramLanguage.Rust, backend), source.Token);

        Assert.Equal(2, backend.Count);
        Assert.All(backend.Tokens, token => Assert.Equal(source.Token, token));
    }

    [Fact]
    public async Task A_request_in_another_language_is_a_mistake_of_the_caller()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await Evaluators.Program(Rust()).EvaluateAsync(LanguageKit.Evaluate(_folder, "print(1)", ProgramLanguage.Python)));

        Assert.StartsWith("EvaluationRequest.Language is 'python' but the evaluator's toolchain (RustToolchain) builds 'rust'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shinka_evaluate_py_that_imports_the_program_works_with_the_python_toolchain()
    {
        const string Importing = """
            import argparse, importlib.util, json, os
            parser = argparse.ArgumentParser()
            parser.add_argument("--program_path", required=True)
            parser.add_argument("--results_dir", required=True)
            args = parser.parse_args()
            spec = importlib.util.spec_from_file_location("candidate", args.program_path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            with open(os.path.join(args.results_dir, "metrics.json"), "w") as handle:
                json.dump({"combined_score": module.solve()}, handle)
            """;
        var script = _folder.Write("shinka/evaluate.py", Importing);
        var evaluator = Evaluators.Compiled(Toolchains.Python(new PythonToolchainOptions { CacheDirectory = _folder.Folder("cache") }), script);

        var result = await evaluator.EvaluateAsync(LanguageKit.Evaluate(_folder, "def solve():\n    return 8\n", ProgramLanguage.Python));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(8, result.Score);
    }

    [Fact]
    public void The_run_command_is_a_json_array_of_strings()
    {
        var json = CompiledProgramEvaluator.RunCommandJson(new ProcessRequest { FileName = "/usr/bin/node", Arguments = ["/runs/7/main.js", "say \"hi\""], WorkingDirectory = "/" });

        Assert.Equal("[\"/usr/bin/node\",\"/runs/7/main.js\",\"say \\\"hi\\\"\"]", json);
    }

    [Fact]
    public void A_missing_script_is_refused()
    {
        Assert.Throws<FileNotFoundException>(() => Evaluators.Compiled(Rust(), _folder.File("task/missing.py")));
    }
}
