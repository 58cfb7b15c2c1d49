using System.Runtime.InteropServices;
using System.Text;

namespace Genesis.Execution;

/// <summary>
/// The build pipeline every built-in toolchain shares: probe once, write the candidate's source to
/// <c>main&lt;ext&gt;</c> in its folder, look the build up in the compile cache, compile on a miss, store the outcome,
/// and describe how to run the result. The language-specific steps come from an <see cref="ILanguageBuild"/>.
/// </summary>
internal sealed class ToolchainCore
{
    /// <summary>The file name (without extension) of a candidate's source and of its executable.</summary>
    public const string ProgramStem = "main";

    /// <summary>How much of each output stream of a compiler is captured before it is shaped and capped.</summary>
    public const int CapturedCompilerOutputBytes = 256 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly ILanguageBuild _language;
    private readonly ToolchainOptions _options;
    private readonly ToolFinder _finder;
    private readonly CompileCache? _cache;
    private readonly object _gate = new();
    private Task<ToolchainProbe>? _probe;

    /// <summary>Creates the pipeline for <paramref name="language"/> with validated, copied <paramref name="options"/>.</summary>
    public ToolchainCore(ILanguageBuild language, ToolchainOptions options)
    {
        _language = language;
        _options = options;
        CacheDirectory = Path.GetFullPath(options.CacheDirectory ?? CompileCache.DefaultDirectory);
        _cache = options.UseCompileCache ? new CompileCache(CacheDirectory) : null;
        _finder = new ToolFinder(options.ProbeBackend, options.Environment);
    }

    /// <summary>The compile cache's folder, which also holds the shared Cargo and CMake build folders.</summary>
    public string CacheDirectory { get; }

    /// <summary>The platform builds target, part of every cache key.</summary>
    public static string Platform { get; } = $"{RuntimeInformation.RuntimeIdentifier}/{RuntimeInformation.OSArchitecture}";

    /// <summary>Probes the tools once; a failed probe is tried again on the next call.</summary>
    public async ValueTask<ToolchainInfo> ProbeAsync(CancellationToken cancellationToken) =>
        (await EnsureProbedAsync(cancellationToken).ConfigureAwait(false)).Info;

    /// <summary>Builds one candidate (see <see cref="IToolchain.BuildAsync"/>).</summary>
    public async ValueTask<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var probe = await EnsureProbedAsync(cancellationToken).ConfigureAwait(false);
        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        var workingDirectory = Path.GetFullPath(request.WorkingDirectory);
        var sourcePath = Path.Combine(workingDirectory, ProgramStem + _language.Language.FileExtension);
        await File.WriteAllTextAsync(sourcePath, request.SourceCode, Utf8, cancellationToken).ConfigureAwait(false);

        if (!_language.Builds)
        {
            return Result(new CompiledBuild(true, string.Empty, []), hit: false);
        }

        var context = new CompileContext(
            workingDirectory,
            sourcePath,
            request.SourceCode,
            request.Backend,
            request.Timeout,
            _options.Environment,
            CapturedCompilerOutputBytes);

        if (_cache is null)
        {
            return Result(await CompileAsync(context, cancellationToken).ConfigureAwait(false), hit: false);
        }

        var key = CompileCacheKey.Compute(KeyParts(probe, request.SourceCode));
        var (build, hit) = await _cache.GetOrBuildAsync(key, workingDirectory, token => CompileAsync(context, token), cancellationToken).ConfigureAwait(false);
        return Result(build, hit);

        BuildResult Result(CompiledBuild build, bool hit)
        {
            var artifact = _language.ArtifactName is { } name ? Path.Combine(workingDirectory, name) : sourcePath;
            return new BuildResult
            {
                Succeeded = build.Succeeded,
                SourcePath = sourcePath,
                Run = build.Succeeded ? _language.RunRequest(workingDirectory, sourcePath) : null,
                ArtifactPath = build.Succeeded ? artifact : null,
                CompilerOutput = CompilerOutput.Cap(build.CompilerOutput, _options.MaxCompilerOutputBytes),
                CacheHit = hit,
                Duration = time.GetElapsedTime(started),
            };
        }
    }

    private async Task<ToolchainProbe> EnsureProbedAsync(CancellationToken cancellationToken)
    {
        Task<ToolchainProbe> probe;
        lock (_gate)
        {
            if (_probe is null || _probe.IsFaulted || _probe.IsCanceled)
            {
                _probe = _language.ProbeAsync(_finder, cancellationToken).AsTask();
            }

            probe = _probe;
        }

        return await probe.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private List<string> KeyParts(ToolchainProbe probe, string source)
    {
        var parts = new List<string>
        {
            _language.Recipe,
            Platform,
            probe.Info.Tool,
            probe.Info.Version,
            probe.Info.Flags,
        };
        parts.AddRange(probe.KeyParts);
        foreach (var (name, value) in _options.Environment.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            parts.Add(value is null ? $"-{name}" : $"{name}={value}");
        }

        parts.Add(source);
        return parts;
    }

    private async ValueTask<CompiledBuild> CompileAsync(CompileContext context, CancellationToken cancellationToken)
    {
        if (_language.ArtifactName is { } artifact)
        {
            // A stale artifact must never pass for the product of this build.
            File.Delete(Path.Combine(context.WorkingDirectory, artifact));
        }

        var run = await _language.CompileAsync(context, cancellationToken).ConfigureAwait(false);
        var outcome = run.Outcome;
        // Cached output is shown to other candidates too: no candidate's own folder in it.
        var output = CompilerOutput.MakeRelative(run.Output, context.WorkingDirectory);
        if (outcome.StartError is not null)
        {
            output = CompilerOutput.Combine($"The compiler could not start: {outcome.StartError}", output);
        }
        else if (outcome.TimedOut)
        {
            output = CompilerOutput.Combine($"The compiler was killed after {MetricsReader.FormatSeconds(context.Timeout)} s (the build's time limit).", output);
        }
        else if (!run.Succeeded && outcome.ExitCode >= 128)
        {
            output = CompilerOutput.Combine($"The compiler was killed (exit code {outcome.ExitCode}).", output);
        }

        // Only an outcome that follows from the source is stored: not a compiler that timed out, could not start, or was
        // killed by a signal (exit codes from 128 up), nor a failure of the project's set-up.
        var cacheable = run.SourceDependent
            && outcome.StartError is null
            && !outcome.TimedOut
            && outcome.ExitCode is >= 0 and < 128;
        var files = run.Succeeded && _language.ArtifactName is { } name ? new[] { name.Replace('\\', '/') } : [];
        return new CompiledBuild(run.Succeeded, output, files, cacheable);
    }

    private static void Validate(BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.SourceCode is null)
        {
            throw new ArgumentException("BuildRequest.SourceCode must not be null.", nameof(request));
        }

        if (request.Backend is null)
        {
            throw new ArgumentException("BuildRequest.Backend must not be null.", nameof(request));
        }

        if (string.IsNullOrWhiteSpace(request.WorkingDirectory))
        {
            throw new ArgumentException("BuildRequest.WorkingDirectory must name a folder.", nameof(request));
        }

        if (!Directory.Exists(request.WorkingDirectory))
        {
            throw new DirectoryNotFoundException($"BuildRequest.WorkingDirectory does not exist: {request.WorkingDirectory}");
        }

        if (request.Timeout != Timeout.InfiniteTimeSpan && request.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Timeout, $"BuildRequest.Timeout must be positive or Timeout.InfiniteTimeSpan, was {request.Timeout}.");
        }
    }
}
