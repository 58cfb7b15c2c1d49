namespace Genesis.Execution;

/// <summary>Options of a <see cref="CSharpToolchain"/>. The toolchain copies them when it is created.</summary>
public sealed class CSharpToolchainOptions
{
    /// <summary>The largest allowed <see cref="MaxDiagnostics"/>.</summary>
    public const int MaxDiagnosticsLimit = 1000;

    /// <summary>The environment variable that moves the default cache folder (shared with the other toolchains).</summary>
    public const string CacheDirectoryVariable = "GENESIS_CACHE_DIR";

    /// <summary>
    /// The default <see cref="CacheDirectory"/>: <c>csharp</c> under <c>$GENESIS_CACHE_DIR</c> when it is set, otherwise
    /// <c>~/.cache/genesis/csharp</c> (under the temporary folder when there is no home folder).
    /// </summary>
    public static string DefaultCacheDirectory =>
        Environment.GetEnvironmentVariable(CacheDirectoryVariable) is { Length: > 0 } root
            ? Path.Combine(Path.GetFullPath(root), "csharp")
            : Path.Combine(
                Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? home : Path.GetTempPath(),
                ".cache",
                "genesis",
                "csharp");

    /// <summary>
    /// The <c>dotnet</c> host that runs the built programs, a path or a name looked up on <c>PATH</c> where the program
    /// runs (on the execution backend). Default: <c>dotnet</c>.
    /// </summary>
    public string DotnetPath { get; set; } = "dotnet";

    /// <summary>
    /// Where built assemblies and compile errors are kept by the SHA-256 of the source, the other sources, the references
    /// and the compiler's version and flags, so an unchanged candidate is never compiled twice, across runs too;
    /// <see langword="null"/> compiles every time. Default: <see cref="DefaultCacheDirectory"/>.
    /// </summary>
    public string? CacheDirectory { get; set; } = DefaultCacheDirectory;

    /// <summary>
    /// Further source files compiled with every candidate, by file name: typically the trusted harness whose <c>Main</c>
    /// calls the candidate and prints the metrics, so that the candidate itself needs no entry point. Default: none.
    /// </summary>
    public IReadOnlyDictionary<string, string> AdditionalSources { get; set; } = new Dictionary<string, string>();

    /// <summary>
    /// Assembly files the program may use besides the shared framework; they are copied next to <c>main.dll</c>.
    /// Each must exist. Default: none.
    /// </summary>
    public IReadOnlyList<string> ReferencePaths { get; set; } = [];

    /// <summary>
    /// Whether the SDK's implicit global usings apply (<c>System</c>, <c>System.Collections.Generic</c>, <c>System.IO</c>,
    /// <c>System.Linq</c>, <c>System.Net.Http</c>, <c>System.Threading</c>, <c>System.Threading.Tasks</c>). Default: <see langword="true"/>.
    /// </summary>
    public bool ImplicitUsings { get; set; } = true;

    /// <summary>Whether <c>unsafe</c> code compiles. Default: <see langword="false"/>.</summary>
    public bool AllowUnsafe { get; set; }

    /// <summary>The most compile errors listed in the compiler output; the rest are counted. Between 1 and 1000. Default: 20.</summary>
    public int MaxDiagnostics { get; set; } = 20;

    /// <summary>Throws when an option cannot be used, naming the option and the allowed values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MaxDiagnostics"/> is out of range.</exception>
    /// <exception cref="ArgumentNullException">A collection is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A path is empty or missing, or a source has no name or clashes with the candidate's.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DotnetPath))
        {
            throw new ArgumentException("CSharpToolchainOptions.DotnetPath must name the dotnet host, such as \"dotnet\".", nameof(DotnetPath));
        }

        if (CacheDirectory is { } cache && string.IsNullOrWhiteSpace(cache))
        {
            throw new ArgumentException("CSharpToolchainOptions.CacheDirectory must be a folder, or null for no cache.", nameof(CacheDirectory));
        }

        if (MaxDiagnostics is < 1 or > MaxDiagnosticsLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxDiagnostics),
                MaxDiagnostics,
                $"CSharpToolchainOptions.MaxDiagnostics must be between 1 and {MaxDiagnosticsLimit}, was {MaxDiagnostics}.");
        }

        if (ReferencePaths is null)
        {
            throw new ArgumentNullException(nameof(ReferencePaths), "CSharpToolchainOptions.ReferencePaths must not be null.");
        }

        foreach (var path in ReferencePaths)
        {
            if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
            {
                throw new ArgumentException($"CSharpToolchainOptions.ReferencePaths: '{path}' is not an existing assembly file.", nameof(ReferencePaths));
            }
        }

        if (CSharpSources.Problem(AdditionalSources, "CSharpToolchainOptions", CSharpToolchain.SourceFileName) is { } problem)
        {
            throw new ArgumentException(problem, nameof(AdditionalSources));
        }
    }

    /// <summary>Returns a copy, so later changes to this instance do not reach a toolchain built from it.</summary>
    internal CSharpToolchainOptions Clone() => new()
    {
        DotnetPath = DotnetPath,
        CacheDirectory = CacheDirectory,
        AdditionalSources = new Dictionary<string, string>(AdditionalSources, StringComparer.Ordinal),
        ReferencePaths = [.. ReferencePaths.Select(Path.GetFullPath)],
        ImplicitUsings = ImplicitUsings,
        AllowUnsafe = AllowUnsafe,
        MaxDiagnostics = MaxDiagnostics,
    };
}
