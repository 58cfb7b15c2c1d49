namespace Genesis.Execution;

/// <summary>
/// Python 3: the candidate is written to <c>main.py</c> and runs as <c>python3 main.py</c>. No build step, unless
/// <see cref="PythonToolchainOptions.CheckSyntax"/> asks for a syntax check. Probed with <c>python3 --version</c>.
/// </summary>
public sealed class PythonToolchain : IToolchain, ILanguageBuild
{
    // Compiles without running; prints only the error (file, line, caret, message), the way a compiler would.
    private const string SyntaxCheck = """
        import sys, traceback
        path = sys.argv[1]
        try:
            with open(path, encoding="utf-8") as handle:
                compile(handle.read(), path, "exec")
        except (SyntaxError, ValueError) as error:
            sys.stderr.write("".join(traceback.format_exception_only(type(error), error)))
            sys.exit(1)
        """;

    private readonly PythonToolchainOptions _options;
    private readonly ToolchainCore _core;
    private string _python = string.Empty;

    /// <summary>Creates the toolchain; <paramref name="options"/> are validated and copied.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is unusable; the message names it.</exception>
    public PythonToolchain(PythonToolchainOptions? options = null)
    {
        _options = (options ?? new PythonToolchainOptions()).Clone();
        _options.Validate();
        _core = new ToolchainCore(this, _options);
    }

    /// <inheritdoc />
    public ProgramLanguage Language => ProgramLanguage.Python;

    string ILanguageBuild.Recipe => "python-syntax";

    bool ILanguageBuild.Builds => _options.CheckSyntax;

    string? ILanguageBuild.ArtifactName => null;

    /// <inheritdoc />
    public ValueTask<ToolchainInfo> ProbeAsync(CancellationToken cancellationToken = default) => _core.ProbeAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellationToken = default) => _core.BuildAsync(request, cancellationToken);

    async ValueTask<ToolchainProbe> ILanguageBuild.ProbeAsync(ToolFinder finder, CancellationToken cancellationToken)
    {
        var python = finder.Locate(_options.Python, "Python 3");
        var version = await finder.RunAsync(python, _options.Python, "Python 3", ["--version"], cancellationToken).ConfigureAwait(false);
        _python = python;
        return new ToolchainProbe(new ToolchainInfo(_options.Python, ToolFinder.FirstLine(version), _options.CheckSyntax ? "syntax check" : string.Empty), [version]);
    }

    async ValueTask<CompileRun> ILanguageBuild.CompileAsync(CompileContext context, CancellationToken cancellationToken)
    {
        var outcome = await context.Backend.RunAsync(
            new ProcessRequest
            {
                FileName = _python,
                Arguments = ["-c", SyntaxCheck, Path.GetFileName(context.SourcePath)],
                WorkingDirectory = context.WorkingDirectory,
                Environment = context.Environment,
                Timeout = context.Timeout,
                MaxOutputBytes = context.MaxOutputBytes,
            },
            cancellationToken).ConfigureAwait(false);
        return new CompileRun(outcome.Succeeded, CompilerOutput.Combine(outcome.StandardError, outcome.StandardOutput), outcome);
    }

    ProcessRequest ILanguageBuild.RunRequest(string workingDirectory, string sourcePath) =>
        new() { FileName = _python, Arguments = [sourcePath], WorkingDirectory = workingDirectory };
}
