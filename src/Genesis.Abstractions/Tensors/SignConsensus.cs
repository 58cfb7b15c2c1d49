namespace Genesis;

/// <summary>How the sign of each merged element is elected (TIES "elect"), or <see cref="None"/> for no election.</summary>
public enum SignConsensus
{
    /// <summary>No election: every kept element contributes (task arithmetic, DARE linear, breadcrumbs).</summary>
    None = 0,

    /// <summary>The sign of the sum of the (election-weighted) kept values; a zero sum elects +1. TIES' and mergekit's "sum", GENOME's "total".</summary>
    Sum = 1,

    /// <summary>The sign of the sum of the signs (a majority vote); a tie elects +1. mergekit's "count", PEFT's "frequency".</summary>
    Count = 2,
}
