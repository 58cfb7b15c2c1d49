namespace Genesis;

/// <summary>How an evaluation ended. Only <see cref="Succeeded"/> results carry a usable score.</summary>
public enum EvaluationStatus
{
    /// <summary>The evaluator ran and reported a finite score within the task's bounds.</summary>
    Succeeded,

    /// <summary>The evaluator ran but its report was unusable: non-JSON, a missing or non-finite score, or a score above the task's known bound.</summary>
    Invalid,

    /// <summary>The candidate or its evaluator exited with an error.</summary>
    Crashed,

    /// <summary>The candidate exceeded its wall-clock limit and was killed with its whole process tree.</summary>
    TimedOut,

    /// <summary>The candidate did not compile; the compiler's messages are in the feedback.</summary>
    CompileError,

    /// <summary>The candidate exceeded a resource limit (memory, processes, output) and was stopped.</summary>
    ResourceLimit,
}
