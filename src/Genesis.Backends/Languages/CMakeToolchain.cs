using System.Text.RegularExpressions;

namespace Genesis.Execution;

/// <summary>
/// C++ (or C), a CMake project: the candidate's source replaces <see cref="CMakeToolchainOptions.SourceFile"/> (default
/// <c>main.cpp</c>) of a template project, which is configured with <c>cmake -S -B</c> and built with
/// <c>cmake --build</c> through the compile cache; the executable is copied to <c>main</c> in the candidate's folder
/// and runs there.
/// </summary>
/// <remarks>
/// Every candidate builds in one copy of the template under the cache folder with one shared build folder
/// (<see cref="BuildDirectory"/>), one build at a time, so the project is configured once (again only when the template
/// changes) and only the replaced file recompiles. The template's content is part of the compile-cache key, and so are
/// the versions of CMake and of the C++ compiler it finds (<c>$CXX</c>, else <c>c++</c>), probed with
/// <c>--version</c>. A configure step that fails is a failed build that is not cached: it says nothing about the candidate.
/// </remarks>
public sealed partial class CMakeToolchain : IToolchain, ILanguageBuild
{
    private const string Product = "CMake (Debian: apt-get install cmake)";

    private readonly CMakeToolchainOptions _options;
    private readonly ToolchainCore _core;
    private readonly ProjectWorkspace _workspace;
    private string _cmake = string.Empty;
    private string _templateHash = string.Empty;
    private string? _lastExecutable;

    /// <summary>Creates the toolchain for the template project in <paramref name="projectDirectory"/>; <paramref name="options"/> are validated and copied.</summary>
    /// <param name="projectDirectory">The template: a folder with a <c>CMakeLists.txt</c>. It is read, never written.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The folder has no <c>CMakeLists.txt</c>, or an option is unusable; the message names it.</exception>
    public CMakeToolchain(string projectDirectory, CMakeToolchainOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectDirectory);
        ProjectDirectory = Path.GetFullPath(projectDirectory);
        if (!File.Exists(Path.Combine(ProjectDirectory, "CMakeLists.txt")))
        {
            throw new ArgumentException($"The CMake project folder has no CMakeLists.txt: {ProjectDirectory}", nameof(projectDirectory));
        }

        _options = (options ?? new CMakeToolchainOptions()).Clone();
        _options.Validate();
        _core = new ToolchainCore(this, _options);
        var root = ProjectWorkspace.RootFor(_core.CacheDirectory, "cmake", ProjectDirectory);
        _workspace = new ProjectWorkspace(ProjectDirectory, root, _options.SourceFile, ["build", ".git"]);
        BuildDirectory = Path.Combine(root, "build");
    }

    /// <summary>The template project.</summary>
    public string ProjectDirectory { get; }

    /// <summary>The CMake build folder every candidate's build shares.</summary>
    public string BuildDirectory { get; }

    /// <summary>The copy of the template the builds run in.</summary>
    public string WorkspaceDirectory => _workspace.ProjectDirectory;

    /// <inheritdoc />
    public ProgramLanguage Language => ProgramLanguage.Cpp;

    string ILanguageBuild.Recipe => "cmake";

    bool ILanguageBuild.Builds => true;

    string? ILanguageBuild.ArtifactName => NativeArtifact.FileName;

    /// <inheritdoc />
    public ValueTask<ToolchainInfo> ProbeAsync(CancellationToken cancellationToken = default) => _core.ProbeAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellationToken = default) => _core.BuildAsync(request, cancellationToken);

    async ValueTask<ToolchainProbe> ILanguageBuild.ProbeAsync(ToolFinder finder, CancellationToken cancellationToken)
    {
        var cmake = finder.Locate(_options.CMake, Product);
        var version = await finder.RunAsync(cmake, _options.CMake, Product, ["--version"], cancellationToken).ConfigureAwait(false);

        // The compiler CMake will pick decides the binaries too; when it cannot be run here, CMake's configure step says so.
        var cxxName = _options.Environment.TryGetValue("CXX", out var given) && given is { Length: > 0 }
            ? given
            : Environment.GetEnvironmentVariable("CXX") is { Length: > 0 } host ? host : "c++";
        var compilerVersion = "no C++ compiler found";
        if (finder.TryLocate(cxxName) is { } cxx)
        {
            try
            {
                compilerVersion = await finder.RunAsync(cxx, cxxName, "a C++ compiler", ["--version"], cancellationToken).ConfigureAwait(false);
            }
            catch (ToolchainNotFoundException e)
            {
                compilerVersion = e.Message;
            }
        }

        var templateHash = _workspace.ComputeTemplateHash();
        _cmake = cmake;
        _templateHash = templateHash;
        var flags = string.Join(' ', [.. ConfigureArguments(string.Empty, string.Empty).Skip(4), "--build", .. BuildArguments(string.Empty).Skip(2)]);
        return new ToolchainProbe(
            new ToolchainInfo(_options.CMake, ToolFinder.FirstLine(version), flags),
            [version, compilerVersion, "template " + templateHash, "source " + _workspace.SourceFile]);
    }

    async ValueTask<CompileRun> ILanguageBuild.CompileAsync(CompileContext context, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        using var hold = await _workspace.LockAsync(time, cancellationToken).ConfigureAwait(false);
        if (_workspace.Sync(_templateHash) && Directory.Exists(BuildDirectory))
        {
            Directory.Delete(BuildDirectory, recursive: true);
            _lastExecutable = null;
        }

        _workspace.WriteSource(context.SourceCode, _lastExecutable);
        var project = _workspace.ProjectDirectory;
        if (!File.Exists(Path.Combine(BuildDirectory, "CMakeCache.txt")))
        {
            var configure = await RunCMakeAsync(context, ConfigureArguments(project, BuildDirectory), context.Timeout, cancellationToken).ConfigureAwait(false);
            if (!configure.Succeeded)
            {
                if (Directory.Exists(BuildDirectory))
                {
                    Directory.Delete(BuildDirectory, recursive: true);
                }

                var text = CompilerOutput.Combine("CMake could not configure the project:", configure.StandardError, configure.StandardOutput);
                return new CompileRun(false, CompilerOutput.MakeRelative(text, project, BuildDirectory), configure, SourceDependent: false);
            }
        }

        var left = context.Timeout == Timeout.InfiniteTimeSpan
            ? Timeout.InfiniteTimeSpan
            : context.Timeout - time.GetElapsedTime(started);
        if (left != Timeout.InfiniteTimeSpan && left <= TimeSpan.Zero)
        {
            left = TimeSpan.FromMilliseconds(1);
        }

        var build = await RunCMakeAsync(context, BuildArguments(BuildDirectory), left, cancellationToken).ConfigureAwait(false);
        var output = build.Succeeded
            ? build.StandardError
            : CompilerOutput.Combine(build.StandardError, WithoutProgressLines(build.StandardOutput));
        output = CompilerOutput.MakeRelative(output, project, BuildDirectory);
        if (!build.Succeeded)
        {
            return new CompileRun(false, output, build);
        }

        var executable = FindExecutable();
        File.Copy(executable, Path.Combine(context.WorkingDirectory, NativeArtifact.FileName), overwrite: true);
        _lastExecutable = executable;
        return new CompileRun(true, output, build);
    }

    ProcessRequest ILanguageBuild.RunRequest(string workingDirectory, string sourcePath) => NativeArtifact.RunRequest(workingDirectory);

    private List<string> ConfigureArguments(string project, string build) =>
        ["-S", project, "-B", build, $"-DCMAKE_BUILD_TYPE={_options.BuildType}", .. _options.ConfigureArguments];

    private List<string> BuildArguments(string build)
    {
        var arguments = new List<string> { "--build", build, "--config", _options.BuildType };
        if (_options.Target is { } target)
        {
            arguments.AddRange(["--target", target]);
        }

        arguments.AddRange(_options.BuildArguments);
        return arguments;
    }

    private Task<ProcessOutcome> RunCMakeAsync(CompileContext context, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken) =>
        context.Backend.RunAsync(
            new ProcessRequest
            {
                FileName = _cmake,
                Arguments = arguments,
                WorkingDirectory = _workspace.Root,
                Environment = context.Environment,
                Timeout = timeout,
                MaxOutputBytes = context.MaxOutputBytes,
            },
            cancellationToken);

    /// <summary>The executable the build produced: the <see cref="CMakeToolchainOptions.Target"/>, or the only one in the build folder.</summary>
    private string FindExecutable()
    {
        if (_options.Target is null && _lastExecutable is not null && File.Exists(_lastExecutable))
        {
            return _lastExecutable;
        }

        var executables = Executables(BuildDirectory).ToList();
        if (_options.Target is { } target)
        {
            var named = executables
                .Where(file => Path.GetFileNameWithoutExtension(file) == target || Path.GetFileName(file) == target)
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .FirstOrDefault();
            return named ?? throw new InvalidOperationException(
                $"The CMake project {ProjectDirectory} built no executable named '{target}' (CMakeToolchainOptions.Target) in {BuildDirectory}.");
        }

        return executables.Count switch
        {
            1 => executables[0],
            0 => throw new InvalidOperationException($"The CMake project {ProjectDirectory} built no executable (add_executable) in {BuildDirectory}."),
            _ => throw new InvalidOperationException(
                $"The CMake project {ProjectDirectory} built several executables ({string.Join(", ", executables.Select(Path.GetFileName))}): set CMakeToolchainOptions.Target to the one to run."),
        };
    }

    private static IEnumerable<string> Executables(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            if (IsExecutable(file))
            {
                yield return file;
            }
        }

        foreach (var child in Directory.EnumerateDirectories(folder))
        {
            if (!string.Equals(Path.GetFileName(child), "CMakeFiles", StringComparison.Ordinal))
            {
                foreach (var file in Executables(child))
                {
                    yield return file;
                }
            }
        }
    }

    private static bool IsExecutable(string file)
    {
        var name = Path.GetFileName(file);
        if (OperatingSystem.IsWindows())
        {
            return name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase);
        }

        if (name.Contains(".so", StringComparison.Ordinal) || name.EndsWith(".dylib", StringComparison.Ordinal) || name.EndsWith(".sh", StringComparison.Ordinal))
        {
            return false;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(file) & anyExecute) != 0;
    }

    /// <summary>Make's and Ninja's progress lines ("[ 50%] Building CXX object", "[1/2] ...") say nothing about the candidate.</summary>
    private static string WithoutProgressLines(string text) =>
        string.Join('\n', text.Split('\n').Where(line => !ProgressLine().IsMatch(line)));

    [GeneratedRegex(@"^\[\s*\d+(%|/\d+)\]")]
    private static partial Regex ProgressLine();
}
