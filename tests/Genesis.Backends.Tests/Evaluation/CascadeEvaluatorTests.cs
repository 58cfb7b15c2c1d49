using Genesis.Execution;

namespace Genesis.Execution.Tests.Evaluation;

public sealed class CascadeEvaluatorTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "genesis-cascade-" + Guid.NewGuid().ToString("N"));

    public CascadeEvaluatorTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_candidate_below_a_threshold_never_reaches_the_expensive_stage()
    {
        var expensiveRuns = 0;
        var cascade = Evaluators.Cascade(
            new CascadeStage("quick", Evaluators.FromDelegate((_, _) => ValueTask.FromResult(EvaluationResult.Success(0.3, publicMetrics: new Dictionary<string, double> { ["checked"] = 10 }))), Threshold: 0.5),
            new CascadeStage("full", Evaluators.FromDelegate((_, _) =>
            {
                expensiveRuns++;
                return ValueTask.FromResult(EvaluationResult.Success(0.9));
            })));

        var result = await cascade.EvaluateAsync(Request());

        Assert.Equal(0, expensiveRuns);
        Assert.Equal(0.3, result.Score);
        Assert.Equal(10, result.PublicMetrics["quick.checked"]);
        Assert.Equal(0.3, result.PublicMetrics["quick.score"]);
        Assert.Equal(0, result.PublicMetrics["cascade.stages_passed"]);
        Assert.Contains("score 0.3 < threshold 0.5", result.TextFeedback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_candidate_that_passes_every_stage_keeps_each_stage_s_metrics_and_the_last_score()
    {
        var folders = new List<string>();
        IEvaluator Stage(double score) => Evaluators.FromDelegate((request, _) =>
        {
            folders.Add(request.WorkingDirectory);
            return ValueTask.FromResult(EvaluationResult.Success(score, textFeedback: $"scored {score}", publicMetrics: new Dictionary<string, double> { ["n"] = score * 10 }));
        });
        var result = await Evaluators.Cascade(new CascadeStage("quick", Stage(0.6), 0.5), new CascadeStage("full", Stage(0.8))).EvaluateAsync(Request());

        Assert.Equal(0.8, result.Score);
        Assert.Equal(6, result.PublicMetrics["quick.n"]);
        Assert.Equal(8, result.PublicMetrics["full.n"]);
        Assert.Equal(2, result.PublicMetrics["cascade.stages_passed"]);
        Assert.Equal([Path.Combine(_folder, "quick"), Path.Combine(_folder, "full")], folders);
        Assert.Contains("[quick] scored 0.6", result.TextFeedback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_stage_stops_the_cascade_with_its_status()
    {
        var result = await Evaluators.Cascade(
            new CascadeStage("compile", Evaluators.FromDelegate((_, _) => ValueTask.FromResult(EvaluationResult.Failure(EvaluationStatus.CompileError, "main.rs:3: expected ';'")))),
            new CascadeStage("full", Evaluators.FromDelegate((_, _) => throw new InvalidOperationException("must not run")))).EvaluateAsync(Request());

        Assert.Equal(EvaluationStatus.CompileError, result.Status);
        Assert.Contains("expected ';'", result.TextFeedback, StringComparison.Ordinal);
        Assert.Contains("Stopped after stage 'compile' (CompileError)", result.TextFeedback, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "needs a name")]
    [InlineData("a.b", "needs a name")]
    public void Bad_stages_are_named_in_the_error(string name, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => Evaluators.Cascade(new CascadeStage(name, Evaluators.FromDelegate((_, _) => ValueTask.FromResult(EvaluationResult.Success(1))))));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Evaluators.Cascade());
    }

    private EvaluationRequest Request() => new()
    {
        CandidateId = 1,
        Code = "x = 1",
        Language = ProgramLanguage.Python,
        WorkingDirectory = _folder,
        Backend = Backends.Local(),
    };
}
