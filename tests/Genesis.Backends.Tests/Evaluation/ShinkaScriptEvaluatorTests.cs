using Genesis.Execution.Tests.Support;
using Genesis.Execution;

namespace Genesis.Execution.Tests.Evaluation;

public sealed class ShinkaScriptEvaluatorTests : IDisposable
{
    /// <summary>A ShinkaEvolve-style evaluate.py: loads the candidate, calls solve(), and hands the value to report().</summary>
    private const string EvaluatePrelude = """
        import argparse, importlib.util, json, math, os, sys
        from scoring import bonus

        parser = argparse.ArgumentParser()
        parser.add_argument("--program_path", required=True)
        parser.add_argument("--results_dir", required=True)
        args, extra = parser.parse_known_args()

        def load():
            spec = importlib.util.spec_from_file_location("candidate", args.program_path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module

        def write(name, value):
            with open(os.path.join(args.results_dir, name), "w") as handle:
                json.dump(value, handle)

        """;

    private readonly TempFolder _folder = new();
    private readonly string _task;
    private readonly string _work;

    public ShinkaScriptEvaluatorTests()
    {
        _task = _folder.Folder("task");
        _work = _folder.Folder("candidate");
        _folder.Write("task/scoring.py", "def bonus():\n    return 0.5\n");
    }

    public void Dispose() => _folder.Dispose();

    private ShinkaScriptEvaluator Evaluator(string body, IReadOnlyList<string>? extraArguments = null) =>
        Evaluators.Shinka(_folder.Write("task/evaluate.py", EvaluatePrelude + body), extraArguments: extraArguments);

    private EvaluationRequest Request(string code, TimeSpan? timeout = null) => new()
    {
        CandidateId = 1,
        Code = code,
        Language = ProgramLanguage.Python,
        WorkingDirectory = _work,
        Backend = Backends.Local(2),
        Timeout = timeout ?? TimeSpan.FromMinutes(2),
    };

    private const string ScoreSolve = """
        value = load().solve()
        write("metrics.json", {
            "combined_score": value + bonus(),
            "public": {"value": value, "ok": True, "label": "text"},
            "private": {"hidden": 2.5},
            "text_feedback": "value was %s" % value,
            "runtime": 0.25,
        })
        write("correct.json", {"correct": True, "error": None})
        """;

    [Fact]
    public async Task A_good_program_is_scored_from_its_metrics()
    {
        var result = await Evaluator(ScoreSolve).EvaluateAsync(Request("def solve():\n    return 3\n"));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(3.5, result.Score);
        Assert.True(result.Correct);
        Assert.Equal(new Dictionary<string, double> { ["value"] = 3, ["ok"] = 1, ["runtime"] = 0.25 }, result.PublicMetrics);
        Assert.Equal(new Dictionary<string, double> { ["hidden"] = 2.5 }, result.PrivateMetrics);
        Assert.Equal("value was 3", result.TextFeedback);
        Assert.Equal("def solve():\n    return 3\n", File.ReadAllText(Path.Combine(_work, "main.py")));
        Assert.True(File.Exists(Path.Combine(_work, "results", "job_log.out")));
    }

    [Fact]
    public async Task The_program_file_takes_the_languages_extension_and_extra_arguments_are_passed()
    {
        var evaluator = Evaluator(
            """
            write("metrics.json", {"combined_score": 1, "text_feedback": os.path.basename(args.program_path) + " " + " ".join(extra)})
            """,
            ["--runs", "3"]);

        var result = await evaluator.EvaluateAsync(Request("fn main() {}") with { Language = ProgramLanguage.Rust });

        Assert.True(result.IsSuccess, result.TextFeedback);
        Assert.Equal("main.rs --runs 3", result.TextFeedback);
    }

    [Fact]
    public async Task A_crashing_program_is_crashed_with_its_traceback()
    {
        var result = await Evaluator(ScoreSolve).EvaluateAsync(Request("def solve():\n    return 1 / 0\n"));

        Assert.Equal(EvaluationStatus.Crashed, result.Status);
        Assert.Equal("the evaluator exited with code 1", result.Error);
        Assert.Contains("ZeroDivisionError", result.TextFeedback);
        Assert.False(result.Correct);
        Assert.Equal(0, result.Score);
    }

    [Fact]
    public async Task A_program_that_hangs_is_killed_at_the_timeout()
    {
        var request = Request("import time\ndef solve():\n    time.sleep(600)\n", TimeSpan.FromSeconds(1));

        var result = await Evaluator(ScoreSolve).EvaluateAsync(request);

        Assert.Equal(EvaluationStatus.TimedOut, result.Status);
        Assert.Equal("killed after 1 s", result.Error);
    }

    [Fact]
    public async Task Metrics_that_are_not_json_are_invalid()
    {
        var evaluator = Evaluator("""
            with open(os.path.join(args.results_dir, "metrics.json"), "w") as handle:
                handle.write("combined_score: 1")
            """);

        var result = await evaluator.EvaluateAsync(Request("pass"));

        Assert.Equal(EvaluationStatus.Invalid, result.Status);
        Assert.StartsWith("metrics.json is not valid JSON", result.Error);
    }

    [Fact]
    public async Task A_nan_score_is_invalid_and_named()
    {
        var result = await Evaluator("""write("metrics.json", {"combined_score": float("nan"), "public": {"x": 1}})""").EvaluateAsync(Request("pass"));

        Assert.Equal(EvaluationStatus.Invalid, result.Status);
        Assert.Equal("combined_score is NaN, not a finite number", result.Error);
    }

    [Fact]
    public async Task A_missing_metrics_file_is_invalid()
    {
        var result = await Evaluator("""print("evaluated, but wrote nothing", file=sys.stderr)""").EvaluateAsync(Request("pass"));

        Assert.Equal(EvaluationStatus.Invalid, result.Status);
        Assert.Equal("metrics.json is missing", result.Error);
        Assert.Contains("evaluated, but wrote nothing", result.TextFeedback);
    }

    [Fact]
    public async Task Correct_false_with_an_error_is_an_incorrect_program_with_the_error_as_feedback()
    {
        var evaluator = Evaluator("""
            write("metrics.json", {"combined_score": 0.2, "text_feedback": "2 constraints checked"})
            write("correct.json", {"correct": False, "error": "circle 3 leaves the square"})
            """);

        var result = await evaluator.EvaluateAsync(Request("pass"));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.False(result.Correct);
        Assert.Equal(0.2, result.Score);
        Assert.Contains("2 constraints checked", result.TextFeedback);
        Assert.Contains("circle 3 leaves the square", result.TextFeedback);
    }

    [Fact]
    public async Task Stale_results_from_an_earlier_run_are_not_read()
    {
        var evaluator = Evaluator(ScoreSolve);
        Assert.True((await evaluator.EvaluateAsync(Request("def solve():\n    return 1\n"))).IsSuccess);

        var result = await evaluator.EvaluateAsync(Request("def solve():\n    raise RuntimeError('broken')\n"));

        Assert.Equal(EvaluationStatus.Crashed, result.Status);
        Assert.False(File.Exists(Path.Combine(_work, "results", "metrics.json")));
    }

    [Fact]
    public async Task The_request_is_run_on_its_backend_with_its_timeout_and_token()
    {
        var clock = new ManualTimeProvider();
        var backend = new FakeBackend();
        backend.OnRun = (request, _) =>
        {
            File.WriteAllText(Path.Combine(request.WorkingDirectory, "results", "metrics.json"), """{"combined_score": 4}""");
            clock.Advance(TimeSpan.FromSeconds(7));
            return Task.FromResult(new ProcessOutcome { ExitCode = 0 });
        };
        var script = _folder.Write("task/evaluate.py", "# not run\n");
        var evaluator = new ShinkaScriptEvaluator(script, new ScriptEvaluatorOptions { Python = "/opt/python", TimeProvider = clock, Environment = new Dictionary<string, string?> { ["PYTHONPATH"] = "/libs", ["X"] = "y" } });
        using var cancellation = new CancellationTokenSource();

        var result = await evaluator.EvaluateAsync(Request("pass", TimeSpan.FromSeconds(42)) with { Backend = backend }, cancellation.Token);

        var (sent, token) = Assert.Single(backend.Calls);
        Assert.Equal(cancellation.Token, token);
        Assert.Equal("/opt/python", sent.FileName);
        Assert.Equal([script, "--program_path", Path.Combine(_work, "main.py"), "--results_dir", Path.Combine(_work, "results")], sent.Arguments);
        Assert.Equal(_work, sent.WorkingDirectory);
        Assert.Equal(TimeSpan.FromSeconds(42), sent.Timeout);
        Assert.Equal(_task + Path.PathSeparator + "/libs", sent.Environment["PYTHONPATH"]);
        Assert.Equal("y", sent.Environment["X"]);
        Assert.Equal(4, result.Score);
        Assert.Equal(TimeSpan.FromSeconds(7), result.Duration);
    }

    [Fact]
    public async Task Cancellation_propagates_from_the_backend()
    {
        using var cancellation = new CancellationTokenSource();
        var evaluator = Evaluator("import time\ntime.sleep(600)");
        var run = evaluator.EvaluateAsync(Request("pass"), cancellation.Token).AsTask();

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public void A_missing_script_or_a_bad_option_is_the_callers_mistake()
    {
        Assert.Throws<FileNotFoundException>(() => Evaluators.Shinka(_folder.File("task/nope.py")));
        var script = _folder.Write("task/evaluate.py", "pass\n");
        var error = Assert.Throws<ArgumentException>(() => Evaluators.Shinka(script, new ScriptEvaluatorOptions { Python = " " }));
        Assert.Contains("ScriptEvaluatorOptions.Python", error.Message);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => Evaluators.Shinka(script, new ScriptEvaluatorOptions { MaxOutputBytes = -1 }));
        Assert.StartsWith("ScriptEvaluatorOptions.MaxOutputBytes must be between 0 and 1073741824, was -1.", range.Message);
    }

    [Fact]
    public async Task A_missing_working_folder_is_the_callers_mistake()
    {
        var evaluator = Evaluator(ScoreSolve);

        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => evaluator.EvaluateAsync(Request("pass") with { WorkingDirectory = _folder.File("gone") }).AsTask());
    }
}
