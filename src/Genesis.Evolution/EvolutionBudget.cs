namespace Genesis;

/// <summary>
/// When a run stops. Every bound that is set ends the run cleanly when reached: no new proposals start, evaluations in
/// flight finish and are stored. Evaluations, tokens and cost count the whole run across resumes; wall-clock time counts
/// from the start of each <c>RunAsync</c> call.
/// </summary>
/// <param name="MaxEvaluations">Evaluated candidates in the whole run, the initial program included (default 100 when no bound is set).</param>
/// <param name="MaxTokens">Prompt plus completion tokens over every LLM call, failed ones included.</param>
/// <param name="MaxCost">Money over every LLM call at the configured prices.</param>
/// <param name="MaxWallClock">Time since this run call started.</param>
public sealed record EvolutionBudget(int? MaxEvaluations = null, long? MaxTokens = null, double? MaxCost = null, TimeSpan? MaxWallClock = null)
{
    internal void Validate()
    {
        if (MaxEvaluations is < 1 or > 100_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEvaluations), MaxEvaluations, $"WithBudget: maxEvaluations must be between 1 and 100000000, was {MaxEvaluations}.");
        }

        if (MaxTokens is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTokens), MaxTokens, $"WithBudget: maxTokens must be at least 1, was {MaxTokens}.");
        }

        if (MaxCost is { } cost && (!double.IsFinite(cost) || cost <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxCost), MaxCost, $"WithBudget: maxCost must be a positive finite amount, was {MaxCost}.");
        }

        if (MaxWallClock is { } clock && clock <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxWallClock), MaxWallClock, $"WithBudget: maxWallClock must be positive, was {MaxWallClock}.");
        }
    }

    /// <summary>The evaluation bound in force: <see cref="MaxEvaluations"/>, or 100 when no bound at all is set.</summary>
    internal int? EffectiveMaxEvaluations =>
        MaxEvaluations ?? (MaxTokens is null && MaxCost is null && MaxWallClock is null ? 100 : null);
}
