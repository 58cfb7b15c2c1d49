using System.Globalization;
using System.Text.RegularExpressions;

namespace Genesis.Tests.Engine;

/// <summary>A task scored in-process: maximise 1 - (x - 2)^2 over the constant x of a one-line Python block.</summary>
public sealed partial class QuadraticTask : IEvolutionTask
{
    public ProgramLanguage Language => ProgramLanguage.Python;

    public string InitialProgram => "import math\n# EVOLVE-BLOCK-START\nx = 0.5\n# EVOLVE-BLOCK-END\nprint(x)\n";

    public string Description => "Choose x to maximise 1 - (x - 2)^2.";

    public IEvaluator Evaluator => Evaluators.FromDelegate((request, _) => ValueTask.FromResult(Score(request.Code)));

    public double? MaxScore => 1.0;

    public static EvaluationResult Score(string code)
    {
        var match = XLine().Match(code);
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x))
        {
            return EvaluationResult.Failure(EvaluationStatus.Invalid, "no line of the form 'x = <number>'");
        }

        var score = 1.0 - ((x - 2.0) * (x - 2.0));
        return EvaluationResult.Success(score, correct: true, textFeedback: $"x = {x}", publicMetrics: new Dictionary<string, double> { ["x"] = x });
    }

    [GeneratedRegex(@"^x = ([-+0-9.eE]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex XLine();
}

/// <summary>A task whose evaluator misbehaves on purpose, one way per call, then behaves.</summary>
public sealed class HostileEvaluatorTask(Func<int, EvaluationRequest, EvaluationResult> behaviour) : IEvolutionTask
{
    private int _calls;

    public ProgramLanguage Language => ProgramLanguage.Python;

    public string InitialProgram => "# EVOLVE-BLOCK-START\nx = 0.5\n# EVOLVE-BLOCK-END\n";

    public IEvaluator Evaluator => Evaluators.FromDelegate((request, _) => ValueTask.FromResult(behaviour(Interlocked.Increment(ref _calls), request)));

    public double? MaxScore => 1.0;
}

/// <summary>A run folder under the system temp folder, deleted afterwards.</summary>
public sealed class TempRunFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "genesis-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open on a slow machine must not fail the test.
        }
    }
}
