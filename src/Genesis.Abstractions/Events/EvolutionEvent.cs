namespace Genesis;

/// <summary>Something that happened in a run, for a UI or log to follow. Every event is also appended to the run's <c>events.jsonl</c>.</summary>
public abstract record EvolutionEvent
{
    /// <summary>When it happened.</summary>
    public DateTimeOffset Timestamp { get; init; }
}

/// <summary>The run started, fresh or resumed.</summary>
/// <param name="RunFolder">The run's folder.</param>
/// <param name="Resumed">Whether earlier work was found and continued.</param>
/// <param name="CompletedEvaluations">Evaluations already done when the run started.</param>
public sealed record RunStarted(string RunFolder, bool Resumed, int CompletedEvaluations) : EvolutionEvent;

/// <summary>A remark the user should see once (for example that no LLM is configured and offline mutators run).</summary>
/// <param name="Message">The remark.</param>
public sealed record RunNotice(string Message) : EvolutionEvent;

/// <summary>A candidate was evaluated.</summary>
/// <param name="Candidate">The candidate with its evaluation.</param>
/// <param name="IsNewBest">Whether it is the best correct program of the run so far.</param>
/// <param name="CompletedEvaluations">Evaluations done so far in the run, this one included.</param>
public sealed record CandidateEvaluated(Candidate Candidate, bool IsNewBest, int CompletedEvaluations) : EvolutionEvent;

/// <summary>A proposal was not evaluated: its mutation failed or the novelty filter rejected it.</summary>
/// <param name="Candidate">The rejected candidate, with <see cref="Candidate.Error"/> saying why.</param>
public sealed record CandidateRejected(Candidate Candidate) : EvolutionEvent;

/// <summary>Programs moved between islands.</summary>
/// <param name="FromIsland">The source island.</param>
/// <param name="ToIsland">The destination island.</param>
/// <param name="CandidateIds">The programs copied.</param>
public sealed record MigrationCompleted(int FromIsland, int ToIsland, IReadOnlyList<long> CandidateIds) : EvolutionEvent;

/// <summary>The run stopped.</summary>
/// <param name="Reason">Why.</param>
/// <param name="CompletedEvaluations">Evaluations done in the whole run.</param>
/// <param name="BestScore">The best correct score, or negative infinity when none.</param>
public sealed record RunCompleted(StopReason Reason, int CompletedEvaluations, double BestScore) : EvolutionEvent;
