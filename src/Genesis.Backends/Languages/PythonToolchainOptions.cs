namespace Genesis.Execution;

/// <summary>Options of a <see cref="PythonToolchain"/>.</summary>
public sealed class PythonToolchainOptions : ToolchainOptions
{
    /// <summary>The interpreter, a path or a name looked up on <c>PATH</c>. Default: <c>python3</c>.</summary>
    public string Python { get; set; } = "python3";

    /// <summary>
    /// Whether a build compiles the source (without running it) so that a syntax error is reported as a compile error
    /// with the interpreter's message, instead of as a crash of the run. Goes through the compile cache. Default:
    /// <see langword="false"/> (no build step: the source runs as it is).
    /// </summary>
    public bool CheckSyntax { get; set; }

    internal PythonToolchainOptions Clone() => CopyTo(new PythonToolchainOptions { Python = Python, CheckSyntax = CheckSyntax });

    private protected override void ValidateTools() => RequireProgram(Python, GetType().Name, nameof(Python));
}
