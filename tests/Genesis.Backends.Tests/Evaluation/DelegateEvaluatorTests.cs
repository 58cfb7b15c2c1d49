using Genesis.Execution.Tests.Support;
using Genesis.Execution;

namespace Genesis.Execution.Tests.Evaluation;

public sealed class DelegateEvaluatorTests
{
    private static EvaluationRequest Request(TimeSpan? timeout = null) => new()
    {
        CandidateId = 3,
        Code = "x = 1",
        Language = ProgramLanguage.Python,
        WorkingDirectory = Path.GetTempPath(),
        Backend = new FakeBackend(),
        Timeout = timeout ?? TimeSpan.FromMinutes(1),
    };

    [Fact]
    public async Task The_delegates_result_is_returned_with_its_duration_filled_in()
    {
        var clock = new ManualTimeProvider();
        var evaluator = new DelegateEvaluator(
            (request, _) =>
            {
                clock.Advance(TimeSpan.FromSeconds(2));
                return ValueTask.FromResult(EvaluationResult.Success(request.Code.Length, textFeedback: "fine"));
            },
            clock);

        var result = await evaluator.EvaluateAsync(Request());

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(5, result.Score);
        Assert.Equal("fine", result.TextFeedback);
        Assert.Equal(TimeSpan.FromSeconds(2), result.Duration);
    }

    [Fact]
    public async Task An_exception_becomes_a_crashed_result_with_its_type_and_message()
    {
        var evaluator = Evaluators.FromDelegate((_, _) => throw new InvalidOperationException("the grid has no solution"));

        var result = await evaluator.EvaluateAsync(Request());

        Assert.Equal(EvaluationStatus.Crashed, result.Status);
        Assert.Equal("the evaluator threw System.InvalidOperationException: the grid has no solution", result.Error);
        Assert.Contains("the grid has no solution", result.TextFeedback);
        Assert.False(result.Correct);
    }

    [Fact]
    public async Task An_exception_from_an_async_delegate_is_caught_too()
    {
        var evaluator = Evaluators.FromDelegate(async (_, token) =>
        {
            await Task.Yield();
            throw new FormatException("bad number");
        });

        var result = await evaluator.EvaluateAsync(Request());

        Assert.Equal(EvaluationStatus.Crashed, result.Status);
        Assert.Contains("System.FormatException: bad number", result.Error);
    }

    [Fact]
    public async Task The_callers_cancellation_reaches_the_delegate_and_propagates()
    {
        using var cancellation = new CancellationTokenSource();
        var evaluator = Evaluators.FromDelegate(async (_, token) =>
        {
            await cancellation.CancelAsync();
            token.ThrowIfCancellationRequested();
            return EvaluationResult.Success(1);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => evaluator.EvaluateAsync(Request(), cancellation.Token).AsTask());
    }

    [Fact]
    public async Task A_delegate_stopped_by_the_timeout_is_timed_out()
    {
        var clock = new ManualTimeProvider();
        var evaluator = new DelegateEvaluator(
            (request, token) =>
            {
                clock.Advance(request.Timeout);
                token.ThrowIfCancellationRequested();
                return ValueTask.FromResult(EvaluationResult.Success(1));
            },
            clock);

        var result = await evaluator.EvaluateAsync(Request(TimeSpan.FromSeconds(30)));

        Assert.Equal(EvaluationStatus.TimedOut, result.Status);
        Assert.Equal("stopped after 30 s", result.Error);
    }

    [Fact]
    public async Task A_null_result_is_a_crash()
    {
        var evaluator = Evaluators.FromDelegate((_, _) => ValueTask.FromResult<EvaluationResult>(null!));

        var result = await evaluator.EvaluateAsync(Request());

        Assert.Equal(EvaluationStatus.Crashed, result.Status);
    }
}
