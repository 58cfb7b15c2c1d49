namespace Genesis;

/// <summary>One candidate to evaluate, with the place and the means to run it.</summary>
public sealed record EvaluationRequest
{
    /// <summary>The candidate's id in the run (stable across resumes).</summary>
    public required long CandidateId { get; init; }

    /// <summary>The complete source text of the candidate.</summary>
    public required string Code { get; init; }

    /// <summary>The candidate's language.</summary>
    public required ProgramLanguage Language { get; init; }

    /// <summary>A folder that belongs to this candidate alone; it exists when the evaluator is called.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Where out-of-process work runs.</summary>
    public required IExecutionBackend Backend { get; init; }

    /// <summary>The wall-clock limit for the whole evaluation.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}
