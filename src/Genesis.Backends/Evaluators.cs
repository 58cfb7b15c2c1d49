using Genesis.Execution;

namespace Genesis;

/// <summary>Creates the built-in <see cref="IEvaluator"/>s.</summary>
public static partial class Evaluators
{
    /// <summary>An evaluator on ShinkaEvolve's contract: <c>evaluate.py --program_path ... --results_dir ...</c> writing <c>metrics.json</c> and <c>correct.json</c>.</summary>
    /// <param name="evaluateScriptPath">The <c>evaluate.py</c> script; it must exist.</param>
    /// <param name="options">The interpreter and process options; <see langword="null"/> for the defaults.</param>
    /// <param name="extraArguments">Arguments appended after the standard ones.</param>
    /// <exception cref="FileNotFoundException">The script does not exist.</exception>
    public static ShinkaScriptEvaluator Shinka(string evaluateScriptPath, ScriptEvaluatorOptions? options = null, IReadOnlyList<string>? extraArguments = null) =>
        new(evaluateScriptPath, options, extraArguments);

    /// <summary>An evaluator on OpenEvolve's contract: <c>evaluator.py</c> defining <c>evaluate(program_path) -> dict</c>, run out of process.</summary>
    /// <param name="evaluatorScriptPath">The <c>evaluator.py</c> script; it must exist.</param>
    /// <param name="options">The interpreter and process options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="FileNotFoundException">The script does not exist.</exception>
    public static OpenEvolveScriptEvaluator OpenEvolve(string evaluatorScriptPath, ScriptEvaluatorOptions? options = null) =>
        new(evaluatorScriptPath, options);

    /// <summary>An evaluator that scores candidates in process with <paramref name="evaluate"/>; its exceptions become crashed results.</summary>
    /// <param name="evaluate">Scores one candidate.</param>
    public static DelegateEvaluator FromDelegate(Func<EvaluationRequest, CancellationToken, ValueTask<EvaluationResult>> evaluate) =>
        new(evaluate);
}
