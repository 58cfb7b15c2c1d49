namespace Genesis;

/// <summary>
/// Confines a candidate process: the code an LLM writes is treated as hostile. A sandbox rewrites a
/// <see cref="ProcessRequest"/> into one that runs the same program under its protections (for example through
/// bubblewrap and prlimit); backends apply it to every candidate process.
/// </summary>
public interface ISandbox
{
    /// <summary>The protections in force on this machine, as detected (a sandbox says what it could not apply).</summary>
    SandboxReport Report { get; }

    /// <summary>
    /// Returns the request to run instead of <paramref name="request"/>: the same program, confined so that only
    /// <see cref="ProcessRequest.WorkingDirectory"/> is writable.
    /// </summary>
    ProcessRequest Wrap(ProcessRequest request);
}
