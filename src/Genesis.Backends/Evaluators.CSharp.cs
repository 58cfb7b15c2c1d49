using System.Reflection;
using Genesis.Execution;

namespace Genesis;

/// <summary>The C# evaluators: in process for trusted code, out of process for untrusted code.</summary>
public static partial class Evaluators
{
    /// <summary>
    /// Scores C# candidates in this process through a typed entry point: each candidate is compiled with Roslyn into a
    /// collectible load context, its static method <paramref name="entryPoint"/> is bound to a <typeparamref name="TEntry"/>
    /// delegate, and <paramref name="score"/> calls it on a dedicated thread under the request's timeout. For trusted code
    /// only: see <see cref="CSharpInProcessEvaluator"/>.
    /// </summary>
    /// <remarks>
    /// <code>
    /// // The candidate: public static class Candidate { public static double Estimate(int samples) { ... } }
    /// var evaluator = Evaluators.CSharpInProcess&lt;Func&lt;int, double&gt;&gt;(
    ///     "Candidate.Estimate",
    ///     (estimate, cancellationToken) => EvaluationResult.Success(-Math.Abs(estimate(1000) - Math.PI)));
    /// </code>
    /// A candidate without the method, or with another signature, is a <see cref="EvaluationStatus.CompileError"/> whose
    /// feedback names the expected signature, for example <c>double Estimate(int)</c>. The method may be public or not and
    /// the type may sit in a namespace of the candidate's choosing when it is named without one.
    /// </remarks>
    /// <typeparam name="TEntry">The delegate type of the entry point, for example <c>Func&lt;double&gt;</c> or a delegate of the task's own.</typeparam>
    /// <param name="entryPoint">The type and static method, for example <c>Candidate.Score</c> or <c>MyTask.Solver.Solve</c>.</param>
    /// <param name="score">Scores one candidate given its entry point; the token is cancelled at the timeout and by the caller.</param>
    /// <param name="options">The compilation and cache options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException"><paramref name="entryPoint"/> is not of the form <c>Type.Method</c>, or an option cannot be used.</exception>
    public static CSharpInProcessEvaluator CSharpInProcess<TEntry>(string entryPoint, Func<TEntry, CancellationToken, EvaluationResult> score, CSharpInProcessOptions? options = null)
        where TEntry : Delegate
    {
        ArgumentNullException.ThrowIfNull(score);
        var (typeName, methodName) = EntryPointBinder.Parse(entryPoint);
        return new CSharpInProcessEvaluator(
            (assembly, cancellationToken) =>
            {
                var entry = EntryPointBinder.Bind<TEntry>(assembly, typeName, methodName, out var problem);
                return ValueTask.FromResult(entry is null
                    ? EvaluationResult.Failure(EvaluationStatus.CompileError, $"entry point {entryPoint} not found", problem)
                    : score(entry, cancellationToken));
            },
            options);
    }

    /// <summary>
    /// Scores C# candidates in this process: each candidate is compiled with Roslyn into a collectible load context and
    /// its assembly handed to <paramref name="score"/>, which finds and calls what it needs, on a dedicated thread under
    /// the request's timeout. For trusted code only: see <see cref="CSharpInProcessEvaluator"/>.
    /// </summary>
    /// <param name="score">Scores one loaded candidate; it must not keep the assembly or anything from it after it returns.</param>
    /// <param name="options">The compilation and cache options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option cannot be used; the message names it.</exception>
    public static CSharpInProcessEvaluator CSharpInProcess(Func<Assembly, CancellationToken, ValueTask<EvaluationResult>> score, CSharpInProcessOptions? options = null) =>
        new(score, options);

    /// <summary>
    /// Scores C# candidates out of process, for untrusted code: each candidate (with the harness in
    /// <see cref="CSharpToolchainOptions.AdditionalSources"/>, if any) is built by a <see cref="CSharpToolchain"/> into
    /// <c>main.dll</c> and run as <c>dotnet main.dll</c> on the request's execution backend, so its sandbox and limits
    /// apply. The program's last line of standard output is a JSON object of metrics in ShinkaEvolve's shape.
    /// </summary>
    /// <param name="options">The toolchain options; <see langword="null"/> for the defaults.</param>
    /// <param name="arguments">Arguments passed to the program after <c>main.dll</c>.</param>
    /// <exception cref="ArgumentException">An option cannot be used; the message names it.</exception>
    public static CompiledProgramEvaluator CSharpOutOfProcess(CSharpToolchainOptions? options = null, IReadOnlyList<string>? arguments = null) =>
        Program(new CSharpToolchain(options), arguments);
}
