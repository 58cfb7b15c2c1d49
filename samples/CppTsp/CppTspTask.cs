using Genesis;

namespace CppTsp;

/// <summary>
/// A travelling-salesman heuristic in C++: tour five shuffled full grids (64 to 400 points) whose optimum is known (the
/// number of points, since an even grid has a tour of unit edges only). The candidate is a whole C++17 program whose
/// harness (outside the EVOLVE-BLOCK) checks each tour is a permutation and prints one JSON metrics line. Score: 0 if any
/// tour is invalid, else the mean of optimum / length = 1 / (1 + gap). Deterministic, about 50 ms per run.
/// </summary>
public sealed class CppTspTask : IEvolutionTask
{
    private static readonly string TaskFolder = Path.Combine(AppContext.BaseDirectory, "task");

    public string Name => "cpp-tsp";

    public ProgramLanguage Language => ProgramLanguage.Cpp;

    public string InitialProgram { get; } = File.ReadAllText(Path.Combine(TaskFolder, "initial.cpp"));

    public string Description =>
        """
        Implement std::vector<int> solve(const std::vector<Point>& pts) in C++17 (standard library only): return a closed
        travelling-salesman tour, a permutation of the point indices. The instances are full rectangular grids of unit
        spacing (8x8, 10x15, 16x16, 14x25, 20x20) given in shuffled order; each has an optimal tour of length equal to its
        number of points. An invalid tour gives score 0; otherwise the score is the mean over the instances of
        optimum / tour length (1.0 is optimal). Keep the solver deterministic and fast (well under a second). Only edit the
        EVOLVE-BLOCK. The start is simulated annealing over random 2-opt moves from the input order; nearest-neighbour or
        greedy construction, neighbour lists and Or-opt moves do better.
        """;

    public IEvaluator Evaluator { get; } = Evaluators.Program(Toolchains.Cpp());

    /// <summary>No tour is shorter than the optimum, so no valid program scores above 1.</summary>
    public double? MaxScore => 1.0;
}
