namespace Genesis.Scoring;

/// <summary>How well one output answered one sample.</summary>
public sealed record SampleScore
{
    private static readonly IReadOnlyDictionary<string, double> NoMetrics = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>The score, between 0 and 1: 1 for a correct answer; DROP's F1 may fall in between.</summary>
    public required double Score { get; init; }

    /// <summary>
    /// The answer read from the output in a canonical form (GSM8K: the number, <c>1000</c> or <c>3.5</c>; multiple choice:
    /// the letter; DROP: the answer text; MBPP: the code run), or <see langword="null"/> when none was found. Majority votes
    /// group members by this value.
    /// </summary>
    public string? ExtractedAnswer { get; init; }

    /// <summary>Why the score is what it is, for example <c>extracted 18 ('#### 18'); reference 18</c> or the failing assert.</summary>
    public required string Reason { get; init; }

    /// <summary>Further named metrics; DROP reports <c>em</c> and <c>f1</c>. Empty for the other tasks.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = NoMetrics;

    /// <summary>Whether the answer earned full credit.</summary>
    public bool IsCorrect => Score >= 1.0;
}
