namespace Genesis;

/// <summary>
/// Turns a candidate's source into something that runs: a compiler (rustc, g++, tsc, Roslyn) or an interpreter (python3,
/// node). One class per language; a new language is one new class.
/// </summary>
public interface IToolchain
{
    /// <summary>The language this toolchain builds.</summary>
    ProgramLanguage Language { get; }

    /// <summary>
    /// Checks that the tools are installed and reports their version (part of the compile-cache key). Called once when a
    /// run starts, so that a missing compiler is one clear error, not a failure per candidate.
    /// </summary>
    /// <exception cref="ToolchainNotFoundException">A tool is missing, with a message that says what to install.</exception>
    ValueTask<ToolchainInfo> ProbeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Builds <see cref="BuildRequest.SourceCode"/>. A compile error is a failed <see cref="BuildResult"/> with the
    /// compiler's messages, not an exception.
    /// </summary>
    ValueTask<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellationToken = default);
}
