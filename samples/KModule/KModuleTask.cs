using Genesis;

namespace KModule;

/// <summary>
/// OpenEvolve's K-module problem: choose one of five options for each of four pipeline modules. The score is the number of
/// correct modules over four, and the evaluator never says which ones are right. Cheap and deterministic: a CI task.
/// </summary>
public sealed class KModuleTask : IEvolutionTask
{
    private static readonly string TaskFolder = Path.Combine(AppContext.BaseDirectory, "task");

    public string Name => "k-module";

    public ProgramLanguage Language => ProgramLanguage.Python;

    public string InitialProgram { get; } = File.ReadAllText(Path.Combine(TaskFolder, "initial.py"));

    public string Description =>
        """
        Configure a four-stage data pipeline (loader, preprocess, algorithm, formatter) by choosing one option index for
        each stage from the tables in the program. The score is the fraction of stages configured correctly; the evaluator
        does not say which stages are right, only how many.
        """;

    public IEvaluator Evaluator { get; } = Evaluators.Shinka(Path.Combine(TaskFolder, "evaluate.py"));

    public double? MaxScore => 1.0;
}
