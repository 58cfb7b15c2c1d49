namespace Genesis;

/// <summary>Scores a candidate program.</summary>
/// <remarks>
/// Implementations report failures (crash, timeout, bad output) as an <see cref="EvaluationResult"/> with a non-success
/// status; they throw only for cancellation or for a mistake of the caller.
/// </remarks>
public interface IEvaluator
{
    /// <summary>Evaluates <paramref name="request"/>.</summary>
    /// <param name="request">The candidate and where to run it.</param>
    /// <param name="cancellationToken">Stops the evaluation; running processes are killed.</param>
    ValueTask<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken = default);
}
