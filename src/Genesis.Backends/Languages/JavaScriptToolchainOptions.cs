namespace Genesis.Execution;

/// <summary>Options of a <see cref="JavaScriptToolchain"/>.</summary>
public sealed class JavaScriptToolchainOptions : ToolchainOptions
{
    /// <summary>Node.js, a path or a name looked up on <c>PATH</c>. Default: <c>node</c>.</summary>
    public string Node { get; set; } = "node";

    /// <summary>
    /// Whether a build runs <c>node --check main.js</c> so that a syntax error is reported as a compile error instead of
    /// as a crash of the run. Goes through the compile cache. Default: <see langword="false"/> (no build step).
    /// </summary>
    public bool CheckSyntax { get; set; }

    internal JavaScriptToolchainOptions Clone() => CopyTo(new JavaScriptToolchainOptions { Node = Node, CheckSyntax = CheckSyntax });

    private protected override void ValidateTools() => RequireProgram(Node, GetType().Name, nameof(Node));
}
