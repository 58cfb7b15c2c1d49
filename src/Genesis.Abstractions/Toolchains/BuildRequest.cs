namespace Genesis;

/// <summary>A candidate to build.</summary>
public sealed record BuildRequest
{
    /// <summary>The candidate's complete source.</summary>
    public required string SourceCode { get; init; }

    /// <summary>The candidate's own folder; the source is written here and the build's outputs go here or to the cache.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Where the compiler runs.</summary>
    public required IExecutionBackend Backend { get; init; }

    /// <summary>The wall-clock limit of the build.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}
