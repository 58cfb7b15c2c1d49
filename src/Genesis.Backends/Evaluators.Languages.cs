using Genesis.Execution;

namespace Genesis;

/// <content>Evaluators for compiled and interpreted languages, built through an <see cref="IToolchain"/>.</content>
public static partial class Evaluators
{
    /// <summary>
    /// Builds each candidate with <paramref name="toolchain"/> and scores the built program with a ShinkaEvolve
    /// <c>evaluate.py</c>: <c>--program_path</c> is the executable or entry file, and <c>GENESIS_RUN_COMMAND</c> holds the
    /// command that starts it as a JSON array. A compile error is a <see cref="EvaluationStatus.CompileError"/> result
    /// whose feedback is the compiler's output.
    /// </summary>
    /// <param name="toolchain">Builds the candidates, for example <c>Toolchains.Rust()</c>.</param>
    /// <param name="evaluateScriptPath">The <c>evaluate.py</c> script; it must exist.</param>
    /// <param name="options">The interpreter and process options; <see langword="null"/> for the defaults.</param>
    /// <param name="extraArguments">Arguments appended after the standard ones.</param>
    /// <exception cref="FileNotFoundException">The script does not exist.</exception>
    public static CompiledProgramEvaluator Compiled(IToolchain toolchain, string evaluateScriptPath, ScriptEvaluatorOptions? options = null, IReadOnlyList<string>? extraArguments = null)
    {
        ArgumentNullException.ThrowIfNull(evaluateScriptPath);
        return new(toolchain, evaluateScriptPath, options, extraArguments);
    }

    /// <summary>
    /// Builds each candidate with <paramref name="toolchain"/>, runs it with <paramref name="arguments"/>, and reads its
    /// score from its last line of standard output: one JSON object in the shape of ShinkaEvolve's <c>metrics.json</c>
    /// (<c>combined_score</c>, <c>public</c>, <c>private</c>, <c>text_feedback</c>, optionally <c>correct</c> and <c>error</c>).
    /// </summary>
    /// <param name="toolchain">Builds the candidates, for example <c>Toolchains.Cpp()</c>.</param>
    /// <param name="arguments">The program's arguments.</param>
    /// <param name="options">The extra environment, output cap and clock (the interpreter is not used); <see langword="null"/> for the defaults.</param>
    public static CompiledProgramEvaluator Program(IToolchain toolchain, IReadOnlyList<string>? arguments = null, ScriptEvaluatorOptions? options = null) =>
        new(toolchain, evaluateScriptPath: null, options, arguments);
}
