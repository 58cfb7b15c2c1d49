using Genesis.Merging;

namespace Genesis.Lora;

/// <summary>How survivors are chosen from parents and children (after the elites).</summary>
public enum SurvivorSelection
{
    /// <summary>Tournaments of <see cref="GenomeOptions.TournamentSize"/> (default 3).</summary>
    Tournament,

    /// <summary>Fitness-proportional roulette.</summary>
    Roulette,

    /// <summary>Linear rank-proportional.</summary>
    Rank,
}

/// <summary>The GENOME+ succession step (a PSO step on the adapter weights, see §1.5 of the anchors).</summary>
public sealed record SuccessionOptions
{
    /// <summary>The initial step size λ; default 0.5.</summary>
    public double Lambda { get; init; } = 0.5;

    /// <summary>The per-generation decay φ_λ of λ; default 0.95.</summary>
    public double LambdaDecay { get; init; } = 0.95;

    /// <summary>Inertia weight φ_v; default 0.2.</summary>
    public double Inertia { get; init; } = 0.2;

    /// <summary>Cognitive weight φ_c (toward the personal best); default 0.2.</summary>
    public double Cognitive { get; init; } = 0.2;

    /// <summary>Social weight φ_s (toward the global best); default 0.2.</summary>
    public double Social { get; init; } = 0.2;

    /// <summary>Repel weight φ_r (away from the global worst); default 0.1.</summary>
    public double Repel { get; init; } = 0.1;
}

/// <summary>The options of a GENOME/GENOME+ run; <see cref="GenomeBuilder"/> validates them.</summary>
public sealed record GenomeOptions
{
    /// <summary>The crossover operator; default <see cref="LinearMerge"/>.</summary>
    public IMergeOperator Crossover { get; init; } = new LinearMerge();

    /// <summary>Probability that a child is a merge of two parents (else a copy of the first); default 0.8.</summary>
    public double CrossoverRate { get; init; } = 0.8;

    /// <summary>Probability that a child is mutated; default 0.3.</summary>
    public double MutationIndividualRate { get; init; } = 0.3;

    /// <summary>Probability that a mutated child's parameter is perturbed; default 0.1.</summary>
    public double MutationGeneRate { get; init; } = 0.1;

    /// <summary>Standard deviation of the mutation noise; default 0.02.</summary>
    public double MutationSigma { get; init; } = 0.02;

    /// <summary>Survivor selection after the elites; default tournament.</summary>
    public SurvivorSelection Selection { get; init; } = SurvivorSelection.Tournament;

    /// <summary>Tournament size; default 3.</summary>
    public int TournamentSize { get; init; } = 3;

    /// <summary>Number of elites kept unchanged each generation; default 2.</summary>
    public int Elites { get; init; } = 2;

    /// <summary>GENOME+ succession, or <see langword="null"/> (the default) for plain GENOME.</summary>
    public SuccessionOptions? Succession { get; init; }

    /// <summary>Number of generations; default 10.</summary>
    public int Generations { get; init; } = 10;

    /// <summary>Stop after this many generations without a better validation best; <see langword="null"/> for never.</summary>
    public int? Patience { get; init; }

    /// <summary>The cap on adapter evaluations (validation); <see langword="null"/> for none.</summary>
    public int? MaxEvaluations { get; init; }

    /// <summary>The top-k members of the final population the ensemble votes over; default 3 (0 for no ensemble).</summary>
    public int EnsembleSize { get; init; } = 3;

    /// <summary>The seed every stochastic choice derives from; default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// The most members the population keeps (GENOME+'s N_max): survivors are selected only when parents and children
    /// exceed it. <see langword="null"/> (the default) keeps the initial size every generation, as GENOME does.
    /// </summary>
    public int? MaxPopulation { get; init; }

    /// <summary>How many evaluations run at once (for example vLLM's <c>--max-loras</c>); default 1.</summary>
    public int EvaluationConcurrency { get; init; } = 1;

    /// <summary>
    /// The run folder (SQLite state, adapters of the members, <c>best/</c>), or <see langword="null"/> (the default) for a
    /// run that keeps everything in memory. A folder that holds a run of the same configuration is resumed.
    /// </summary>
    public string? RunFolder { get; init; }
}
