namespace Genesis;

/// <summary>How a process run on an <see cref="IExecutionBackend"/> ended.</summary>
public sealed record ProcessOutcome
{
    /// <summary>The exit code; meaningless when <see cref="TimedOut"/> or <see cref="StartError"/> is set.</summary>
    public int ExitCode { get; init; }

    /// <summary>Standard output, capped at the request's <see cref="ProcessRequest.MaxOutputBytes"/>.</summary>
    public string StandardOutput { get; init; } = string.Empty;

    /// <summary>Standard error, capped at the request's <see cref="ProcessRequest.MaxOutputBytes"/>.</summary>
    public string StandardError { get; init; } = string.Empty;

    /// <summary>Whether the wall-clock limit passed and the process tree was killed.</summary>
    public bool TimedOut { get; init; }

    /// <summary>Whether output beyond the cap was discarded.</summary>
    public bool OutputTruncated { get; init; }

    /// <summary>Why the process could not start (for example the program was not found), or <see langword="null"/>.</summary>
    public string? StartError { get; init; }

    /// <summary>The wall-clock time from start to exit or kill.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Whether the process started, finished in time and exited with code 0.</summary>
    public bool Succeeded => StartError is null && !TimedOut && ExitCode == 0;
}
