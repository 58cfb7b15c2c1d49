using System.Text.Json;
using System.Text.RegularExpressions;

namespace Genesis.Execution;

/// <summary>
/// Rust, a Cargo project: the candidate's source replaces <see cref="CargoToolchainOptions.SourceFile"/> (default
/// <c>src/main.rs</c>) of a template project, which is built with <c>cargo build --profile release</c> (optionally
/// <c>--offline</c>) through the compile cache; the binary is copied to <c>main</c> in the candidate's folder and runs there.
/// </summary>
/// <remarks>
/// Every candidate builds in one copy of the template under the cache folder with one shared <c>CARGO_TARGET_DIR</c>
/// (<see cref="TargetDirectory"/>), one build at a time (Cargo would serialize builds on its target folder anyway), so
/// the dependencies, path dependencies included, compile once for all candidates and runs. The template's content is
/// part of the compile-cache key; it is hashed when the toolchain is probed. Probed with <c>cargo --version</c> and
/// <c>rustc -vV</c>; both tools are looked for on <c>PATH</c> and then in <c>~/.cargo/bin</c>.
/// </remarks>
public sealed partial class CargoToolchain : IToolchain, ILanguageBuild
{
    private const string Product = "Rust (rustup, with Cargo)";

    private readonly CargoToolchainOptions _options;
    private readonly ToolchainCore _core;
    private readonly ProjectWorkspace _workspace;
    private string _cargo = string.Empty;
    private string _rustc = string.Empty;
    private string _templateHash = string.Empty;
    private string? _lastExecutable;

    /// <summary>Creates the toolchain for the template project in <paramref name="projectDirectory"/>; <paramref name="options"/> are validated and copied.</summary>
    /// <param name="projectDirectory">The template: a folder with a <c>Cargo.toml</c>. It is read, never written.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The folder has no <c>Cargo.toml</c>, or an option is unusable; the message names it.</exception>
    public CargoToolchain(string projectDirectory, CargoToolchainOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectDirectory);
        ProjectDirectory = Path.GetFullPath(projectDirectory);
        if (!File.Exists(Path.Combine(ProjectDirectory, "Cargo.toml")))
        {
            throw new ArgumentException($"The Cargo project folder has no Cargo.toml: {ProjectDirectory}", nameof(projectDirectory));
        }

        _options = (options ?? new CargoToolchainOptions()).Clone();
        _options.Validate();
        _core = new ToolchainCore(this, _options);
        var root = ProjectWorkspace.RootFor(_core.CacheDirectory, "cargo", ProjectDirectory);
        _workspace = new ProjectWorkspace(ProjectDirectory, root, _options.SourceFile, ["target", ".git"]);
        TargetDirectory = Path.GetFullPath(_options.TargetDirectory ?? Path.Combine(root, "target"));
    }

    /// <summary>The template project.</summary>
    public string ProjectDirectory { get; }

    /// <summary>The <c>CARGO_TARGET_DIR</c> every candidate's build shares.</summary>
    public string TargetDirectory { get; }

    /// <summary>The copy of the template the builds run in.</summary>
    public string WorkspaceDirectory => _workspace.ProjectDirectory;

    /// <inheritdoc />
    public ProgramLanguage Language => ProgramLanguage.Rust;

    string ILanguageBuild.Recipe => "cargo";

    bool ILanguageBuild.Builds => true;

    string? ILanguageBuild.ArtifactName => NativeArtifact.FileName;

    /// <inheritdoc />
    public ValueTask<ToolchainInfo> ProbeAsync(CancellationToken cancellationToken = default) => _core.ProbeAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellationToken = default) => _core.BuildAsync(request, cancellationToken);

    async ValueTask<ToolchainProbe> ILanguageBuild.ProbeAsync(ToolFinder finder, CancellationToken cancellationToken)
    {
        var folders = ToolFinder.CargoBinFolders();
        var cargo = finder.Locate(_options.Cargo, Product, folders, "~/.cargo/bin");
        var beside = Path.Combine(Path.GetDirectoryName(cargo)!, _options.Rustc);
        var rustc = !Path.IsPathRooted(_options.Rustc) && !_options.Rustc.Contains('/', StringComparison.Ordinal) && finder.TryLocate(beside) is { } found
            ? found
            : finder.Locate(_options.Rustc, Product, folders, "~/.cargo/bin");
        var cargoVersion = await finder.RunAsync(cargo, _options.Cargo, Product, ["--version"], cancellationToken).ConfigureAwait(false);
        var rustcVersion = await finder.RunAsync(rustc, _options.Rustc, Product, ["-vV"], cancellationToken).ConfigureAwait(false);
        var templateHash = _workspace.ComputeTemplateHash();
        _cargo = cargo;
        _rustc = rustc;
        _templateHash = templateHash;
        return new ToolchainProbe(
            new ToolchainInfo(_options.Cargo, ToolFinder.FirstLine(cargoVersion), string.Join(' ', BuildArguments())),
            [cargoVersion, rustcVersion, "template " + templateHash, "source " + _workspace.SourceFile]);
    }

    async ValueTask<CompileRun> ILanguageBuild.CompileAsync(CompileContext context, CancellationToken cancellationToken)
    {
        using var hold = await _workspace.LockAsync(_options.TimeProvider, cancellationToken).ConfigureAwait(false);
        _workspace.Sync(_templateHash);
        _workspace.WriteSource(context.SourceCode, _lastExecutable);

        var manifest = Path.Combine(_workspace.ProjectDirectory, "Cargo.toml");
        var environment = new Dictionary<string, string?>(context.Environment)
        {
            ["CARGO_TARGET_DIR"] = TargetDirectory,
            ["RUSTC"] = _rustc,
            ["CARGO_TERM_COLOR"] = "never",
        };
        var outcome = await context.Backend.RunAsync(
            new ProcessRequest
            {
                FileName = _cargo,
                Arguments = [.. BuildArguments(), "--manifest-path", manifest, "--message-format=json-render-diagnostics"],
                // The workspace's folder holds the project copy and the target folder: both must be writable for a sandbox.
                WorkingDirectory = _workspace.Root,
                Environment = environment,
                Timeout = context.Timeout,
                MaxOutputBytes = context.MaxOutputBytes,
            },
            cancellationToken).ConfigureAwait(false);

        var output = CompilerOutput.MakeRelative(WithoutStatusLines(outcome.StandardError), _workspace.ProjectDirectory, TargetDirectory);
        if (!outcome.Succeeded)
        {
            return new CompileRun(false, output, outcome);
        }

        var executable = FindExecutable(outcome.StandardOutput, manifest);
        File.Copy(executable, Path.Combine(context.WorkingDirectory, NativeArtifact.FileName), overwrite: true);
        _lastExecutable = executable;
        return new CompileRun(true, output, outcome);
    }

    ProcessRequest ILanguageBuild.RunRequest(string workingDirectory, string sourcePath) => NativeArtifact.RunRequest(workingDirectory);

    private List<string> BuildArguments()
    {
        var arguments = new List<string> { "build", "--profile", _options.Profile };
        if (_options.Offline)
        {
            arguments.Add("--offline");
        }

        if (_options.Binary is { } binary)
        {
            arguments.AddRange(["--bin", binary]);
        }

        arguments.AddRange(_options.ExtraArguments);
        return arguments;
    }

    /// <summary>The executable Cargo reported for the project's own package, from its JSON messages.</summary>
    private string FindExecutable(string messages, string manifest)
    {
        var found = new List<(string Name, string Path)>();
        foreach (var line in messages.Split('\n'))
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.TryGetProperty("reason", out var reason) && reason.ValueEquals("compiler-artifact")
                    && root.TryGetProperty("executable", out var executable) && executable.ValueKind == JsonValueKind.String
                    && root.TryGetProperty("manifest_path", out var path) && path.GetString() is { } manifestPath
                    && string.Equals(Path.GetFullPath(manifestPath), manifest, StringComparison.Ordinal)
                    && root.TryGetProperty("target", out var target) && target.TryGetProperty("name", out var name)
                    && target.TryGetProperty("kind", out var kinds) && kinds.EnumerateArray().Any(kind => kind.ValueEquals("bin")))
                {
                    found.Add((name.GetString() ?? string.Empty, executable.GetString()!));
                }
            }
            catch (JsonException)
            {
                // Not one of Cargo's messages.
            }
        }

        var names = found.Select(f => f.Name).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            throw new InvalidOperationException($"The Cargo project {ProjectDirectory} built no executable: it needs a binary target (for example src/main.rs).");
        }

        if (names.Count > 1 && _options.Binary is null)
        {
            throw new InvalidOperationException(
                $"The Cargo project {ProjectDirectory} has several binaries ({string.Join(", ", names)}): set CargoToolchainOptions.Binary to the one to run.");
        }

        return found[^1].Path;
    }

    /// <summary>Cargo's progress lines ("Compiling x", "Finished ...") say nothing about the candidate.</summary>
    private static string WithoutStatusLines(string text) =>
        string.Join('\n', text.Split('\n').Where(line => !StatusLine().IsMatch(line)));

    [GeneratedRegex(@"^\s*(Compiling|Finished|Blocking|Locking|Updating|Downloading|Downloaded|Adding|Fresh|Checking|Running|Building|Unpacking|Removing|Packaging|Vendoring|Waiting)\b")]
    private static partial Regex StatusLine();
}
