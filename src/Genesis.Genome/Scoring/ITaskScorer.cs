using Genesis.Datasets;

namespace Genesis.Scoring;

/// <summary>Scores one model output against one sample: extracts the answer, compares it with the reference, says why.</summary>
/// <remarks>
/// A wrong, missing, ambiguous or crashing answer is a score of 0 with a reason, not an exception. Implementations throw
/// only for the caller's mistakes (a sample without the references or tests the scorer needs), for a broken environment
/// (no Python for MBPP), and for cancellation.
/// </remarks>
public interface ITaskScorer
{
    /// <summary>Scores <paramref name="modelOutput"/> as an answer to <paramref name="sample"/>.</summary>
    /// <param name="sample">The question, with its references.</param>
    /// <param name="modelOutput">The model's whole reply.</param>
    /// <param name="cancellationToken">Stops the scoring; a running test process is killed.</param>
    ValueTask<SampleScore> ScoreAsync(TaskSample sample, string modelOutput, CancellationToken cancellationToken = default);
}
