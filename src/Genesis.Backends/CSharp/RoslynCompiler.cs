using System.Collections.Immutable;
using System.Globalization;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Genesis.Execution;

/// <summary>What one C# compilation needs besides the candidate's source.</summary>
/// <param name="CandidateFileName">The file name the candidate's source is compiled under; diagnostics in it are shown without it.</param>
/// <param name="References">The assemblies the code may use.</param>
/// <param name="Kind">A library (in process) or a console program (out of process).</param>
/// <param name="AdditionalSources">Other files compiled with the candidate, by file name (for example a harness with <c>Main</c>).</param>
/// <param name="ImplicitUsings">Whether the SDK's implicit global usings (<c>System</c>, <c>System.Linq</c>, ...) apply.</param>
/// <param name="AllowUnsafe">Whether <c>unsafe</c> code compiles.</param>
/// <param name="MaxDiagnostics">The most errors (and, separately, warnings) listed in the compiler output.</param>
internal sealed record CSharpCompileSettings(
    string CandidateFileName,
    ImmutableArray<MetadataReference> References,
    OutputKind Kind,
    IReadOnlyDictionary<string, string> AdditionalSources,
    bool ImplicitUsings,
    bool AllowUnsafe,
    int MaxDiagnostics);

/// <summary>The result of a compilation: the assembly's bytes, or the errors for the next prompt.</summary>
/// <param name="Assembly">The PE image with its portable PDB embedded (so stack traces have line numbers), or <see langword="null"/>.</param>
/// <param name="Errors">The errors, one per line as <c>line:column: error CSxxxx: message</c>, capped; empty on success.</param>
/// <param name="Warnings">The warnings in the same form, capped.</param>
/// <param name="ErrorCount">How many errors there were in all.</param>
internal sealed record CSharpCompileOutput(byte[]? Assembly, string Errors, string Warnings, int ErrorCount)
{
    public bool Succeeded => Assembly is not null;
}

/// <summary>Compiles C# candidates with Roslyn (release optimizations, nullable enabled, the newest language version).</summary>
internal static class RoslynCompiler
{
    /// <summary>The flags of every compilation, for cache keys and <see cref="ToolchainInfo.Flags"/>.</summary>
    public static readonly string Flags =
        $"roslyn {typeof(CSharpCompilation).Assembly.GetName().Version} /optimize+ /nullable:enable /langversion:{LanguageVersion.Latest.MapSpecifiedToEffectiveVersion().ToDisplayString()}";

    private const string ImplicitUsingsSource =
        """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.None);

    private static readonly Lazy<ImmutableArray<MetadataReference>> TrustedPlatform = new(() => LoadReferences(frameworkOnly: false));

    private static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new(() => LoadReferences(frameworkOnly: true));

    /// <summary>
    /// Every trusted platform assembly of the running process: the shared framework and the application's own
    /// dependencies, so that in-process candidates can use the host's types.
    /// </summary>
    public static ImmutableArray<MetadataReference> TrustedPlatformReferences => TrustedPlatform.Value;

    /// <summary>Only the shared framework's assemblies (<c>Microsoft.NETCore.App</c>), for programs that run on their own.</summary>
    public static ImmutableArray<MetadataReference> FrameworkReferences => Framework.Value;

    /// <summary>The folder of the running shared framework.</summary>
    public static string FrameworkDirectory { get; } = Path.GetDirectoryName(typeof(object).Assembly.Location) ?? string.Empty;

    /// <summary>Creates a reference to an assembly file.</summary>
    public static MetadataReference ReferenceTo(string path) => MetadataReference.CreateFromFile(path);

    /// <summary>The lowercase hex SHA-256 of the parts, each length-prefixed so that no two lists collide.</summary>
    public static string Hash(IEnumerable<string> parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts)
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            sha.AppendData(BitConverter.GetBytes(bytes.Length));
            sha.AppendData(bytes);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The parts of a cache key that come from the settings (the candidate's source is added by the caller).</summary>
    public static IEnumerable<string> KeyParts(CSharpCompileSettings settings)
    {
        yield return Flags;
        yield return settings.CandidateFileName;
        yield return settings.Kind.ToString();
        yield return settings.ImplicitUsings ? "implicit-usings" : "no-implicit-usings";
        yield return settings.AllowUnsafe ? "unsafe" : "safe";
        foreach (var (name, text) in settings.AdditionalSources.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            yield return name;
            yield return text;
        }

        foreach (var reference in settings.References)
        {
            yield return reference.Display ?? string.Empty;
        }
    }

    /// <summary>Compiles <paramref name="source"/> with <paramref name="settings"/> into <paramref name="assemblyName"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static CSharpCompileOutput Compile(string source, string assemblyName, CSharpCompileSettings settings, CancellationToken cancellationToken)
    {
        var trees = new List<SyntaxTree> { Parse(source, settings.CandidateFileName, cancellationToken) };
        foreach (var (name, text) in settings.AdditionalSources)
        {
            trees.Add(Parse(text, name, cancellationToken));
        }

        if (settings.ImplicitUsings)
        {
            trees.Add(Parse(ImplicitUsingsSource, "GlobalUsings.g.cs", cancellationToken));
        }

        var options = new CSharpCompilationOptions(
            settings.Kind,
            optimizationLevel: OptimizationLevel.Release,
            nullableContextOptions: NullableContextOptions.Enable,
            allowUnsafe: settings.AllowUnsafe,
            deterministic: true,
            concurrentBuild: false,
            // As the SDK does: version unification between framework assemblies is not the candidate's concern.
            specificDiagnosticOptions: [new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]);
        var compilation = CSharpCompilation.Create(assemblyName, trees, settings.References, options);

        using var image = new MemoryStream();
        var emitted = compilation.Emit(
            image,
            options: new EmitOptions(debugInformationFormat: DebugInformationFormat.Embedded),
            cancellationToken: cancellationToken);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var warnings = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).ToList();
        return new CSharpCompileOutput(
            emitted.Success ? image.ToArray() : null,
            Format(errors, settings, "error"),
            Format(warnings, settings, "warning"),
            errors.Count);
    }

    private static SyntaxTree Parse(string text, string path, CancellationToken cancellationToken) =>
        CSharpSyntaxTree.ParseText(SourceText.From(text, Encoding.UTF8), ParseOptions, path, cancellationToken);

    /// <summary>The diagnostics as <c>line:column: error CS1002: ; expected</c>, the file named when it is not the candidate's.</summary>
    private static string Format(List<Diagnostic> diagnostics, CSharpCompileSettings settings, string kind)
    {
        var max = settings.MaxDiagnostics;
        if (diagnostics.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var diagnostic in diagnostics.Take(max))
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            var span = diagnostic.Location.GetMappedLineSpan();
            if (span.IsValid)
            {
                if (!string.Equals(span.Path, settings.CandidateFileName, StringComparison.Ordinal))
                {
                    text.Append(span.Path).Append(':');
                }

                text.Append(CultureInfo.InvariantCulture, $"{span.StartLinePosition.Line + 1}:{span.StartLinePosition.Character + 1}: ");
            }

            text.Append(CultureInfo.InvariantCulture, $"{kind} {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}");
        }

        if (diagnostics.Count > max)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n... and {diagnostics.Count - max} more {kind}s");
        }

        return text.ToString();
    }

    private static ImmutableArray<MetadataReference> LoadReferences(bool frameworkOnly)
    {
        var paths = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        if (paths.Length == 0)
        {
            // A single-file or otherwise unusual host: fall back to the framework folder itself.
            paths = Directory.Exists(FrameworkDirectory) ? Directory.GetFiles(FrameworkDirectory, "*.dll") : [];
        }

        var references = ImmutableArray.CreateBuilder<MetadataReference>(paths.Length);
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            if (frameworkOnly && !string.Equals(Path.GetDirectoryName(path), FrameworkDirectory, StringComparison.Ordinal))
            {
                continue;
            }

            if (HasMetadata(path))
            {
                references.Add(MetadataReference.CreateFromFile(path));
            }
        }

        return references.ToImmutable();
    }

    /// <summary>Whether <paramref name="path"/> is a managed assembly (a native image in the list would fail every compilation).</summary>
    private static bool HasMetadata(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new PEReader(stream);
            return reader.HasMetadata;
        }
        catch (IOException)
        {
            return false;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
