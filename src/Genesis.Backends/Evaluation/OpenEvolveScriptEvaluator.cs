using System.Text;

namespace Genesis.Execution;

/// <summary>
/// Scores a candidate with an OpenEvolve <c>evaluator.py</c>, whose <c>evaluate(program_path)</c> returns a dict of
/// metrics (or, in newer OpenEvolve, an object with a <c>.metrics</c> dict and an <c>.artifacts</c> dict). The
/// evaluator runs out of process, through a small Python shim written into the working folder, which imports the
/// module from its path, calls <c>evaluate</c> on <c>&lt;working folder&gt;/main&lt;ext&gt;</c> and writes
/// ShinkaEvolve's <c>metrics.json</c> / <c>correct.json</c>; these are read like <see cref="ShinkaScriptEvaluator"/>'s.
/// </summary>
/// <remarks>
/// <para>
/// The score is the dict's <c>combined_score</c> when present, else the mean of its numeric non-boolean values
/// (OpenEvolve's rule; 0 when there are none). All numeric and boolean values become public metrics. Artifacts and an
/// <c>error</c> value become the text feedback. The program is correct unless <c>evaluate</c> raised, the dict has an
/// <c>error</c> key, or a <c>validity</c>/<c>valid</c> metric is 0; a raising evaluator yields an incorrect result with
/// score 0 and the exception and its traceback as feedback, like ShinkaEvolve's own wrapper.
/// </para>
/// <para>
/// The run is killed with its whole process tree at the request's timeout, unlike OpenEvolve's in-process evaluator.
/// Cascade stages (<c>evaluate_stage1</c>...) are not run; <c>evaluate</c> is.
/// </para>
/// </remarks>
public sealed class OpenEvolveScriptEvaluator : IEvaluator
{
    /// <summary>The shim's file name inside the working folder.</summary>
    public const string ShimFileName = "genesis_openevolve_shim.py";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly ScriptRun _run;

    /// <summary>Creates an evaluator around <paramref name="evaluatorScriptPath"/>.</summary>
    /// <param name="evaluatorScriptPath">The <c>evaluator.py</c> script; it must exist.</param>
    /// <param name="options">The interpreter and process options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="FileNotFoundException">The script does not exist.</exception>
    /// <exception cref="ArgumentException">An option is unusable; the message names it.</exception>
    public OpenEvolveScriptEvaluator(string evaluatorScriptPath, ScriptEvaluatorOptions? options = null)
    {
        ScriptPath = ScriptRun.RequireScript(evaluatorScriptPath, nameof(evaluatorScriptPath));
        var copy = (options ?? new ScriptEvaluatorOptions()).Clone();
        copy.Validate();
        _run = new ScriptRun(copy, Path.GetDirectoryName(ScriptPath)!);
    }

    /// <summary>The full path of the <c>evaluator.py</c> script.</summary>
    public string ScriptPath { get; }

    /// <inheritdoc />
    public ValueTask<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken = default) =>
        _run.RunAsync(
            request,
            (folder, token) => File.WriteAllTextAsync(Path.Combine(folder, ShimFileName), OpenEvolveShim.Source, Utf8, token),
            (program, results) => [ShimFileName, "--evaluator", ScriptPath, "--program_path", program, "--results_dir", results],
            cancellationToken);
}
