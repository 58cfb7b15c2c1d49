using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;

namespace Genesis.Execution;

/// <summary>
/// C# as a language like the others: a candidate (a whole program, or a part that a harness in
/// <see cref="CSharpToolchainOptions.AdditionalSources"/> calls) is compiled with Roslyn in the host, in well under a
/// second and without an SDK, into <c>main.dll</c> next to a <c>main.runtimeconfig.json</c> for the running .NET
/// version; the program then runs as <c>dotnet main.dll</c> on any execution backend, so the sandbox and Slurm apply.
/// </summary>
/// <remarks>
/// The program is compiled against the shared framework only (<c>Microsoft.NETCore.App</c>) with release optimizations
/// and nullable enabled, and runs with invariant globalization (no ICU needed inside a sandbox). Builds are cached on
/// disk in <see cref="CSharpToolchainOptions.CacheDirectory"/> by the SHA-256 of everything that goes into them; a cache
/// hit copies the assembly into the working folder. A compile error is a failed <see cref="BuildResult"/> whose
/// <see cref="BuildResult.CompilerOutput"/> lists the diagnostics as <c>line:column: error CSxxxx: message</c>.
/// </remarks>
public sealed class CSharpToolchain : IToolchain
{
    /// <summary>The candidate's source file in the working folder.</summary>
    public const string SourceFileName = "main.cs";

    /// <summary>The built program in the working folder.</summary>
    public const string AssemblyFileName = "main.dll";

    /// <summary>The runtime configuration next to the program, which lets <c>dotnet main.dll</c> start it.</summary>
    public const string RuntimeConfigFileName = "main.runtimeconfig.json";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);
    private static readonly Version Runtime = Environment.Version;

    private static readonly string RuntimeConfig =
        $$"""
        {
          "runtimeOptions": {
            "tfm": "net{{Runtime.Major}}.{{Runtime.Minor}}",
            "framework": { "name": "Microsoft.NETCore.App", "version": "{{Runtime.Major}}.{{Runtime.Minor}}.0" },
            "configProperties": { "System.Globalization.Invariant": true }
          }
        }
        """;

    private readonly CSharpToolchainOptions _options;
    private readonly CSharpCompileSettings _settings;
    private readonly string _settingsKey;
    private int _compilations;

    /// <summary>Creates the toolchain.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option cannot be used; the message names it.</exception>
    public CSharpToolchain(CSharpToolchainOptions? options = null)
    {
        options ??= new CSharpToolchainOptions();
        options.Validate();
        _options = options.Clone();
        var references = RoslynCompiler.FrameworkReferences.AddRange(_options.ReferencePaths.Select(RoslynCompiler.ReferenceTo));
        _settings = new CSharpCompileSettings(
            SourceFileName,
            references,
            OutputKind.ConsoleApplication,
            _options.AdditionalSources,
            _options.ImplicitUsings,
            _options.AllowUnsafe,
            _options.MaxDiagnostics);
        _settingsKey = RoslynCompiler.Hash(RoslynCompiler.KeyParts(_settings).Concat(_options.ReferencePaths.Select(ReferenceStamp)).Append(RuntimeConfig));
    }

    /// <inheritdoc />
    public ProgramLanguage Language => ProgramLanguage.CSharp;

    /// <summary>The <c>dotnet</c> host that runs the built programs.</summary>
    public string DotnetPath => _options.DotnetPath;

    /// <summary>How many compilations ran (cache misses).</summary>
    internal int Compilations => Volatile.Read(ref _compilations);

    /// <summary>
    /// Checks, on this machine, that <see cref="CSharpToolchainOptions.DotnetPath"/> answers <c>--list-runtimes</c> with a
    /// .NET runtime that can run the programs (this process's major version, at least its minor version); an SDK is not
    /// needed. The compiler is Roslyn, inside this process.
    /// </summary>
    /// <exception cref="ToolchainNotFoundException">dotnet is missing, does not answer, or lacks the runtime.</exception>
    public async ValueTask<ToolchainInfo> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var wanted = $"{Runtime.Major}.{Runtime.Minor}";
        var info = new ProcessStartInfo(_options.DotnetPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { "--list-runtimes" },
        };
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new ToolchainNotFoundException($"{_options.DotnetPath} could not be started: install the .NET {wanted} runtime or choose another language");
        }
        catch (Win32Exception e)
        {
            throw new ToolchainNotFoundException($"{_options.DotnetPath} was not found on PATH: install the .NET {wanted} runtime or choose another language", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                throw new ToolchainNotFoundException($"{_options.DotnetPath} --list-runtimes did not answer within {ProbeTimeout.TotalSeconds:0} s: check the .NET installation or choose another language");
            }

            var lines = (await output.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var problem = (await error.ConfigureAwait(false)).Trim();
            if (process.ExitCode != 0)
            {
                throw new ToolchainNotFoundException(
                    $"{_options.DotnetPath} --list-runtimes failed with exit code {process.ExitCode}{(problem.Length > 0 ? ": " + problem : string.Empty)}: install the .NET {wanted} runtime or choose another language");
            }

            var runtimes = lines
                .Where(line => line.StartsWith("Microsoft.NETCore.App ", StringComparison.Ordinal))
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])
                .ToList();
            var usable = runtimes
                .Select(text => (Text: text, Version: Version.TryParse(text.Split('-')[0], out var version) ? version : null))
                .Where(r => r.Version is { } v && v.Major == Runtime.Major && v.Minor >= Runtime.Minor)
                .OrderByDescending(r => r.Version)
                .Select(r => r.Text)
                .FirstOrDefault();
            if (usable is null)
            {
                throw new ToolchainNotFoundException(
                    $"{_options.DotnetPath} has no .NET {wanted} runtime (found: {(runtimes.Count == 0 ? "none" : string.Join(", ", runtimes))}): install Microsoft.NETCore.App {wanted} or choose another language");
            }

            return new ToolchainInfo("dotnet", $"Microsoft.NETCore.App {usable}", RoslynCompiler.Flags);
        }
    }

    /// <inheritdoc />
    public async ValueTask<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        var folder = Path.GetFullPath(request.WorkingDirectory);
        Directory.CreateDirectory(folder);
        var sourcePath = Path.Combine(folder, SourceFileName);
        var artifact = Path.Combine(folder, AssemblyFileName);
        await File.WriteAllTextAsync(sourcePath, request.SourceCode, cancellationToken).ConfigureAwait(false);

        var key = RoslynCompiler.Hash([_settingsKey, request.SourceCode]);
        var cached = await ReadCacheAsync(key, artifact, cancellationToken).ConfigureAwait(false);
        var cacheHit = cached is not null;
        string? errors;
        string warnings;
        if (cached is { } hit)
        {
            (errors, warnings) = hit;
        }
        else
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (request.Timeout > TimeSpan.Zero && request.Timeout != Timeout.InfiniteTimeSpan)
            {
                limit.CancelAfter(request.Timeout);
            }

            CSharpCompileOutput compiled;
            try
            {
                var source = request.SourceCode;
                compiled = await Task.Run(
                    () =>
                    {
                        Interlocked.Increment(ref _compilations);
                        return RoslynCompiler.Compile(source, "main", _settings, limit.Token);
                    },
                    limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new BuildResult
                {
                    Succeeded = false,
                    SourcePath = sourcePath,
                    CompilerOutput = $"the compilation did not finish within {MetricsReader.FormatSeconds(request.Timeout)} s",
                    Duration = Stopwatch.GetElapsedTime(started),
                };
            }

            errors = compiled.Succeeded ? null : compiled.Errors;
            warnings = compiled.Warnings;
            if (compiled.Assembly is { } image)
            {
                await File.WriteAllBytesAsync(artifact, image, cancellationToken).ConfigureAwait(false);
            }

            await WriteCacheAsync(key, compiled, cancellationToken).ConfigureAwait(false);
        }

        if (errors is not null)
        {
            return new BuildResult
            {
                Succeeded = false,
                SourcePath = sourcePath,
                CompilerOutput = errors,
                CacheHit = cacheHit,
                Duration = Stopwatch.GetElapsedTime(started),
            };
        }

        await File.WriteAllTextAsync(Path.Combine(folder, RuntimeConfigFileName), RuntimeConfig, cancellationToken).ConfigureAwait(false);
        foreach (var reference in _options.ReferencePaths)
        {
            File.Copy(reference, Path.Combine(folder, Path.GetFileName(reference)), overwrite: true);
        }

        return new BuildResult
        {
            Succeeded = true,
            SourcePath = sourcePath,
            ArtifactPath = artifact,
            Run = new ProcessRequest { FileName = _options.DotnetPath, Arguments = [artifact], WorkingDirectory = folder },
            CompilerOutput = warnings,
            CacheHit = cacheHit,
            Duration = Stopwatch.GetElapsedTime(started),
        };
    }

    /// <summary>
    /// The cached build for <paramref name="key"/>: the assembly copied to <paramref name="artifact"/> with its warnings,
    /// or the compile errors; <see langword="null"/> on a miss (or with no cache).
    /// </summary>
    private async Task<(string? Errors, string Warnings)?> ReadCacheAsync(string key, string artifact, CancellationToken cancellationToken)
    {
        if (_options.CacheDirectory is not { } cache)
        {
            return null;
        }

        try
        {
            var assembly = Path.Combine(cache, key + ".dll");
            if (File.Exists(assembly))
            {
                var warningsFile = Path.Combine(cache, key + ".warnings.txt");
                var warnings = File.Exists(warningsFile) ? await File.ReadAllTextAsync(warningsFile, cancellationToken).ConfigureAwait(false) : string.Empty;
                File.Copy(assembly, artifact, overwrite: true);
                return (null, warnings);
            }

            var errorsFile = Path.Combine(cache, key + ".errors.txt");
            if (File.Exists(errorsFile))
            {
                return (await File.ReadAllTextAsync(errorsFile, cancellationToken).ConfigureAwait(false), string.Empty);
            }
        }
        catch (IOException)
        {
            // An unreadable cache entry is a miss: the candidate is compiled again.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>Stores a build in the cache: each file written to a temporary name and renamed, so readers never see half of one.</summary>
    private async Task WriteCacheAsync(string key, CSharpCompileOutput compiled, CancellationToken cancellationToken)
    {
        if (_options.CacheDirectory is not { } cache)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(cache);
            if (compiled.Assembly is { } image)
            {
                // The warnings first: a reader that finds the assembly finds them too.
                await WriteAtomicallyAsync(Path.Combine(cache, key + ".warnings.txt"), compiled.Warnings, null, cancellationToken).ConfigureAwait(false);
                await WriteAtomicallyAsync(Path.Combine(cache, key + ".dll"), null, image, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WriteAtomicallyAsync(Path.Combine(cache, key + ".errors.txt"), compiled.Errors, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The cache is an optimization: a build that cannot be stored is simply compiled again next time.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static async Task WriteAtomicallyAsync(string path, string? text, byte[]? bytes, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            if (bytes is not null)
            {
                await File.WriteAllBytesAsync(temporary, bytes, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await File.WriteAllTextAsync(temporary, text, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>A reference's identity for the cache key: its path, size and last write time.</summary>
    private static string ReferenceStamp(string path)
    {
        var file = new FileInfo(path);
        return string.Create(CultureInfo.InvariantCulture, $"{path}|{file.Length}|{file.LastWriteTimeUtc.Ticks}");
    }
}
