namespace Genesis.Execution;

/// <summary>
/// Finds a toolchain's tools (on <c>PATH</c>, then in known install folders such as <c>~/.cargo/bin</c>) and runs their
/// version commands; a missing or broken tool becomes a <see cref="ToolchainNotFoundException"/> that says what to install.
/// </summary>
internal sealed class ToolFinder
{
    /// <summary>The wall-clock limit of one version command.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromMinutes(1);

    private static readonly Lazy<LocalProcessBackend> LocalBackend =
        new(() => new LocalProcessBackend(new LocalBackendOptions { MaxParallelism = 2 }), LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<string> ProbeDirectory = new(
        () => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "genesis-toolchain-probe")).FullName,
        LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly IExecutionBackend _backend;
    private readonly IReadOnlyDictionary<string, string?> _environment;

    /// <summary>Creates a finder that runs version commands on <paramref name="backend"/> (this machine when <see langword="null"/>).</summary>
    public ToolFinder(IExecutionBackend? backend, IReadOnlyDictionary<string, string?> environment)
    {
        _backend = backend ?? LocalBackend.Value;
        _environment = environment;
    }

    /// <summary>The folders rustup and Cargo install into: <c>$CARGO_HOME/bin</c> and <c>~/.cargo/bin</c>.</summary>
    public static IReadOnlyList<string> CargoBinFolders()
    {
        var folders = new List<string>();
        if (System.Environment.GetEnvironmentVariable("CARGO_HOME") is { Length: > 0 } cargoHome)
        {
            folders.Add(Path.Combine(cargoHome, "bin"));
        }

        var home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        if (home.Length > 0)
        {
            folders.Add(Path.Combine(home, ".cargo", "bin"));
        }

        return folders;
    }

    /// <summary>The full path of <paramref name="configured"/> (a path, or a name on <c>PATH</c> or in <paramref name="extraFolders"/>), or <see langword="null"/>.</summary>
    public string? TryLocate(string configured, IReadOnlyList<string>? extraFolders = null)
    {
        var path = _environment.TryGetValue("PATH", out var given) && given is not null
            ? given
            : System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        if (extraFolders is { Count: > 0 })
        {
            path = string.Join(Path.PathSeparator, [path, .. extraFolders]);
        }

        return ProgramLocator.Resolve(configured, System.Environment.CurrentDirectory, path, out _);
    }

    /// <summary>Finds <paramref name="configured"/> or throws the error a user acts on.</summary>
    /// <param name="configured">The tool as configured: a name or a path.</param>
    /// <param name="product">What to install, for example <c>Rust</c>.</param>
    /// <param name="extraFolders">Folders searched after <c>PATH</c>.</param>
    /// <param name="extraFoldersHint">How to name <paramref name="extraFolders"/> in the message, for example <c>~/.cargo/bin</c>.</param>
    /// <exception cref="ToolchainNotFoundException">The tool is not there.</exception>
    public string Locate(string configured, string product, IReadOnlyList<string>? extraFolders = null, string? extraFoldersHint = null)
    {
        if (TryLocate(configured, extraFolders) is { } found)
        {
            return found;
        }

        var isPath = configured.Contains('/', StringComparison.Ordinal) || configured.Contains('\\', StringComparison.Ordinal);
        var where = isPath ? string.Empty : extraFoldersHint is null ? " on PATH" : $" on PATH or in {extraFoldersHint}";
        var why = isPath && File.Exists(configured) ? " (it is not executable)" : string.Empty;
        throw new ToolchainNotFoundException($"{configured} was not found{where}{why}: install {product} or choose another language.");
    }

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/> and returns its output (standard output, then standard error), trimmed.</summary>
    /// <exception cref="ToolchainNotFoundException">The tool does not start or fails.</exception>
    public async ValueTask<string> RunAsync(string program, string display, string product, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var outcome = await _backend.RunAsync(
            new ProcessRequest
            {
                FileName = program,
                Arguments = arguments,
                WorkingDirectory = ProbeDirectory.Value,
                Environment = _environment,
                Timeout = ProbeTimeout,
                MaxOutputBytes = 64 * 1024,
            },
            cancellationToken).ConfigureAwait(false);
        var text = CompilerOutput.Combine(outcome.StandardOutput, outcome.StandardError);
        if (outcome.Succeeded && text.Length > 0)
        {
            return text;
        }

        var reason = outcome.StartError
            ?? (outcome.TimedOut ? $"it did not answer within {MetricsReader.FormatSeconds(ProbeTimeout)} s"
                : outcome.ExitCode != 0 ? $"it exited with code {outcome.ExitCode}" : "it printed nothing");
        var tail = OutputTail.Of(text, maxLines: 5, maxBytes: 1024);
        throw new ToolchainNotFoundException(
            $"{display} ({program} {string.Join(' ', arguments)}) does not work: {reason}{(tail.Length > 0 ? ": " + tail : string.Empty)}. Reinstall {product} or choose another language.");
    }

    /// <summary>The first line of <paramref name="text"/>.</summary>
    public static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? text : text[..newline]).Trim();
    }
}
