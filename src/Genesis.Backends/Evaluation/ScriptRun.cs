using System.Text;

namespace Genesis.Execution;

/// <summary>
/// The part the script evaluators share: write the candidate to <c>main&lt;ext&gt;</c>, prepare <c>results/</c>, run
/// a Python script on the request's backend, and read <c>metrics.json</c> / <c>correct.json</c>.
/// </summary>
internal sealed class ScriptRun
{
    /// <summary>The folder, inside the working folder, the evaluator writes its files to.</summary>
    public const string ResultsFolderName = "results";

    /// <summary>The candidate's file name without its extension.</summary>
    public const string ProgramFileStem = "main";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly ScriptEvaluatorOptions _options;
    private readonly string _scriptFolder;

    /// <summary>Creates a runner for scripts that live in <paramref name="scriptFolder"/>, which goes first on <c>PYTHONPATH</c>.</summary>
    public ScriptRun(ScriptEvaluatorOptions options, string scriptFolder)
    {
        _options = options;
        _scriptFolder = scriptFolder;
    }

    /// <summary>Checks a script path given by the caller and returns it in full.</summary>
    public static string RequireScript(string path, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path, parameterName);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"The evaluator script does not exist: {full}", full);
        }

        return full;
    }

    /// <summary>Runs one evaluation.</summary>
    /// <param name="request">The candidate.</param>
    /// <param name="prepare">Writes any extra files into the working folder before the run; may be <see langword="null"/>.</param>
    /// <param name="arguments">The script and its arguments, given the program's path and the results folder.</param>
    /// <param name="cancellationToken">Kills the evaluator process and throws.</param>
    public async ValueTask<EvaluationResult> RunAsync(
        EvaluationRequest request,
        Func<string, CancellationToken, Task>? prepare,
        Func<string, string, IReadOnlyList<string>> arguments,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Backend, nameof(request));
        ArgumentNullException.ThrowIfNull(request.Language, nameof(request));
        ArgumentNullException.ThrowIfNull(request.Code, nameof(request));
        if (!Directory.Exists(request.WorkingDirectory))
        {
            throw new DirectoryNotFoundException($"EvaluationRequest.WorkingDirectory does not exist: {request.WorkingDirectory}");
        }

        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        var workingDirectory = Path.GetFullPath(request.WorkingDirectory);
        var programPath = Path.Combine(workingDirectory, ProgramFileStem + request.Language.FileExtension);
        var resultsDirectory = Path.Combine(workingDirectory, ResultsFolderName);

        await File.WriteAllTextAsync(programPath, request.Code, Utf8, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(resultsDirectory);
        File.Delete(Path.Combine(resultsDirectory, MetricsReader.MetricsFileName));
        File.Delete(Path.Combine(resultsDirectory, MetricsReader.CorrectFileName));
        if (prepare is not null)
        {
            await prepare(workingDirectory, cancellationToken).ConfigureAwait(false);
        }

        var outcome = await request.Backend.RunAsync(
            new ProcessRequest
            {
                FileName = _options.Python,
                Arguments = arguments(programPath, resultsDirectory),
                WorkingDirectory = workingDirectory,
                Environment = BuildEnvironment(),
                Timeout = request.Timeout,
                MaxOutputBytes = _options.MaxOutputBytes,
            },
            cancellationToken).ConfigureAwait(false);

        // Like ShinkaEvolve's job_log.out/err: the evaluator's output stays next to its results for people to read.
        await File.WriteAllTextAsync(Path.Combine(resultsDirectory, "job_log.out"), outcome.StandardOutput, Utf8, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(resultsDirectory, "job_log.err"), outcome.StandardError, Utf8, cancellationToken).ConfigureAwait(false);

        return MetricsReader.Read(resultsDirectory, outcome, request.Timeout, time.GetElapsedTime(started));
    }

    private Dictionary<string, string?> BuildEnvironment()
    {
        var environment = new Dictionary<string, string?>(_options.Environment);
        var rest = environment.TryGetValue("PYTHONPATH", out var given) ? given : System.Environment.GetEnvironmentVariable("PYTHONPATH");
        environment["PYTHONPATH"] = string.IsNullOrEmpty(rest) ? _scriptFolder : _scriptFolder + Path.PathSeparator + rest;
        return environment;
    }
}
