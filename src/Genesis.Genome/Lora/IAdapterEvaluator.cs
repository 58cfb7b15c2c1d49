using Genesis.Adapters;
using Genesis.Scoring;

namespace Genesis.Lora;

/// <summary>The data split an adapter is scored on.</summary>
public enum EvaluationSplit
{
    /// <summary>The validation split: fitness, ranking, elites and ensemble selection.</summary>
    Validation,

    /// <summary>The test split, reported once at the end.</summary>
    Test,
}

/// <summary>
/// Scores an adapter on a split: a weighted sum of task scores (higher is better) with every sample's score and extracted
/// answer, which the GENOME loop keeps for majority-vote ensembles.
/// </summary>
/// <remarks>
/// The loop may call <see cref="EvaluateAsync"/> concurrently (see <see cref="GenomeBuilder.WithEvaluationConcurrency"/>);
/// an implementation that cannot run two evaluations at once must serialise them itself.
/// </remarks>
public interface IAdapterEvaluator
{
    /// <summary>Scores <paramref name="adapter"/> on <paramref name="split"/>.</summary>
    /// <param name="adapter">The adapter; the evaluator must not change it.</param>
    /// <param name="split">The split.</param>
    /// <param name="cancellationToken">Stops the evaluation.</param>
    /// <returns>The fitness and how it was made up.</returns>
    Task<FitnessReport> EvaluateAsync(LoraAdapter adapter, EvaluationSplit split, CancellationToken cancellationToken = default);
}
