namespace Genesis;

/// <summary>The programs a parent is chosen from, and what a selector may know about them.</summary>
public sealed record ParentSelectionContext
{
    /// <summary>The eligible programs, never empty, in no particular order.</summary>
    public required IReadOnlyList<Candidate> Candidates { get; init; }

    /// <summary>How many children a program already has.</summary>
    public required Func<long, int> ChildCount { get; init; }

    /// <summary>The random source, derived from the run's seed.</summary>
    public required Random Random { get; init; }
}
