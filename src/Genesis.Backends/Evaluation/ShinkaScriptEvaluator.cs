namespace Genesis.Execution;

/// <summary>
/// Scores a candidate with a ShinkaEvolve <c>evaluate.py</c>: the candidate is written to
/// <c>&lt;working folder&gt;/main&lt;ext&gt;</c>, and <c>python3 evaluate.py --program_path &lt;main file&gt;
/// --results_dir &lt;working folder&gt;/results [extra arguments]</c> runs on the request's backend under the request's
/// timeout, in the working folder, with the script's folder first on <c>PYTHONPATH</c>. The script writes
/// <c>results/metrics.json</c> and, optionally, <c>results/correct.json</c>.
/// </summary>
/// <remarks>
/// Failures are results, not exceptions: a start failure or a non-zero exit is <see cref="EvaluationStatus.Crashed"/>
/// (with the end of standard error in the feedback), a timeout <see cref="EvaluationStatus.TimedOut"/>, and a missing,
/// malformed or non-finite report <see cref="EvaluationStatus.Invalid"/>. The process's output is kept in
/// <c>results/job_log.out</c> and <c>results/job_log.err</c>.
/// </remarks>
public sealed class ShinkaScriptEvaluator : IEvaluator
{
    private readonly ScriptRun _run;
    private readonly string[] _extraArguments;

    /// <summary>Creates an evaluator around <paramref name="evaluateScriptPath"/>.</summary>
    /// <param name="evaluateScriptPath">The <c>evaluate.py</c> script; it must exist.</param>
    /// <param name="options">The interpreter and process options; <see langword="null"/> for the defaults.</param>
    /// <param name="extraArguments">Arguments appended after the standard ones (ShinkaEvolve's <c>extra_cmd_args</c>).</param>
    /// <exception cref="FileNotFoundException">The script does not exist.</exception>
    /// <exception cref="ArgumentException">An option is unusable; the message names it.</exception>
    public ShinkaScriptEvaluator(string evaluateScriptPath, ScriptEvaluatorOptions? options = null, IReadOnlyList<string>? extraArguments = null)
    {
        ScriptPath = ScriptRun.RequireScript(evaluateScriptPath, nameof(evaluateScriptPath));
        var copy = (options ?? new ScriptEvaluatorOptions()).Clone();
        copy.Validate();
        _extraArguments = extraArguments?.ToArray() ?? [];
        _run = new ScriptRun(copy, Path.GetDirectoryName(ScriptPath)!);
    }

    /// <summary>The full path of the <c>evaluate.py</c> script.</summary>
    public string ScriptPath { get; }

    /// <inheritdoc />
    public ValueTask<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken = default) =>
        _run.RunAsync(
            request,
            prepare: null,
            (program, results) => [ScriptPath, "--program_path", program, "--results_dir", results, .. _extraArguments],
            cancellationToken);
}
