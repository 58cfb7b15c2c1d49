namespace Genesis;

/// <summary>A process to run on an <see cref="IExecutionBackend"/>.</summary>
public sealed record ProcessRequest
{
    /// <summary>The program to start, a path or a name looked up on <c>PATH</c>.</summary>
    public required string FileName { get; init; }

    /// <summary>The arguments, passed without shell interpretation.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The working folder; it must exist.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Variables to set (a <see langword="null"/> value removes one) on top of the backend's environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>The wall-clock limit; the whole process tree is killed when it passes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The most bytes of standard output and of standard error kept each; the rest is discarded and counted.</summary>
    public int MaxOutputBytes { get; init; } = 1 << 20;

    /// <summary>Text written to standard input, which is then closed. <see langword="null"/> closes it at once.</summary>
    public string? StandardInput { get; init; }
}
