namespace Genesis;

/// <summary>
/// What an evaluator reports about one candidate, in ShinkaEvolve's shape: a combined score, a correctness flag, public
/// metrics (shown to the LLM), private metrics (kept from it) and text feedback for the next prompt.
/// </summary>
/// <remarks>A failed evaluation is data, not an exception: <see cref="Status"/> says what happened and <see cref="Error"/> why.</remarks>
public sealed record EvaluationResult
{
    /// <summary>How the evaluation ended.</summary>
    public required EvaluationStatus Status { get; init; }

    /// <summary>The combined score, higher is better. Zero unless <see cref="Status"/> is <see cref="EvaluationStatus.Succeeded"/>.</summary>
    public double Score { get; init; }

    /// <summary>Whether the program solves the task correctly. Only correct programs become parents (outside repair mode).</summary>
    public bool Correct { get; init; }

    /// <summary>Numeric metrics the LLM may see.</summary>
    public IReadOnlyDictionary<string, double> PublicMetrics { get; init; } = EmptyMetrics;

    /// <summary>Numeric metrics kept from the LLM (for example a held-out test score).</summary>
    public IReadOnlyDictionary<string, double> PrivateMetrics { get; init; } = EmptyMetrics;

    /// <summary>Text for the LLM about what went well or wrong. May be empty.</summary>
    public string TextFeedback { get; init; } = string.Empty;

    /// <summary>Why the evaluation failed, for people and prompts; <see langword="null"/> on success.</summary>
    public string? Error { get; init; }

    /// <summary>How long the evaluation took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Whether the candidate has a usable score.</summary>
    public bool IsSuccess => Status == EvaluationStatus.Succeeded;

    /// <summary>An empty metric map.</summary>
    public static IReadOnlyDictionary<string, double> EmptyMetrics { get; } = new Dictionary<string, double>();

    /// <summary>Creates a successful result.</summary>
    public static EvaluationResult Success(double score, bool correct = true, string textFeedback = "", IReadOnlyDictionary<string, double>? publicMetrics = null, IReadOnlyDictionary<string, double>? privateMetrics = null) =>
        new()
        {
            Status = EvaluationStatus.Succeeded,
            Score = score,
            Correct = correct,
            TextFeedback = textFeedback,
            PublicMetrics = publicMetrics ?? EmptyMetrics,
            PrivateMetrics = privateMetrics ?? EmptyMetrics,
        };

    /// <summary>Creates a failed result with a reason; the score is zero and the candidate incorrect.</summary>
    public static EvaluationResult Failure(EvaluationStatus status, string error, string textFeedback = "")
    {
        if (status == EvaluationStatus.Succeeded)
        {
            throw new ArgumentException("A failure needs a status other than Succeeded.", nameof(status));
        }

        return new() { Status = status, Error = error, TextFeedback = textFeedback.Length > 0 ? textFeedback : error };
    }
}
