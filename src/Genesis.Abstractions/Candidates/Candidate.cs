namespace Genesis;

/// <summary>
/// One program of a run, evaluated or not, with everything needed to explain it: parents, island, the mutation and
/// model that made it, what that cost, and how it scored. Candidates are immutable once written.
/// </summary>
public sealed record Candidate
{
    /// <summary>The id in the run, increasing in order of creation; stable across resumes.</summary>
    public required long Id { get; init; }

    /// <summary>The complete source text.</summary>
    public required string Code { get; init; }

    /// <summary>The parent's id; <see langword="null"/> for the initial program.</summary>
    public long? ParentId { get; init; }

    /// <summary>The second parent of a crossover, if any.</summary>
    public long? SecondParentId { get; init; }

    /// <summary>The programs shown to the mutator as inspirations.</summary>
    public IReadOnlyList<long> InspirationIds { get; init; } = [];

    /// <summary>The island the candidate was born on.</summary>
    public int Island { get; init; }

    /// <summary>The length of its lineage: 0 for the initial program, parent's generation + 1 otherwise.</summary>
    public int Generation { get; init; }

    /// <summary>How it was made.</summary>
    public MutationKind Mutation { get; init; }

    /// <summary>Where it is in its life.</summary>
    public CandidateStatus Status { get; init; }

    /// <summary>The evaluation, once <see cref="Status"/> is <see cref="CandidateStatus.Evaluated"/>.</summary>
    public EvaluationResult? Evaluation { get; init; }

    /// <summary>The patch or rewrite the mutator produced (for a diff, its SEARCH/REPLACE blocks).</summary>
    public string? Diff { get; init; }

    /// <summary>The model that proposed it; <see langword="null"/> for offline mutators.</summary>
    public string? Model { get; init; }

    /// <summary>Prompt tokens spent on it, retries included.</summary>
    public long InputTokens { get; init; }

    /// <summary>Completion tokens spent on it, retries included.</summary>
    public long OutputTokens { get; init; }

    /// <summary>The money spent on it, at the configured prices.</summary>
    public double Cost { get; init; }

    /// <summary>Why the mutation failed or the candidate was rejected, when it was.</summary>
    public string? Error { get; init; }

    /// <summary>When the candidate was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>How long the proposal took (LLM calls and retries).</summary>
    public TimeSpan ProposalDuration { get; init; }

    /// <summary>The score used for ranking: the evaluation's score on success, otherwise negative infinity.</summary>
    public double Score => Evaluation is { IsSuccess: true } e ? e.Score : double.NegativeInfinity;

    /// <summary>Whether the candidate was evaluated successfully and judged correct.</summary>
    public bool IsCorrect => Evaluation is { IsSuccess: true, Correct: true };
}
