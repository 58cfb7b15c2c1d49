using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Genesis.Execution;

/// <summary>
/// Scores a candidate in any language with an <see cref="IToolchain"/>: builds it (a compile error is an
/// <see cref="EvaluationStatus.CompileError"/> result whose feedback is the compiler's output, for the next prompt),
/// then either runs a ShinkaEvolve <c>evaluate.py</c> on the built program, or runs the program itself and reads its
/// report from its last line of standard output.
/// </summary>
/// <remarks>
/// <para>
/// With a script (<see cref="Evaluators.Compiled"/>): <c>python3 evaluate.py --program_path &lt;built program&gt;
/// --results_dir &lt;folder&gt;/results [extra arguments]</c>, exactly as <see cref="ShinkaScriptEvaluator"/> runs it,
/// where the built program is the executable (<c>main</c>) or the entry file (<c>main.py</c>, <c>main.js</c>). The
/// variable <c>GENESIS_RUN_COMMAND</c> holds the command that starts the program as a JSON array of strings (for example
/// <c>["/runs/7/main"]</c> or <c>["/usr/bin/node", "/runs/7/main.js"]</c>), so one <c>evaluate.py</c> can run a program
/// of any language: <c>subprocess.run(json.loads(os.environ["GENESIS_RUN_COMMAND"]) + args)</c>.
/// </para>
/// <para>
/// Without a script (<see cref="Evaluators.Program"/>): the program runs in its folder with the given arguments and
/// prints, as its last non-blank line of standard output, one JSON object in the shape of <c>metrics.json</c>
/// (<c>combined_score</c>, <c>public</c>, <c>private</c>, <c>text_feedback</c>), optionally with <c>correct</c> and
/// <c>error</c> as in <c>correct.json</c>. The line is kept as <c>results/metrics.json</c>, and the output as
/// <c>results/job_log.out</c> and <c>results/job_log.err</c>.
/// </para>
/// <para>
/// The request's timeout covers the build and the run. The toolchain is probed once, on first use or when
/// <see cref="CheckAsync"/> is called (an engine does so before a run): a missing compiler throws
/// <see cref="ToolchainNotFoundException"/> instead of failing every candidate.
/// </para>
/// </remarks>
public sealed class CompiledProgramEvaluator : IEvaluator, IPreflightCheck
{
    /// <summary>The variable that holds the program's start command, as a JSON array of strings, for an <c>evaluate.py</c>.</summary>
    public const string RunCommandVariable = "GENESIS_RUN_COMMAND";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly ScriptEvaluatorOptions _options;
    private readonly string[] _arguments;
    private volatile bool _probed;

    /// <summary>Creates an evaluator that builds with <paramref name="toolchain"/>.</summary>
    /// <param name="toolchain">Builds the candidates; its language must be the candidates' language.</param>
    /// <param name="evaluateScriptPath">A ShinkaEvolve <c>evaluate.py</c> that scores the built program; <see langword="null"/> to run the program itself and read its report.</param>
    /// <param name="options">The Python interpreter (for the script), the extra environment, the output cap and the clock; <see langword="null"/> for the defaults.</param>
    /// <param name="arguments">With a script, arguments appended after the standard ones; without, the program's arguments.</param>
    /// <exception cref="FileNotFoundException">The script does not exist.</exception>
    /// <exception cref="ArgumentException">An option is unusable; the message names it.</exception>
    public CompiledProgramEvaluator(IToolchain toolchain, string? evaluateScriptPath, ScriptEvaluatorOptions? options = null, IReadOnlyList<string>? arguments = null)
    {
        ArgumentNullException.ThrowIfNull(toolchain);
        Toolchain = toolchain;
        ScriptPath = evaluateScriptPath is null ? null : ScriptRun.RequireScript(evaluateScriptPath, nameof(evaluateScriptPath));
        _options = (options ?? new ScriptEvaluatorOptions()).Clone();
        _options.Validate();
        _arguments = arguments?.ToArray() ?? [];
        if (Array.Exists(_arguments, argument => argument is null))
        {
            throw new ArgumentException("An argument must not be null.", nameof(arguments));
        }
    }

    /// <summary>The toolchain that builds the candidates.</summary>
    public IToolchain Toolchain { get; }

    /// <summary>The full path of the <c>evaluate.py</c> script, or <see langword="null"/> when the program reports its own score.</summary>
    public string? ScriptPath { get; }

    /// <summary>Probes the toolchain (once; later calls return at once).</summary>
    /// <exception cref="ToolchainNotFoundException">A tool is missing; the message says which and what to install.</exception>
    public async ValueTask CheckAsync(CancellationToken cancellationToken = default)
    {
        if (_probed)
        {
            return;
        }

        await Toolchain.ProbeAsync(cancellationToken).ConfigureAwait(false);
        _probed = true;
    }

    /// <inheritdoc />
    /// <exception cref="ToolchainNotFoundException">The toolchain's tools are missing.</exception>
    /// <exception cref="ArgumentException">The request is malformed or its language is not the toolchain's.</exception>
    public async ValueTask<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        await CheckAsync(cancellationToken).ConfigureAwait(false);
        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        var build = await Toolchain.BuildAsync(
            new BuildRequest
            {
                SourceCode = request.Code,
                WorkingDirectory = request.WorkingDirectory,
                Backend = request.Backend,
                Timeout = request.Timeout,
            },
            cancellationToken).ConfigureAwait(false);
        if (!build.Succeeded)
        {
            return CompileError(build.CompilerOutput) with { Duration = time.GetElapsedTime(started) };
        }

        var run = build.Run ?? throw new InvalidOperationException($"{Toolchain.GetType().Name} reported a successful build without BuildResult.Run.");
        var left = request.Timeout == Timeout.InfiniteTimeSpan ? request.Timeout : request.Timeout - time.GetElapsedTime(started);
        if (left != Timeout.InfiniteTimeSpan && left <= TimeSpan.Zero)
        {
            var reason = $"the build used the whole time limit of {MetricsReader.FormatSeconds(request.Timeout)} s";
            return EvaluationResult.Failure(EvaluationStatus.TimedOut, reason) with { Duration = time.GetElapsedTime(started) };
        }

        var result = ScriptPath is null
            ? await RunProgramAsync(request, run, left, cancellationToken).ConfigureAwait(false)
            : await RunScriptAsync(request, build, run, left, cancellationToken).ConfigureAwait(false);
        return result with { Duration = time.GetElapsedTime(started) };
    }

    /// <summary>The start command of <paramref name="run"/> as a JSON array of strings.</summary>
    internal static string RunCommandJson(ProcessRequest run)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(run.FileName);
            foreach (var argument in run.Arguments)
            {
                writer.WriteStringValue(argument);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private void Validate(EvaluationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Backend, nameof(request));
        ArgumentNullException.ThrowIfNull(request.Language, nameof(request));
        ArgumentNullException.ThrowIfNull(request.Code, nameof(request));
        if (!string.Equals(request.Language.Name, Toolchain.Language.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"EvaluationRequest.Language is '{request.Language.Name}' but the evaluator's toolchain ({Toolchain.GetType().Name}) builds '{Toolchain.Language.Name}'.",
                nameof(request));
        }

        if (!Directory.Exists(request.WorkingDirectory))
        {
            throw new DirectoryNotFoundException($"EvaluationRequest.WorkingDirectory does not exist: {request.WorkingDirectory}");
        }
    }

    private static EvaluationResult CompileError(string compilerOutput)
    {
        var output = compilerOutput.Length > 0 ? compilerOutput : "(the compiler printed nothing)";
        return EvaluationResult.Failure(
            EvaluationStatus.CompileError,
            $"the program did not compile: {CompilerOutput.FirstErrorLine(output)}",
            $"The program did not compile. Compiler output:\n{output}");
    }

    private async ValueTask<EvaluationResult> RunScriptAsync(EvaluationRequest request, BuildResult build, ProcessRequest run, TimeSpan left, CancellationToken cancellationToken)
    {
        var options = _options.Clone();
        options.Environment = new Dictionary<string, string?>(_options.Environment) { [RunCommandVariable] = RunCommandJson(run) };
        var programPath = build.ArtifactPath ?? build.SourcePath;
        var script = new ScriptRun(options, Path.GetDirectoryName(ScriptPath)!);
        return await script.RunAsync(
            request with { Timeout = left },
            prepare: null,
            (_, results) => [ScriptPath!, "--program_path", programPath, "--results_dir", results, .. _arguments],
            cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<EvaluationResult> RunProgramAsync(EvaluationRequest request, ProcessRequest run, TimeSpan left, CancellationToken cancellationToken)
    {
        var workingDirectory = Path.GetFullPath(request.WorkingDirectory);
        var results = Path.Combine(workingDirectory, ScriptRun.ResultsFolderName);
        Directory.CreateDirectory(results);
        File.Delete(Path.Combine(results, MetricsReader.MetricsFileName));
        File.Delete(Path.Combine(results, MetricsReader.CorrectFileName));

        var environment = new Dictionary<string, string?>(run.Environment);
        foreach (var (name, value) in _options.Environment)
        {
            environment[name] = value;
        }

        var outcome = await request.Backend.RunAsync(
            run with
            {
                Arguments = [.. run.Arguments, .. _arguments],
                WorkingDirectory = workingDirectory,
                Environment = environment,
                Timeout = left,
                MaxOutputBytes = _options.MaxOutputBytes,
            },
            cancellationToken).ConfigureAwait(false);

        await File.WriteAllTextAsync(Path.Combine(results, "job_log.out"), outcome.StandardOutput, Utf8, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(results, "job_log.err"), outcome.StandardError, Utf8, cancellationToken).ConfigureAwait(false);
        var result = ProgramReport.Read(results, outcome, left, TimeSpan.Zero);

        // The reader speaks of "the evaluator"; here the program is its own evaluator.
        const string Evaluator = "the evaluator ";
        return result.Error is { } error && error.StartsWith(Evaluator, StringComparison.Ordinal)
            ? result with
            {
                Error = string.Concat("the program ", error.AsSpan(Evaluator.Length)),
                TextFeedback = result.TextFeedback.StartsWith(Evaluator, StringComparison.Ordinal)
                    ? string.Concat("the program ", result.TextFeedback.AsSpan(Evaluator.Length))
                    : result.TextFeedback,
            }
            : result;
    }
}
