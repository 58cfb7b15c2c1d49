using Genesis.Adapters;
using Genesis.Lora;

namespace Genesis;

/// <summary>The outcome of a GENOME/GENOME+ run.</summary>
public sealed record GenomeResult
{
    /// <summary>The adapter with the best validation score seen (a copy).</summary>
    public required LoraAdapter Best { get; init; }

    /// <summary>Its validation score.</summary>
    public required double BestValidation { get; init; }

    /// <summary>Its test score (evaluated once, at the end).</summary>
    public required double BestTest { get; init; }

    /// <summary>The best validation score of the initial population.</summary>
    public required double InitialBestValidation { get; init; }

    /// <summary>The scores of the final population's top-k ensemble (ranked on validation), or <see langword="null"/> when the ensemble size is 0.</summary>
    public EnsembleScores? Ensemble { get; init; }

    /// <summary>One entry per generation (generation 0 is the initial population).</summary>
    public required IReadOnlyList<GenerationStats> History { get; init; }

    /// <summary>How every individual was made.</summary>
    public required IReadOnlyList<LineageRecord> Lineage { get; init; }

    /// <summary>Validation evaluations spent.</summary>
    public required int Evaluations { get; init; }

    /// <summary>Whether the run stopped on stagnation (patience) or on the evaluation cap before the last generation.</summary>
    public required bool StoppedEarly { get; init; }

    /// <summary>The run folder's full path, or <see langword="null"/> for a run kept in memory.</summary>
    public string? RunFolder { get; init; }
}

/// <summary>The statistics of one generation's population (validation).</summary>
/// <param name="Generation">0 for the initial population.</param>
/// <param name="Best">The best score.</param>
/// <param name="Mean">The mean score.</param>
/// <param name="Worst">The worst score.</param>
/// <param name="Lambda">GENOME+'s step size used in this generation (0 for GENOME).</param>
/// <param name="Evaluations">Evaluations spent so far.</param>
/// <param name="Members">The population's size after the generation's selection.</param>
public sealed record GenerationStats(int Generation, double Best, double Mean, double Worst, double Lambda, int Evaluations, int Members);

/// <summary>How an individual was made.</summary>
/// <param name="Id">The individual's id (initial members 0..n−1).</param>
/// <param name="Generation">The generation it was made in.</param>
/// <param name="Operator">"initial", "clone" (a copy of the first parent), "succession" or the merge operator's type name.</param>
/// <param name="Parents">The parents' ids.</param>
/// <param name="Weights">The merge weights (the parents' fitness), or empty.</param>
/// <param name="Mutated">Parameters perturbed by mutation (0 if not mutated).</param>
/// <param name="Random">The random key its draws came from.</param>
/// <param name="Fitness">Its validation score.</param>
public sealed record LineageRecord(long Id, int Generation, string Operator, IReadOnlyList<long> Parents, IReadOnlyList<double> Weights, int Mutated, RandomKey Random, double Fitness);

/// <summary>Scores of the top-k ensemble.</summary>
/// <param name="Members">The member count.</param>
/// <param name="MajorityValidation">Majority vote over extracted answers with tie credit, validation.</param>
/// <param name="MajorityTest">Majority vote over extracted answers with tie credit, test.</param>
/// <param name="ProbabilityValidation">Probability averaging, validation; <see langword="null"/> unless the evaluator is an <see cref="IClassifierEvaluator"/>.</param>
/// <param name="ProbabilityTest">Probability averaging, test; <see langword="null"/> unless the evaluator is an <see cref="IClassifierEvaluator"/>.</param>
public sealed record EnsembleScores(int Members, double MajorityValidation, double MajorityTest, double? ProbabilityValidation, double? ProbabilityTest);
