namespace Genesis.Execution;

/// <summary>What one compilation produced, in the form the compile cache stores it.</summary>
/// <param name="Succeeded">Whether the program built.</param>
/// <param name="CompilerOutput">The compiler's messages (the errors of a failed build), not yet capped.</param>
/// <param name="Files">The artifact files, relative to the candidate's folder with <c>/</c> separators; empty for a failed build.</param>
/// <param name="Cacheable">
/// Whether the outcome depends only on the key: false for a compiler that timed out, could not start or was killed by a
/// signal, whose outcome says nothing about the source.
/// </param>
internal sealed record CompiledBuild(bool Succeeded, string CompilerOutput, IReadOnlyList<string> Files, bool Cacheable = true);
