namespace Genesis;

/// <summary>What a build produced: how to run the program, or the compiler's messages.</summary>
public sealed record BuildResult
{
    /// <summary>Whether the program built.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>The path of the source file written for the build.</summary>
    public required string SourcePath { get; init; }

    /// <summary>
    /// How to start the built program (for example <c>./main</c>, or <c>node main.js</c>): its
    /// <see cref="ProcessRequest.FileName"/> and leading <see cref="ProcessRequest.Arguments"/>; the caller adds its own
    /// arguments, working folder and limits. <see langword="null"/> when the build failed.
    /// </summary>
    public ProcessRequest? Run { get; init; }

    /// <summary>The built artifact (an executable, a script, an assembly), or <see langword="null"/>.</summary>
    public string? ArtifactPath { get; init; }

    /// <summary>The compiler's output: the errors when the build failed (fed back to the LLM), warnings otherwise.</summary>
    public string CompilerOutput { get; init; } = string.Empty;

    /// <summary>Whether the artifact came from the compile cache.</summary>
    public bool CacheHit { get; init; }

    /// <summary>How long the build took.</summary>
    public TimeSpan Duration { get; init; }
}
