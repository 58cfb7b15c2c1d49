namespace Genesis.Execution;

/// <summary>
/// JavaScript on Node.js: the candidate is written to <c>main.js</c> and runs as <c>node main.js</c>. No build step,
/// unless <see cref="JavaScriptToolchainOptions.CheckSyntax"/> asks for <c>node --check</c>. Probed with <c>node --version</c>.
/// </summary>
public sealed class JavaScriptToolchain : IToolchain, ILanguageBuild
{
    private readonly JavaScriptToolchainOptions _options;
    private readonly ToolchainCore _core;
    private string _node = string.Empty;

    /// <summary>Creates the toolchain; <paramref name="options"/> are validated and copied.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is unusable; the message names it.</exception>
    public JavaScriptToolchain(JavaScriptToolchainOptions? options = null)
    {
        _options = (options ?? new JavaScriptToolchainOptions()).Clone();
        _options.Validate();
        _core = new ToolchainCore(this, _options);
    }

    /// <inheritdoc />
    public ProgramLanguage Language => ProgramLanguage.JavaScript;

    string ILanguageBuild.Recipe => "node-check";

    bool ILanguageBuild.Builds => _options.CheckSyntax;

    string? ILanguageBuild.ArtifactName => null;

    /// <inheritdoc />
    public ValueTask<ToolchainInfo> ProbeAsync(CancellationToken cancellationToken = default) => _core.ProbeAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellationToken = default) => _core.BuildAsync(request, cancellationToken);

    async ValueTask<ToolchainProbe> ILanguageBuild.ProbeAsync(ToolFinder finder, CancellationToken cancellationToken)
    {
        var node = finder.Locate(_options.Node, "Node.js");
        var version = await finder.RunAsync(node, _options.Node, "Node.js", ["--version"], cancellationToken).ConfigureAwait(false);
        _node = node;
        return new ToolchainProbe(new ToolchainInfo(_options.Node, ToolFinder.FirstLine(version), _options.CheckSyntax ? "--check" : string.Empty), [version]);
    }

    async ValueTask<CompileRun> ILanguageBuild.CompileAsync(CompileContext context, CancellationToken cancellationToken)
    {
        var outcome = await context.Backend.RunAsync(
            new ProcessRequest
            {
                FileName = _node,
                Arguments = ["--check", Path.GetFileName(context.SourcePath)],
                WorkingDirectory = context.WorkingDirectory,
                Environment = context.Environment,
                Timeout = context.Timeout,
                MaxOutputBytes = context.MaxOutputBytes,
            },
            cancellationToken).ConfigureAwait(false);
        return new CompileRun(outcome.Succeeded, WithoutNodeInternals(CompilerOutput.Combine(outcome.StandardError, outcome.StandardOutput)), outcome);
    }

    /// <summary>Node's own stack frames ("    at wrapSafe (node:internal/...)") and version line say nothing about the candidate.</summary>
    private static string WithoutNodeInternals(string text) =>
        string.Join('\n', text.Split('\n').Where(line => !(line.TrimStart().StartsWith("at ", StringComparison.Ordinal) && line.Contains("(node:", StringComparison.Ordinal)) && !line.StartsWith("Node.js v", StringComparison.Ordinal))).TrimEnd();

    ProcessRequest ILanguageBuild.RunRequest(string workingDirectory, string sourcePath) =>
        new() { FileName = _node, Arguments = [sourcePath], WorkingDirectory = workingDirectory };
}
