namespace Genesis.Execution;

/// <summary>
/// The options every built-in toolchain shares: where the compile cache lives, the environment of the compiler, how much
/// compiler output a failed build reports, and where the tools are probed. A toolchain copies its options when it is
/// created and validates them then.
/// </summary>
public abstract class ToolchainOptions
{
    /// <summary>The smallest allowed <see cref="MaxCompilerOutputBytes"/>.</summary>
    public const int MinCompilerOutputBytes = 256;

    /// <summary>The largest allowed <see cref="MaxCompilerOutputBytes"/>.</summary>
    public const int MaxCompilerOutputBytesLimit = 1 << 20;

    private protected ToolchainOptions()
    {
    }

    /// <summary>
    /// The folder of the compile cache (and of the shared Cargo and CMake build folders). Default: <see langword="null"/>,
    /// which means <c>$GENESIS_CACHE_DIR</c> when that variable is set, otherwise <c>~/.cache/genesis/builds</c>.
    /// </summary>
    public string? CacheDirectory { get; set; }

    /// <summary>
    /// Whether builds go through the compile cache: a candidate whose source, toolchain version, flags, environment and
    /// platform were built before (in this run or an earlier one) is not compiled again, and neither is a candidate that
    /// failed to compile before. Default: <see langword="true"/>.
    /// </summary>
    public bool UseCompileCache { get; set; } = true;

    /// <summary>
    /// Variables set for the compiler (for example <c>RUSTFLAGS</c>) on top of the backend's environment; a
    /// <see langword="null"/> value removes one. Part of the compile-cache key. Default: none.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; set; } = new Dictionary<string, string?>();

    /// <summary>
    /// The most UTF-8 bytes of compiler output a build reports, between 256 and 1 MiB; longer output keeps the part from
    /// the first error on. Default: 8 KiB.
    /// </summary>
    public int MaxCompilerOutputBytes { get; set; } = 8 * 1024;

    /// <summary>
    /// Where the tools' version commands run when the toolchain is probed. Default: <see langword="null"/>, a process on
    /// this machine. Builds run on the backend of each <see cref="BuildRequest"/>.
    /// </summary>
    public IExecutionBackend? ProbeBackend { get; set; }

    /// <summary>The clock for build durations and lock polling. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws when an option is unusable, naming the options type and the option.</summary>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public void Validate()
    {
        var type = GetType().Name;
        if (CacheDirectory is not null && string.IsNullOrWhiteSpace(CacheDirectory))
        {
            throw new ArgumentException($"{type}.CacheDirectory must name a folder or be null, was '{CacheDirectory}'.", nameof(CacheDirectory));
        }

        if (Environment is null)
        {
            throw new ArgumentNullException(nameof(Environment), $"{type}.Environment must not be null.");
        }

        if (MaxCompilerOutputBytes is < MinCompilerOutputBytes or > MaxCompilerOutputBytesLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxCompilerOutputBytes),
                MaxCompilerOutputBytes,
                $"{type}.MaxCompilerOutputBytes must be between {MinCompilerOutputBytes} and {MaxCompilerOutputBytesLimit}, was {MaxCompilerOutputBytes}.");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentNullException(nameof(TimeProvider), $"{type}.TimeProvider must not be null.");
        }

        ValidateTools();
    }

    /// <summary>Validates the options of the derived type.</summary>
    private protected abstract void ValidateTools();

    /// <summary>Copies the shared options onto <paramref name="target"/> and returns it.</summary>
    private protected T CopyTo<T>(T target)
        where T : ToolchainOptions
    {
        target.CacheDirectory = CacheDirectory;
        target.UseCompileCache = UseCompileCache;
        target.Environment = new Dictionary<string, string?>(Environment);
        target.MaxCompilerOutputBytes = MaxCompilerOutputBytes;
        target.ProbeBackend = ProbeBackend;
        target.TimeProvider = TimeProvider;
        return target;
    }

    /// <summary>Throws unless <paramref name="value"/> names a program.</summary>
    private protected static void RequireProgram(string? value, string type, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{type}.{name} must name a program (a path or a name looked up on PATH), was '{value}'.", name);
        }
    }

    /// <summary>Throws unless <paramref name="values"/> is a list without null or empty items.</summary>
    private protected static void RequireArguments(IReadOnlyList<string>? values, string type, string name)
    {
        if (values is null)
        {
            throw new ArgumentNullException(name, $"{type}.{name} must not be null.");
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (string.IsNullOrEmpty(values[i]))
            {
                throw new ArgumentException($"{type}.{name}[{i}] must not be null or empty.", name);
            }
        }
    }
}
