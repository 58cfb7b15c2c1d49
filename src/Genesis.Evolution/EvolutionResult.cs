namespace Genesis;

/// <summary>The outcome of a run: the best program, why the run stopped, what it cost, and statistics per island and per model.</summary>
public sealed record EvolutionResult
{
    /// <summary>The best correct program, or <see langword="null"/> when no correct program was found.</summary>
    public Candidate? Best { get; init; }

    /// <summary>The best correct score, or negative infinity when none.</summary>
    public double BestScore => Best?.Score ?? double.NegativeInfinity;

    /// <summary>The source of the best program (also saved as <c>best/</c> in the run folder), or <see langword="null"/>.</summary>
    public string? BestProgram => Best?.Code;

    /// <summary>The best program's public metrics.</summary>
    public IReadOnlyDictionary<string, double> BestMetrics => Best?.Evaluation?.PublicMetrics ?? EvaluationResult.EmptyMetrics;

    /// <summary>The initial program's score, or negative infinity when it was not correct.</summary>
    public double InitialScore { get; init; } = double.NegativeInfinity;

    /// <summary>Why the run stopped.</summary>
    public required StopReason StopReason { get; init; }

    /// <summary>Evaluated candidates in the whole run (across resumes).</summary>
    public int CompletedEvaluations { get; init; }

    /// <summary>Proposals made in the whole run: evaluated, failed and rejected.</summary>
    public int Proposals { get; init; }

    /// <summary>Prompt tokens over the whole run.</summary>
    public long InputTokens { get; init; }

    /// <summary>Completion tokens over the whole run.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Money spent over the whole run at the configured prices.</summary>
    public double Cost { get; init; }

    /// <summary>The run folder (database, event log, candidate folders, best program).</summary>
    public required string RunFolder { get; init; }

    /// <summary>Per-island statistics.</summary>
    public IReadOnlyList<IslandStatistics> Islands { get; init; } = [];

    /// <summary>Per-model statistics.</summary>
    public IReadOnlyList<ModelStatistics> Models { get; init; } = [];

    /// <summary>The best program's ancestry, from the initial program to the best.</summary>
    public IReadOnlyList<Candidate> Lineage { get; init; } = [];
}
