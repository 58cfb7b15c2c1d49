namespace Genesis;

/// <summary>What a mutator gets to make a child: the parent, inspirations, the task and what went wrong recently.</summary>
public sealed record MutationContext
{
    /// <summary>The program to change.</summary>
    public required Candidate Parent { get; init; }

    /// <summary>Other programs to learn from (top programs of the island and diverse ones from elsewhere). For a crossover the first is the second parent.</summary>
    public IReadOnlyList<Candidate> Inspirations { get; init; } = [];

    /// <summary>The kind of mutation asked for.</summary>
    public required MutationKind Kind { get; init; }

    /// <summary>The task's description for the prompt.</summary>
    public string TaskDescription { get; init; } = string.Empty;

    /// <summary>The language of the programs.</summary>
    public required ProgramLanguage Language { get; init; }

    /// <summary>Short descriptions of recent failures on this island (failed patches, crashes), newest first.</summary>
    public IReadOnlyList<string> RecentFailures { get; init; } = [];

    /// <summary>The island the child will live on.</summary>
    public int Island { get; init; }

    /// <summary>The random source for this proposal, derived from the run's seed.</summary>
    public required Random Random { get; init; }
}
