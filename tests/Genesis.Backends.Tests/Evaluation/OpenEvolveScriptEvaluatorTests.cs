using Genesis.Execution.Tests.Support;
using Genesis.Execution;

namespace Genesis.Execution.Tests.Evaluation;

public sealed class OpenEvolveScriptEvaluatorTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _work;

    public OpenEvolveScriptEvaluatorTests()
    {
        _folder.Folder("task");
        _work = _folder.Folder("candidate");
        _folder.Write("task/helpers.py", "def run_program(path):\n    import runpy\n    return runpy.run_path(path)['solve']()\n");
    }

    public void Dispose() => _folder.Dispose();

    private OpenEvolveScriptEvaluator Evaluator(string source) => Evaluators.OpenEvolve(_folder.Write("task/evaluator.py", source));

    private EvaluationRequest Request(string code, TimeSpan? timeout = null) => new()
    {
        CandidateId = 7,
        Code = code,
        Language = ProgramLanguage.Python,
        WorkingDirectory = _work,
        Backend = Backends.Local(2),
        Timeout = timeout ?? TimeSpan.FromMinutes(2),
    };

    [Fact]
    public async Task A_dict_with_combined_score_is_scored_by_it()
    {
        var evaluator = Evaluator("""
            from helpers import run_program

            def evaluate(program_path):
                value = run_program(program_path)
                return {"combined_score": value / 10, "accuracy": value, "valid": True, "name": "ignored"}
            """);

        var result = await evaluator.EvaluateAsync(Request("def solve():\n    return 7\n"));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(0.7, result.Score, 12);
        Assert.True(result.Correct);
        Assert.Equal(new Dictionary<string, double> { ["combined_score"] = 0.7, ["accuracy"] = 7, ["valid"] = 1 }, result.PublicMetrics);
        Assert.True(File.Exists(Path.Combine(_work, OpenEvolveScriptEvaluator.ShimFileName)));
    }

    [Fact]
    public async Task Without_combined_score_the_score_is_the_mean_of_the_numeric_non_boolean_values()
    {
        var evaluator = Evaluator("""
            def evaluate(program_path):
                return {"a": 1.0, "b": 3, "flag": True, "label": "text"}
            """);

        var result = await evaluator.EvaluateAsync(Request("pass"));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(2.0, result.Score);
        Assert.True(result.Correct);
        Assert.Equal(new Dictionary<string, double> { ["a"] = 1, ["b"] = 3, ["flag"] = 1 }, result.PublicMetrics);
    }

    [Fact]
    public async Task An_evaluator_that_raises_gives_an_incorrect_program_with_the_exception_as_feedback()
    {
        var evaluator = Evaluator("""
            def evaluate(program_path):
                raise ValueError("the program returned 12 circles, expected 26")
            """);

        var result = await evaluator.EvaluateAsync(Request("pass"));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.False(result.Correct);
        Assert.Equal(0, result.Score);
        Assert.Contains("ValueError: the program returned 12 circles, expected 26", result.TextFeedback);
        Assert.Contains("Traceback", result.TextFeedback);
    }

    [Fact]
    public async Task An_evaluation_result_object_contributes_its_artifacts_as_feedback()
    {
        var evaluator = Evaluator("""
            class EvaluationResult:
                def __init__(self, metrics, artifacts):
                    self.metrics = metrics
                    self.artifacts = artifacts

            def evaluate(program_path):
                return EvaluationResult({"combined_score": 0.4}, {"stderr": "warning: slow", "raw": b"bytes here"})
            """);

        var result = await evaluator.EvaluateAsync(Request("pass"));

        Assert.Equal(0.4, result.Score);
        Assert.True(result.Correct);
        Assert.Contains("stderr: warning: slow", result.TextFeedback);
        Assert.Contains("raw: bytes here", result.TextFeedback);
    }

    [Theory]
    [InlineData("""{"combined_score": 0.9, "validity": 0.0}""", "validity is 0")]
    [InlineData("""{"combined_score": 0.9, "valid": False}""", "valid is 0")]
    [InlineData("""{"combined_score": 0.0, "error": "overlap between circles 2 and 5"}""", "overlap between circles 2 and 5")]
    [InlineData("""{"error": 0.0}""", "the evaluator reported error = 0.0")]
    public async Task Invalid_or_erroneous_metrics_make_the_program_incorrect(string dict, string reason)
    {
        var evaluator = Evaluator($"def evaluate(program_path):\n    return {dict}\n");

        var result = await evaluator.EvaluateAsync(Request("pass"));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.False(result.Correct);
        Assert.Contains(reason, result.TextFeedback);
    }

    [Fact]
    public async Task A_nan_metric_makes_the_result_invalid()
    {
        var evaluator = Evaluator("def evaluate(program_path):\n    return {'combined_score': 1.0, 'gap': float('nan')}\n");

        var result = await evaluator.EvaluateAsync(Request("pass"));

        Assert.Equal(EvaluationStatus.Invalid, result.Status);
        Assert.Equal("public metric 'gap' is NaN, not a finite number", result.Error);
    }

    [Fact]
    public async Task An_evaluator_without_an_evaluate_function_is_reported()
    {
        var result = await Evaluator("def score(path):\n    return {}\n").EvaluateAsync(Request("pass"));

        Assert.False(result.Correct);
        Assert.Contains("defines no evaluate(program_path) function", result.TextFeedback);
    }

    [Fact]
    public async Task A_hanging_evaluation_is_killed_at_the_timeout()
    {
        var evaluator = Evaluator("import time\n\ndef evaluate(program_path):\n    time.sleep(600)\n");

        var result = await evaluator.EvaluateAsync(Request("pass", TimeSpan.FromSeconds(1)));

        Assert.Equal(EvaluationStatus.TimedOut, result.Status);
        Assert.Equal("killed after 1 s", result.Error);
    }

    [Fact]
    public async Task An_evaluator_leaving_a_thread_running_still_finishes()
    {
        var evaluator = Evaluator("""
            import threading, time

            def evaluate(program_path):
                threading.Thread(target=time.sleep, args=(600,)).start()
                return {"combined_score": 1.0}
            """);

        var result = await evaluator.EvaluateAsync(Request("pass"));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(1.0, result.Score);
    }
}
