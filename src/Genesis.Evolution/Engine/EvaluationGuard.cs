namespace Genesis.Engine;

/// <summary>
/// The last line of defence against gamed evaluators: a success must carry finite numbers, and a score above the task's
/// known bound is not a discovery but a bug in the evaluator (OpenEvolve users saw "valid" packings of 4.01 and NaN centres).
/// </summary>
internal static class EvaluationGuard
{
    private const double BoundTolerance = 1e-9;

    public static EvaluationResult Check(EvaluationResult result, double? maxScore)
    {
        if (!result.IsSuccess)
        {
            return result;
        }

        if (!double.IsFinite(result.Score))
        {
            return Invalid(result, $"combined_score is not a finite number ({result.Score}).");
        }

        if (maxScore is { } bound && result.Score > bound + BoundTolerance)
        {
            return Invalid(result, $"combined_score {result.Score:R} exceeds the task's known bound {bound:R}: the evaluator was gamed or is wrong.");
        }

        foreach (var (name, value) in result.PublicMetrics.Concat(result.PrivateMetrics))
        {
            if (!double.IsFinite(value))
            {
                return Invalid(result, $"metric '{name}' is not a finite number ({value}).");
            }
        }

        return result;
    }

    private static EvaluationResult Invalid(EvaluationResult result, string reason) =>
        result with
        {
            Status = EvaluationStatus.Invalid,
            Score = 0,
            Correct = false,
            Error = reason,
            TextFeedback = result.TextFeedback.Length > 0 ? $"{reason}\n{result.TextFeedback}" : reason,
        };
}
