namespace Genesis.Execution;

/// <summary>
/// Rust, one file: the candidate is written to <c>main.rs</c> and built with <c>rustc -O --edition 2021 main.rs -o main</c>
/// (flags configurable), through the compile cache; it runs as <c>./main</c>. Probed with <c>rustc -vV</c>, whose whole
/// output (version, commit, host triple, LLVM version) is part of the cache key. <c>rustc</c> is looked for on
/// <c>PATH</c> and then in <c>~/.cargo/bin</c>.
/// </summary>
public sealed class RustToolchain : IToolchain, ILanguageBuild
{
    private readonly RustToolchainOptions _options;
    private readonly ToolchainCore _core;
    private string _rustc = string.Empty;

    /// <summary>Creates the toolchain; <paramref name="options"/> are validated and copied.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is unusable; the message names it.</exception>
    public RustToolchain(RustToolchainOptions? options = null)
    {
        _options = (options ?? new RustToolchainOptions()).Clone();
        _options.Validate();
        _core = new ToolchainCore(this, _options);
    }

    /// <inheritdoc />
    public ProgramLanguage Language => ProgramLanguage.Rust;

    string ILanguageBuild.Recipe => "rustc";

    bool ILanguageBuild.Builds => true;

    string? ILanguageBuild.ArtifactName => NativeArtifact.FileName;

    /// <inheritdoc />
    public ValueTask<ToolchainInfo> ProbeAsync(CancellationToken cancellationToken = default) => _core.ProbeAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellationToken = default) => _core.BuildAsync(request, cancellationToken);

    async ValueTask<ToolchainProbe> ILanguageBuild.ProbeAsync(ToolFinder finder, CancellationToken cancellationToken)
    {
        var rustc = finder.Locate(_options.Rustc, "Rust", ToolFinder.CargoBinFolders(), "~/.cargo/bin");
        var version = await finder.RunAsync(rustc, _options.Rustc, "Rust", ["-vV"], cancellationToken).ConfigureAwait(false);
        _rustc = rustc;
        return new ToolchainProbe(new ToolchainInfo(_options.Rustc, ToolFinder.FirstLine(version), string.Join(' ', _options.Flags)), [version]);
    }

    async ValueTask<CompileRun> ILanguageBuild.CompileAsync(CompileContext context, CancellationToken cancellationToken)
    {
        var outcome = await context.Backend.RunAsync(
            new ProcessRequest
            {
                FileName = _rustc,
                Arguments = [.. _options.Flags, Path.GetFileName(context.SourcePath), "-o", NativeArtifact.FileName],
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
