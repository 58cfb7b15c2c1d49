namespace Genesis.Execution;

/// <summary>
/// Scores a candidate in process with a C# delegate. An exception from the delegate (other than the caller's
/// cancellation) becomes a <see cref="EvaluationStatus.Crashed"/> result naming the exception's type and message.
/// </summary>
/// <remarks>
/// The delegate receives a token that is cancelled at the request's timeout as well as by the caller; a delegate that
/// stops on it is reported as <see cref="EvaluationStatus.TimedOut"/>. A delegate that ignores it cannot be stopped.
/// When the delegate leaves <see cref="EvaluationResult.Duration"/> at zero it is filled in.
/// </remarks>
public sealed class DelegateEvaluator : IEvaluator
{
    private readonly Func<EvaluationRequest, CancellationToken, ValueTask<EvaluationResult>> _evaluate;
    private readonly TimeProvider _time;

    /// <summary>Creates an evaluator around <paramref name="evaluate"/>.</summary>
    /// <param name="evaluate">Scores one candidate.</param>
    /// <param name="timeProvider">The clock for the timeout and the duration; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public DelegateEvaluator(Func<EvaluationRequest, CancellationToken, ValueTask<EvaluationResult>> evaluate, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        _evaluate = evaluate;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async ValueTask<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        using var timeout = request.Timeout > TimeSpan.Zero || request.Timeout == Timeout.InfiniteTimeSpan
            ? new CancellationTokenSource(request.Timeout, _time)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        EvaluationResult? result;
        try
        {
            result = await _evaluate(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            result = EvaluationResult.Failure(EvaluationStatus.TimedOut, $"stopped after {MetricsReader.FormatSeconds(request.Timeout)} s");
        }
        catch (Exception e)
        {
            result = EvaluationResult.Failure(EvaluationStatus.Crashed, $"the evaluator threw {e.GetType().FullName}: {e.Message}");
        }

        result ??= EvaluationResult.Failure(EvaluationStatus.Crashed, "the evaluator returned no result (null)");
        return result.Duration == TimeSpan.Zero ? result with { Duration = _time.GetElapsedTime(started) } : result;
    }
}
