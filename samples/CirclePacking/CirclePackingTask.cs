using Genesis;

namespace CirclePacking;

/// <summary>
/// Pack 26 circles in the unit square, maximising the sum of their radii (AlphaEvolve's problem; the best known result is
/// 2.635983, ShinkaEvolve). The candidate is Python; <c>task/evaluate.py</c> checks containment and overlap to 1e-9.
/// </summary>
public sealed class CirclePackingTask : IEvolutionTask
{
    private static readonly string TaskFolder = Path.Combine(AppContext.BaseDirectory, "task");

    public string Name => "circle-packing";

    public ProgramLanguage Language => ProgramLanguage.Python;

    public string InitialProgram { get; } = File.ReadAllText(Path.Combine(TaskFolder, "initial.py"));

    public string Description =>
        """
        Place 26 non-overlapping circles inside the unit square [0,1]x[0,1] so that the sum of their radii is as large as
        possible. run_packing() returns (centers, radii): 26 (x, y) pairs and 26 radii. Every circle must lie inside the
        square and no two may overlap (tolerance 1e-9). The score is the sum of radii; the best known value is about 2.636.
        """;

    public IEvaluator Evaluator { get; } = Evaluators.Shinka(Path.Combine(TaskFolder, "evaluate.py"));

    /// <summary>No packing of 26 circles reaches 2.7 (the record is 2.636): a higher score means the evaluator was fooled.</summary>
    public double? MaxScore => 2.7;
}
