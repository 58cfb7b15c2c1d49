namespace Genesis;

/// <summary>What a mutator produced: a new program, or the reason it could not make one, and what it spent.</summary>
public sealed record MutationProposal
{
    /// <summary>The new program's complete source, or <see langword="null"/> when the mutation failed.</summary>
    public string? Code { get; init; }

    /// <summary>The kind of mutation that was made.</summary>
    public required MutationKind Kind { get; init; }

    /// <summary>The patch or rewrite text (for the record and the lineage view).</summary>
    public string? Diff { get; init; }

    /// <summary>The model that answered, or <see langword="null"/> for offline mutators.</summary>
    public string? Model { get; init; }

    /// <summary>Prompt tokens over all attempts.</summary>
    public long InputTokens { get; init; }

    /// <summary>Completion tokens over all attempts.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Money spent over all attempts.</summary>
    public double Cost { get; init; }

    /// <summary>Why no program was made, with diagnostics (for example the closest matching lines of a failed SEARCH).</summary>
    public string? Error { get; init; }

    /// <summary>How many model turns were used (1 plus retries).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>Whether a program was made.</summary>
    public bool Succeeded => Code is not null && Error is null;
}
