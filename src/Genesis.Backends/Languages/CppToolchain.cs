namespace Genesis.Execution;

/// <summary>
/// C++, one file: the candidate is written to <c>main.cpp</c> and built with <c>g++ -O2 -std=c++17 main.cpp -o main</c>
/// (compiler and flags configurable), through the compile cache; it runs as <c>./main</c>. Probed with
/// <c>g++ --version</c> and <c>g++ -dumpmachine</c> (the target triple), both part of the cache key.
/// </summary>
public sealed class CppToolchain : IToolchain, ILanguageBuild
{
    private readonly CppToolchainOptions _options;
    private readonly ToolchainCore _core;
    private string _compiler = string.Empty;

    /// <summary>Creates the toolchain; <paramref name="options"/> are validated and copied.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is unusable; the message names it.</exception>
    public CppToolchain(CppToolchainOptions? options = null)
    {
        _options = (options ?? new CppToolchainOptions()).Clone();
        _options.Validate();
        _core = new ToolchainCore(this, _options);
    }

    /// <inheritdoc />
    public ProgramLanguage Language => ProgramLanguage.Cpp;

    string ILanguageBuild.Recipe => "c++";

    bool ILanguageBuild.Builds => true;

    string? ILanguageBuild.ArtifactName => NativeArtifact.FileName;

    /// <inheritdoc />
    public ValueTask<ToolchainInfo> ProbeAsync(CancellationToken cancellationToken = default) => _core.ProbeAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellationToken = default) => _core.BuildAsync(request, cancellationToken);

    async ValueTask<ToolchainProbe> ILanguageBuild.ProbeAsync(ToolFinder finder, CancellationToken cancellationToken)
    {
        const string Product = "a C++ compiler (Debian: apt-get install g++)";
        var compiler = finder.Locate(_options.Compiler, Product);
        var version = await finder.RunAsync(compiler, _options.Compiler, Product, ["--version"], cancellationToken).ConfigureAwait(false);
        var target = await finder.RunAsync(compiler, _options.Compiler, Product, ["-dumpmachine"], cancellationToken).ConfigureAwait(false);
        _compiler = compiler;
        var flags = string.Join(' ', [.. _options.Flags, "--", .. _options.LinkFlags]);
        return new ToolchainProbe(new ToolchainInfo(_options.Compiler, ToolFinder.FirstLine(version), flags), [version, target]);
    }

    async ValueTask<CompileRun> ILanguageBuild.CompileAsync(CompileContext context, CancellationToken cancellationToken)
    {
        var outcome = await context.Backend.RunAsync(
            new ProcessRequest
            {
                FileName = _compiler,
                Arguments = [.. _options.Flags, Path.GetFileName(context.SourcePath), "-o", NativeArtifact.FileName, .. _options.LinkFlags],
                WorkingDirectory = context.WorkingDirectory,
                Environment = context.Environment,
                Timeout = context.Timeout,
                MaxOutputBytes = context.MaxOutputBytes,
            },
            cancellationToken).ConfigureAwait(false);
        return NativeArtifact.Check(outcome, context, CompilerOutput.Combine(outcome.StandardError, outcome.StandardOutput));
    }

    ProcessRequest ILanguageBuild.RunRequest(string workingDirectory, string sourcePath) => NativeArtifact.RunRequest(workingDirectory);
}
