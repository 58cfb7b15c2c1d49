namespace Genesis;

/// <summary>Why a run stopped.</summary>
public enum StopReason
{
    /// <summary>The evaluation budget was used.</summary>
    EvaluationBudget,

    /// <summary>The token budget was used.</summary>
    TokenBudget,

    /// <summary>The cost budget was used.</summary>
    CostBudget,

    /// <summary>The wall-clock budget passed.</summary>
    WallClockBudget,

    /// <summary>A program reached the target score.</summary>
    TargetReached,

    /// <summary>The caller cancelled the run (<c>RunAsync</c> then throws <see cref="OperationCanceledException"/>; unevaluated proposals stay pending for a resume).</summary>
    Cancelled,

    /// <summary>Too many proposals in a row failed or were rejected (for example a mutator that can never change the program).</summary>
    NoProgress,
}
