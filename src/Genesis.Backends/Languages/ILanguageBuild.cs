namespace Genesis.Execution;

/// <summary>
/// What a language adds to the shared build pipeline (<see cref="ToolchainCore"/>): how to find and probe its tools, how
/// to compile a candidate in its folder, and how to start the result. Implemented explicitly by each public toolchain.
/// </summary>
internal interface ILanguageBuild
{
    /// <summary>The language built; its file extension names the source file (<c>main.rs</c>).</summary>
    ProgramLanguage Language { get; }

    /// <summary>A short name of the build recipe (<c>rustc</c>, <c>cargo</c>), part of the compile-cache key.</summary>
    string Recipe { get; }

    /// <summary>Whether a build step runs; when not, the source file itself is what runs.</summary>
    bool Builds { get; }

    /// <summary>The file the build leaves in the candidate's folder (relative), or <see langword="null"/> when the source runs as it is.</summary>
    string? ArtifactName { get; }

    /// <summary>Finds the tools and reads their versions. Called once per toolchain (until it succeeds).</summary>
    /// <exception cref="ToolchainNotFoundException">A tool is missing.</exception>
    ValueTask<ToolchainProbe> ProbeAsync(ToolFinder finder, CancellationToken cancellationToken);

    /// <summary>Builds the candidate whose source is at <see cref="CompileContext.SourcePath"/>; a compile error is a failed run, not an exception.</summary>
    ValueTask<CompileRun> CompileAsync(CompileContext context, CancellationToken cancellationToken);

    /// <summary>How to start the built (or interpreted) program in <paramref name="workingDirectory"/>.</summary>
    ProcessRequest RunRequest(string workingDirectory, string sourcePath);
}

/// <summary>What a probe found.</summary>
/// <param name="Info">The main tool, its version line and flags.</param>
/// <param name="KeyParts">Everything else that decides what a build produces (full version outputs, target triple, template hash).</param>
internal sealed record ToolchainProbe(ToolchainInfo Info, IReadOnlyList<string> KeyParts);

/// <summary>One build of one candidate.</summary>
/// <param name="WorkingDirectory">The candidate's folder (full path); the artifact goes here.</param>
/// <param name="SourcePath">The candidate's source file, written already.</param>
/// <param name="SourceCode">The candidate's source.</param>
/// <param name="Backend">Where the compiler runs.</param>
/// <param name="Timeout">The wall-clock limit of the build.</param>
/// <param name="Environment">The compiler's extra environment.</param>
/// <param name="MaxOutputBytes">How much of each output stream of the compiler to capture.</param>
internal sealed record CompileContext(
    string WorkingDirectory,
    string SourcePath,
    string SourceCode,
    IExecutionBackend Backend,
    TimeSpan Timeout,
    IReadOnlyDictionary<string, string?> Environment,
    int MaxOutputBytes);

/// <summary>How a compilation went.</summary>
/// <param name="Succeeded">Whether the artifact was built.</param>
/// <param name="Output">The relevant compiler messages (uncapped, paths of shared folders made relative).</param>
/// <param name="Outcome">The process that decided the outcome (the failing one, or the last).</param>
/// <param name="SourceDependent">
/// Whether a failure comes from the source rather than from the set-up (a CMake configure step that fails says nothing
/// about the candidate); only such outcomes are cached.
/// </param>
internal sealed record CompileRun(bool Succeeded, string Output, ProcessOutcome Outcome, bool SourceDependent = true);
