using System.Reflection;

namespace Genesis.Execution;

/// <summary>Options of a <see cref="CSharpInProcessEvaluator"/>. The evaluator copies them when it is created.</summary>
public sealed class CSharpInProcessOptions
{
    /// <summary>The largest allowed <see cref="MaxCachedCompilations"/>.</summary>
    public const int MaxCachedCompilationsLimit = 65536;

    /// <summary>The largest allowed <see cref="MaxDiagnostics"/>.</summary>
    public const int MaxDiagnosticsLimit = 1000;

    /// <summary>
    /// Assemblies the candidate may use besides the trusted platform assemblies of the running process (the shared
    /// framework and the application's dependencies, which are always referenced). At run time the candidate binds to
    /// these very assemblies, so it shares their types with the host. Each must have been loaded from a file.
    /// Default: none.
    /// </summary>
    public IReadOnlyList<Assembly> References { get; set; } = [];

    /// <summary>
    /// Further source files compiled with every candidate, by file name (for example helpers the candidate may call);
    /// compile errors in them name the file. Default: none.
    /// </summary>
    public IReadOnlyDictionary<string, string> AdditionalSources { get; set; } = new Dictionary<string, string>();

    /// <summary>
    /// Whether the SDK's implicit global usings apply (<c>System</c>, <c>System.Collections.Generic</c>, <c>System.IO</c>,
    /// <c>System.Linq</c>, <c>System.Net.Http</c>, <c>System.Threading</c>, <c>System.Threading.Tasks</c>). Default: <see langword="true"/>.
    /// </summary>
    public bool ImplicitUsings { get; set; } = true;

    /// <summary>Whether <c>unsafe</c> code compiles. Default: <see langword="false"/>.</summary>
    public bool AllowUnsafe { get; set; }

    /// <summary>
    /// How many compilations (assemblies and compile errors) are kept in memory, by the SHA-256 of the source; the least
    /// recently used is dropped first. Between 1 and 65536. Default: 256.
    /// </summary>
    public int MaxCachedCompilations { get; set; } = 256;

    /// <summary>The most compile errors listed in the feedback; the rest are counted. Between 1 and 1000. Default: 20.</summary>
    public int MaxDiagnostics { get; set; } = 20;

    /// <summary>The clock for the timeout and the duration. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws when an option cannot be used, naming the option and the allowed values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range.</exception>
    /// <exception cref="ArgumentNullException">A collection or the clock is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A reference has no file, or a source has no name or clashes with the candidate's.</exception>
    public void Validate()
    {
        if (MaxCachedCompilations is < 1 or > MaxCachedCompilationsLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxCachedCompilations),
                MaxCachedCompilations,
                $"CSharpInProcessOptions.MaxCachedCompilations must be between 1 and {MaxCachedCompilationsLimit}, was {MaxCachedCompilations}.");
        }

        if (MaxDiagnostics is < 1 or > MaxDiagnosticsLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxDiagnostics),
                MaxDiagnostics,
                $"CSharpInProcessOptions.MaxDiagnostics must be between 1 and {MaxDiagnosticsLimit}, was {MaxDiagnostics}.");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentNullException(nameof(TimeProvider), "CSharpInProcessOptions.TimeProvider must not be null.");
        }

        if (References is null)
        {
            throw new ArgumentNullException(nameof(References), "CSharpInProcessOptions.References must not be null.");
        }

        foreach (var assembly in References)
        {
            if (assembly is null || string.IsNullOrEmpty(assembly.Location))
            {
                throw new ArgumentException(
                    $"CSharpInProcessOptions.References: {assembly?.GetName().Name ?? "null"} was not loaded from a file, so the compiler cannot reference it.",
                    nameof(References));
            }
        }

        if (CSharpSources.Problem(AdditionalSources, "CSharpInProcessOptions", CSharpInProcessEvaluator.CandidateFileName) is { } problem)
        {
            throw new ArgumentException(problem, nameof(AdditionalSources));
        }
    }

    /// <summary>Returns a copy, so later changes to this instance do not reach an evaluator built from it.</summary>
    internal CSharpInProcessOptions Clone() => new()
    {
        References = [.. References],
        AdditionalSources = new Dictionary<string, string>(AdditionalSources, StringComparer.Ordinal),
        ImplicitUsings = ImplicitUsings,
        AllowUnsafe = AllowUnsafe,
        MaxCachedCompilations = MaxCachedCompilations,
        MaxDiagnostics = MaxDiagnostics,
        TimeProvider = TimeProvider,
    };
}
