using Genesis.Execution.Tests.Support;
using Genesis.Execution;

namespace Genesis.Execution.Tests.Evaluation;

public sealed class MetricsReaderTests : IDisposable
{
    private static readonly ProcessOutcome Exited0 = new() { ExitCode = 0 };
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private EvaluationResult Read(string? metrics, string? correct = null, ProcessOutcome? outcome = null)
    {
        if (metrics is not null)
        {
            _folder.Write("metrics.json", metrics);
        }

        if (correct is not null)
        {
            _folder.Write("correct.json", correct);
        }

        return MetricsReader.Read(_folder.Path, outcome ?? Exited0, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public void A_full_report_becomes_a_successful_result()
    {
        var result = Read(
            """{"combined_score": 2.5, "public": {"a": 1, "ok": true, "bad": false, "name": "text", "list": [1]}, "private": {"held_out": 0.75}, "text_feedback": "good work", "runtime": 3, "note": "x"}""",
            """{"correct": true, "error": null}""");

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(2.5, result.Score);
        Assert.True(result.Correct);
        Assert.Equal(new Dictionary<string, double> { ["a"] = 1, ["ok"] = 1, ["bad"] = 0, ["runtime"] = 3 }, result.PublicMetrics);
        Assert.Equal(new Dictionary<string, double> { ["held_out"] = 0.75 }, result.PrivateMetrics);
        Assert.Equal("good work", result.TextFeedback);
        Assert.Null(result.Error);
        Assert.Equal(TimeSpan.FromSeconds(4), result.Duration);
    }

    [Fact]
    public void Without_correct_json_a_clean_exit_with_valid_metrics_is_correct()
    {
        var result = Read("""{"combined_score": 1}""");

        Assert.True(result.IsSuccess);
        Assert.True(result.Correct);
        Assert.Empty(result.PublicMetrics);
        Assert.Equal(string.Empty, result.TextFeedback);
    }

    [Fact]
    public void An_extra_top_level_metric_does_not_replace_a_public_one()
    {
        var result = Read("""{"combined_score": 1, "public": {"a": 5}, "a": 7}""");

        Assert.Equal(5, result.PublicMetrics["a"]);
    }

    [Fact]
    public void Correct_false_with_an_error_is_an_incorrect_result_with_the_error_in_the_feedback()
    {
        var result = Read("""{"combined_score": 0.3, "text_feedback": "circles overlap"}""", """{"correct": false, "error": "circle 3 overlaps circle 7"}""");

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.False(result.Correct);
        Assert.Equal(0.3, result.Score);
        Assert.Contains("circles overlap", result.TextFeedback);
        Assert.Contains("circle 3 overlaps circle 7", result.TextFeedback);
    }

    [Fact]
    public void A_start_error_is_a_crash_with_the_reason()
    {
        var result = Read(null, outcome: new ProcessOutcome { ExitCode = -1, StartError = "program 'python9' was not found on PATH" });

        Assert.Equal(EvaluationStatus.Crashed, result.Status);
        Assert.Equal("the evaluator could not start: program 'python9' was not found on PATH", result.Error);
        Assert.Contains("python9", result.TextFeedback);
        Assert.Equal(TimeSpan.FromSeconds(4), result.Duration);
    }

    [Fact]
    public void A_timeout_is_reported_with_the_limit()
    {
        var result = Read("""{"combined_score": 1}""", outcome: new ProcessOutcome { TimedOut = true, StandardOutput = "iteration 17" });

        Assert.Equal(EvaluationStatus.TimedOut, result.Status);
        Assert.Equal("killed after 30 s", result.Error);
        Assert.Contains("iteration 17", result.TextFeedback);
        Assert.Equal(0, result.Score);
    }

    [Fact]
    public void A_non_zero_exit_is_a_crash_with_the_end_of_standard_error()
    {
        var stderr = string.Join('\n', Enumerable.Range(0, 100).Select(i => $"<line {i:000}>"));

        var result = Read("""{"combined_score": 1}""", outcome: new ProcessOutcome { ExitCode = 3, StandardError = stderr });

        Assert.Equal(EvaluationStatus.Crashed, result.Status);
        Assert.Equal("the evaluator exited with code 3", result.Error);
        Assert.Contains("<line 099>", result.TextFeedback);
        Assert.Contains("<line 060>", result.TextFeedback);
        Assert.DoesNotContain("<line 059>", result.TextFeedback);
        Assert.StartsWith("the evaluator exited with code 3", result.TextFeedback);
    }

    [Fact]
    public void A_missing_metrics_file_is_invalid()
    {
        var result = Read(null);

        Assert.Equal(EvaluationStatus.Invalid, result.Status);
        Assert.Equal("metrics.json is missing", result.Error);
    }

    [Fact]
    public void Metrics_that_are_not_json_are_invalid()
    {
        var result = Read("combined_score = 1");

        Assert.Equal(EvaluationStatus.Invalid, result.Status);
        Assert.StartsWith("metrics.json is not valid JSON: ", result.Error);
    }

    [Fact]
    public void Metrics_that_are_not_an_object_are_invalid()
    {
        Assert.Equal("metrics.json must hold a JSON object, was an array", Read("[1, 2]").Error);
    }

    [Theory]
    [InlineData("""{"score": 1}""", "metrics.json has no combined_score")]
    [InlineData("""{"combined_score": "high"}""", "combined_score must be a number, was \"high\"")]
    [InlineData("""{"combined_score": null}""", "combined_score must be a number, was null")]
    [InlineData("""{"combined_score": true}""", "combined_score must be a number, was true")]
    [InlineData("""{"combined_score": NaN}""", "combined_score is NaN, not a finite number")]
    [InlineData("""{"combined_score": Infinity}""", "combined_score is Infinity, not a finite number")]
    [InlineData("""{"combined_score": -Infinity}""", "combined_score is -Infinity, not a finite number")]
    [InlineData("""{"combined_score": "NaN"}""", "combined_score is NaN, not a finite number")]
    [InlineData("""{"combined_score": 1e999}""", "combined_score is 1e999, not a finite number")]
    public void An_unusable_score_is_invalid_and_named(string metrics, string error)
    {
        var result = Read(metrics);

        Assert.Equal(EvaluationStatus.Invalid, result.Status);
        Assert.Equal(error, result.Error);
        Assert.Equal(0, result.Score);
    }

    [Theory]
    [InlineData("""{"combined_score": 1, "public": {"gap": NaN}}""", "public metric 'gap' is NaN, not a finite number")]
    [InlineData("""{"combined_score": 1, "private": {"test": -Infinity}}""", "private metric 'test' is -Infinity, not a finite number")]
    [InlineData("""{"combined_score": 1, "extra": Infinity}""", "metric 'extra' is Infinity, not a finite number")]
    public void A_non_finite_metric_is_invalid_and_named(string metrics, string error)
    {
        var result = Read(metrics);

        Assert.Equal(EvaluationStatus.Invalid, result.Status);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public void The_evaluators_feedback_is_kept_in_a_failure()
    {
        var result = Read("""{"combined_score": NaN, "text_feedback": "radii diverged"}""");

        Assert.Equal(EvaluationStatus.Invalid, result.Status);
        Assert.StartsWith("combined_score is NaN", result.TextFeedback);
        Assert.Contains("radii diverged", result.TextFeedback);
    }

    [Fact]
    public void A_correct_file_that_is_not_json_is_invalid()
    {
        var result = Read("""{"combined_score": 1}""", "yes");

        Assert.Equal(EvaluationStatus.Invalid, result.Status);
        Assert.StartsWith("correct.json is not valid JSON: ", result.Error);
    }
}
