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

    /// <summary>The caller cancelled the run.</summary>
    Cancelled,
}
