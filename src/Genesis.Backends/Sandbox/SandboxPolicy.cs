namespace Genesis.Execution;

/// <summary>
/// What a sandbox allows a candidate process: its network, the host paths it sees, its environment, and its resource
/// limits. Every limit is optional (<see langword="null"/> lifts it). A sandbox copies the policy when it is created and
/// validates it then.
/// </summary>
/// <remarks>
/// Paths may start with <c>~/</c>, which stands for the host's home folder (the <c>HOME</c> variable of the process that
/// creates the sandbox). Which of these protections a machine can enforce, and how, is listed by
/// <see cref="ISandbox.Report"/>.
/// </remarks>
public sealed class SandboxPolicy
{
    /// <summary>The smallest allowed <see cref="MaxMemoryBytes"/>: 16 MiB.</summary>
    public const long MinMemoryBytes = 16L << 20;

    /// <summary>The smallest allowed <see cref="MaxAddressSpaceBytes"/>: 64 MiB.</summary>
    public const long MinAddressSpaceBytes = 64L << 20;

    /// <summary>The largest allowed byte size for any limit: 16 TiB.</summary>
    public const long MaxBytesLimit = 16L << 40;

    /// <summary>The smallest allowed <see cref="MaxProcesses"/>: 4 (the sandbox's own two helper processes count).</summary>
    public const int MinProcesses = 4;

    /// <summary>The largest allowed <see cref="MaxProcesses"/>: 4194304 (Linux's largest <c>pid_max</c>).</summary>
    public const int MaxProcessesLimit = 4_194_304;

    /// <summary>The smallest allowed <see cref="MaxFileSizeBytes"/>: 4 KiB.</summary>
    public const long MinFileSizeBytes = 4L << 10;

    /// <summary>The smallest allowed <see cref="MaxOpenFiles"/>: 16.</summary>
    public const int MinOpenFiles = 16;

    /// <summary>The largest allowed <see cref="MaxOpenFiles"/>: 1048576 (Linux's default <c>nr_open</c>).</summary>
    public const int MaxOpenFilesLimit = 1 << 20;

    /// <summary>The smallest allowed <see cref="ScratchSizeBytes"/>: 1 MiB.</summary>
    public const long MinScratchSizeBytes = 1L << 20;

    /// <summary>The largest allowed <see cref="ScratchSizeBytes"/>: 1 TiB.</summary>
    public const long MaxScratchSizeBytes = 1L << 40;

    /// <summary>The shortest allowed <see cref="MaxCpuTime"/>: 1 second.</summary>
    public static readonly TimeSpan MinCpuTime = TimeSpan.FromSeconds(1);

    /// <summary>The longest allowed <see cref="MaxCpuTime"/>: 365 days.</summary>
    public static readonly TimeSpan MaxCpuTimeLimit = TimeSpan.FromDays(365);

    /// <summary>
    /// The host variables a sandboxed process inherits by default: <c>PATH</c>, the locale (<c>LANG</c>, <c>LANGUAGE</c>,
    /// <c>LC_*</c>), <c>TERM</c>, <c>TZ</c>, the Python variables that change no security-relevant behaviour
    /// (<c>PYTHONPATH</c>, <c>PYTHONHASHSEED</c>, <c>PYTHONIOENCODING</c>, <c>PYTHONUTF8</c>, <c>PYTHONUNBUFFERED</c>,
    /// <c>PYTHONDONTWRITEBYTECODE</c>, <c>PYTHONWARNINGS</c>, <c>PYTHONOPTIMIZE</c>, <c>PYTHONNOUSERSITE</c>,
    /// <c>PYTHONSAFEPATH</c>), the toolchain locations (<c>RUSTUP_HOME</c>, <c>RUSTUP_TOOLCHAIN</c>, <c>NODE_PATH</c>,
    /// <c>DOTNET_ROOT</c>, <c>JAVA_HOME</c>, <c>CC</c>, <c>CXX</c>, <c>LD_LIBRARY_PATH</c>, <c>PKG_CONFIG_PATH</c>), the
    /// .NET CLI quieting switches (<c>DOTNET_CLI_TELEMETRY_OPTOUT</c>, <c>DOTNET_NOLOGO</c>,
    /// <c>DOTNET_SKIP_FIRST_TIME_EXPERIENCE</c>), and the thread-count hints (<c>OMP_NUM_THREADS</c>,
    /// <c>OPENBLAS_NUM_THREADS</c>, <c>MKL_NUM_THREADS</c>). A trailing <c>*</c> matches any suffix.
    /// </summary>
    public static IReadOnlyList<string> DefaultAllowedVariables { get; } =
    [
        "PATH", "LANG", "LANGUAGE", "LC_*", "TERM", "TZ",
        "PYTHONPATH", "PYTHONHASHSEED", "PYTHONIOENCODING", "PYTHONUTF8", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE",
        "PYTHONWARNINGS", "PYTHONOPTIMIZE", "PYTHONNOUSERSITE", "PYTHONSAFEPATH",
        "RUSTUP_HOME", "RUSTUP_TOOLCHAIN", "NODE_PATH", "DOTNET_ROOT", "JAVA_HOME", "CC", "CXX", "LD_LIBRARY_PATH", "PKG_CONFIG_PATH",
        "DOTNET_CLI_TELEMETRY_OPTOUT", "DOTNET_NOLOGO", "DOTNET_SKIP_FIRST_TIME_EXPERIENCE",
        "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
    ];

    /// <summary>
    /// The host paths hidden by default: the host's home folder (<c>~</c>), <c>/root</c> and <c>/home</c> (where keys,
    /// tokens and shell histories live), <c>/run</c> (where the sockets of host services live), <c>/var/log</c>,
    /// <c>/var/spool</c> and <c>/var/mail</c>, the SSH host keys (<c>/etc/ssh</c>), private TLS keys
    /// (<c>/etc/ssl/private</c>), and the password hashes (<c>/etc/shadow</c>, <c>/etc/gshadow</c> and their backups).
    /// A hidden folder is replaced by an empty, read-only one and a hidden file by <c>/dev/null</c> (empty, or unreadable
    /// where the sandbox's mounts do not allow devices).
    /// </summary>
    public static IReadOnlyList<string> DefaultHiddenPaths { get; } =
    [
        "~", "/root", "/home", "/run", "/var/log", "/var/spool", "/var/mail", "/etc/ssh", "/etc/ssl/private",
        "/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-",
    ];

    /// <summary>
    /// The toolchains under the host's home folder that stay readable by default, when they exist:
    /// <c>~/.cargo/bin</c> and <c>~/.rustup</c> (Rust), <c>~/.pyenv</c> (Python versions), <c>~/.nvm</c> (Node),
    /// <c>~/.dotnet</c> (.NET), <c>~/.local/bin</c> and <c>~/.local/lib</c> (user-installed tools and Python packages).
    /// Nothing else of the home folder is visible: not <c>~/.cargo/credentials.toml</c>, not <c>~/.npmrc</c>.
    /// </summary>
    public static IReadOnlyList<string> DefaultReadOnlyPaths { get; } =
    [
        "~/.cargo/bin", "~/.rustup", "~/.pyenv", "~/.nvm", "~/.dotnet", "~/.local/bin", "~/.local/lib",
    ];

    /// <summary>
    /// Whether the process may use the network. Default: <see langword="false"/>: the process gets a network namespace
    /// of its own, with nothing but its own loopback interface, so it cannot reach the host's services (not even on
    /// <c>127.0.0.1</c>) or the internet.
    /// </summary>
    public bool AllowNetwork { get; set; }

    /// <summary>
    /// The most resident memory the whole sandbox (every process in it, and the files it writes to its scratch folders)
    /// may use, enforced by a memory cgroup: past it the kernel kills a process of the sandbox. Between 16 MiB and 16 TiB,
    /// or <see langword="null"/> for no limit. Default: 4 GiB. Where no memory cgroup can be created, only
    /// <see cref="MaxAddressSpaceBytes"/> limits memory, per process.
    /// </summary>
    public long? MaxMemoryBytes { get; set; } = 4L << 30;

    /// <summary>
    /// The most address space each process may map (<c>RLIMIT_AS</c>): a larger allocation fails at once (a
    /// <c>MemoryError</c> in Python, <c>ENOMEM</c> from <c>mmap</c>). Between 64 MiB and 16 TiB, or
    /// <see langword="null"/> for no limit. Default: 8 GiB, enough for Node, the JVM-free toolchains and .NET.
    /// </summary>
    public long? MaxAddressSpaceBytes { get; set; } = 8L << 30;

    /// <summary>
    /// The most processes and threads the sandbox may hold at once, its own two helper processes included: a fork bomb
    /// gets <c>EAGAIN</c> from <c>fork</c>. Enforced by a pids cgroup where one can be created, else by
    /// <c>RLIMIT_NPROC</c> inside the sandbox's own user namespace (which the kernel ignores for root). Between 4 and
    /// 4194304, or <see langword="null"/> for no limit. Default: 256.
    /// </summary>
    public int? MaxProcesses { get; set; } = 256;

    /// <summary>
    /// The most CPU time each process may use (<c>RLIMIT_CPU</c>, rounded up to whole seconds): past it the process gets
    /// <c>SIGXCPU</c>, and <c>SIGKILL</c> five seconds later if it ignores that. The backend's wall-clock timeout still
    /// applies. Between 1 second and 365 days, or <see langword="null"/> for no limit. Default: 10 minutes.
    /// </summary>
    public TimeSpan? MaxCpuTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The largest file a process may write (<c>RLIMIT_FSIZE</c>): a write past it fails with <c>EFBIG</c> (or raises
    /// <c>SIGXFSZ</c>). Between 4 KiB and 16 TiB, or <see langword="null"/> for no limit. Default: 1 GiB.
    /// </summary>
    public long? MaxFileSizeBytes { get; set; } = 1L << 30;

    /// <summary>The most files each process may hold open (<c>RLIMIT_NOFILE</c>). Between 16 and 1048576, or <see langword="null"/> for the host's limit. Default: 4096.</summary>
    public int? MaxOpenFiles { get; set; } = 4096;

    /// <summary>
    /// The size of each private scratch folder (<c>/tmp</c>, <c>/var/tmp</c> and <c>/dev/shm</c>, each an empty
    /// in-memory file system of the sandbox's own, gone when it ends): writing past it fails with <c>ENOSPC</c>. Between
    /// 1 MiB and 1 TiB. Default: 512 MiB.
    /// </summary>
    public long ScratchSizeBytes { get; set; } = 512L << 20;

    /// <summary>
    /// The names of the host variables a sandboxed process inherits; a trailing <c>*</c> matches any suffix. A name that
    /// looks like a secret (it contains <c>KEY</c>, <c>TOKEN</c>, <c>SECRET</c>, <c>PASSWORD</c> or <c>CREDENTIAL</c>, or
    /// starts with <c>GENESIS_LLM_</c>) is never inherited, even if listed; a request's own
    /// <see cref="ProcessRequest.Environment"/> is applied on top as it is. <c>HOME</c> is always the working folder and
    /// <c>TMPDIR</c> the private <c>/tmp</c>. Default: <see cref="DefaultAllowedVariables"/>.
    /// </summary>
    public IReadOnlyList<string> AllowedVariables { get; set; } = DefaultAllowedVariables;

    /// <summary>
    /// Host paths replaced, inside the sandbox, by an empty folder or file, so their contents cannot be read.
    /// Default: <see cref="DefaultHiddenPaths"/>.
    /// </summary>
    public IReadOnlyList<string> HiddenPaths { get; set; } = DefaultHiddenPaths;

    /// <summary>
    /// Host paths visible read-only even inside a hidden folder, when they exist. Everything outside the hidden paths is
    /// visible read-only anyway. The paths a request names itself (its program, arguments that are existing absolute
    /// paths, and the folders on its <c>PYTHONPATH</c>) are added for each run, unless they would uncover a hidden path.
    /// Default: <see cref="DefaultReadOnlyPaths"/>.
    /// </summary>
    public IReadOnlyList<string> ReadOnlyPaths { get; set; } = DefaultReadOnlyPaths;

    /// <summary>
    /// Host folders writable from the sandbox besides the working folder (for example a build cache shared by
    /// candidates). They must exist when a request runs, and may not contain a hidden path. Default: none.
    /// </summary>
    public IReadOnlyList<string> WritablePaths { get; set; } = [];

    /// <summary>Throws when an option is out of range or malformed, naming the option and the allowed values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    /// <exception cref="ArgumentException">A list is <see langword="null"/> or holds an empty name or a relative path.</exception>
    public void Validate()
    {
        CheckBytes(MaxMemoryBytes, MinMemoryBytes, nameof(MaxMemoryBytes));
        CheckBytes(MaxAddressSpaceBytes, MinAddressSpaceBytes, nameof(MaxAddressSpaceBytes));
        CheckBytes(MaxFileSizeBytes, MinFileSizeBytes, nameof(MaxFileSizeBytes));
        if (MaxProcesses is { } processes && (processes < MinProcesses || processes > MaxProcessesLimit))
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxProcesses),
                processes,
                $"SandboxPolicy.MaxProcesses must be between {MinProcesses} and {MaxProcessesLimit}, or null for no limit, was {processes}.");
        }

        if (MaxOpenFiles is { } files && (files < MinOpenFiles || files > MaxOpenFilesLimit))
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxOpenFiles),
                files,
                $"SandboxPolicy.MaxOpenFiles must be between {MinOpenFiles} and {MaxOpenFilesLimit}, or null for the host's limit, was {files}.");
        }

        if (MaxCpuTime is { } cpu && (cpu < MinCpuTime || cpu > MaxCpuTimeLimit))
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxCpuTime),
                cpu,
                $"SandboxPolicy.MaxCpuTime must be between {MinCpuTime} and {MaxCpuTimeLimit}, or null for no limit, was {cpu}.");
        }

        if (ScratchSizeBytes is < MinScratchSizeBytes or > MaxScratchSizeBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(ScratchSizeBytes),
                ScratchSizeBytes,
                $"SandboxPolicy.ScratchSizeBytes must be between {MinScratchSizeBytes} and {MaxScratchSizeBytes} bytes, was {ScratchSizeBytes}.");
        }

        CheckNames(AllowedVariables, nameof(AllowedVariables));
        CheckPaths(HiddenPaths, nameof(HiddenPaths));
        CheckPaths(ReadOnlyPaths, nameof(ReadOnlyPaths));
        CheckPaths(WritablePaths, nameof(WritablePaths));
    }

    /// <summary>Returns a copy, so later changes to this instance do not reach a sandbox built from it.</summary>
    internal SandboxPolicy Clone() => new()
    {
        AllowNetwork = AllowNetwork,
        MaxMemoryBytes = MaxMemoryBytes,
        MaxAddressSpaceBytes = MaxAddressSpaceBytes,
        MaxProcesses = MaxProcesses,
        MaxCpuTime = MaxCpuTime,
        MaxFileSizeBytes = MaxFileSizeBytes,
        MaxOpenFiles = MaxOpenFiles,
        ScratchSizeBytes = ScratchSizeBytes,
        AllowedVariables = AllowedVariables.ToArray(),
        HiddenPaths = HiddenPaths.ToArray(),
        ReadOnlyPaths = ReadOnlyPaths.ToArray(),
        WritablePaths = WritablePaths.ToArray(),
    };

    private static void CheckBytes(long? value, long min, string name)
    {
        if (value is { } bytes && (bytes < min || bytes > MaxBytesLimit))
        {
            throw new ArgumentOutOfRangeException(
                name,
                bytes,
                $"SandboxPolicy.{name} must be between {min} and {MaxBytesLimit} bytes, or null for no limit, was {bytes}.");
        }
    }

    private static void CheckNames(IReadOnlyList<string>? names, string name)
    {
        if (names is null)
        {
            throw new ArgumentException($"SandboxPolicy.{name} must not be null (use an empty list).", name);
        }

        foreach (var item in names)
        {
            if (string.IsNullOrEmpty(item) || item.Contains('=', StringComparison.Ordinal))
            {
                throw new ArgumentException($"SandboxPolicy.{name} must hold variable names without '=', was '{item}'.", name);
            }
        }
    }

    private static void CheckPaths(IReadOnlyList<string>? paths, string name)
    {
        if (paths is null)
        {
            throw new ArgumentException($"SandboxPolicy.{name} must not be null (use an empty list).", name);
        }

        foreach (var path in paths)
        {
            if (string.IsNullOrEmpty(path) || !(path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || Path.IsPathRooted(path)))
            {
                throw new ArgumentException($"SandboxPolicy.{name} must hold absolute paths or paths starting with '~/', was '{path}'.", name);
            }
        }
    }
}
