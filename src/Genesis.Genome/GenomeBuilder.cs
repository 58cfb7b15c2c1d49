using Genesis.Adapters;
using Genesis.Lora;

namespace Genesis;

/// <summary>
/// Fluent configuration of a GENOME/GENOME+ run; every option is validated at <see cref="RunAsync"/> (or
/// <see cref="Validate"/>) with a message naming the option and its allowed range.
/// </summary>
public sealed class GenomeBuilder
{
    private IReadOnlyList<LoraAdapter> _population = [];
    private IAdapterEvaluator? _evaluator;
    private GenomeOptions _options = new();

    /// <summary>The options as configured so far.</summary>
    public GenomeOptions Options => _options;

    /// <summary>The initial population (for example the experts); copied at run time, 2 to 1000 adapters of one layout.</summary>
    /// <param name="adapters">The adapters.</param>
    public GenomeBuilder WithPopulation(IEnumerable<LoraAdapter> adapters)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        _population = [.. adapters];
        return this;
    }

    /// <summary>The crossover merge operator and the probability a child is a merge (0 to 1).</summary>
    /// <param name="mergeOperator">For example <see cref="Merging.LinearMerge"/> or <see cref="Merging.TiesMerge"/>.</param>
    /// <param name="rate">The crossover rate.</param>
    public GenomeBuilder WithCrossover(IMergeOperator mergeOperator, double rate = 0.8)
    {
        ArgumentNullException.ThrowIfNull(mergeOperator);
        _options = _options with { Crossover = mergeOperator, CrossoverRate = rate };
        return this;
    }

    /// <summary>Mutation x' = x + m⊙ε: probability a child mutates, probability per parameter, noise σ.</summary>
    /// <param name="individualRate">0 to 1.</param>
    /// <param name="geneRate">0 to 1.</param>
    /// <param name="sigma">Non-negative and finite.</param>
    public GenomeBuilder WithMutation(double individualRate, double geneRate, double sigma)
    {
        _options = _options with { MutationIndividualRate = individualRate, MutationGeneRate = geneRate, MutationSigma = sigma };
        return this;
    }

    /// <summary>Survivor selection: elites then the method (tournament of <paramref name="tournamentSize"/>, roulette or rank).</summary>
    /// <param name="selection">The method.</param>
    /// <param name="elites">Elites kept, 0 to population − 1.</param>
    /// <param name="tournamentSize">1 to 100.</param>
    public GenomeBuilder WithSelection(SurvivorSelection selection = SurvivorSelection.Tournament, int elites = 2, int tournamentSize = 3)
    {
        _options = _options with { Selection = selection, Elites = elites, TournamentSize = tournamentSize };
        return this;
    }

    /// <summary>Turns on GENOME+ succession (the PSO step); <see langword="null"/> options mean the defaults.</summary>
    /// <param name="succession">The step's weights and λ schedule.</param>
    public GenomeBuilder WithSuccession(SuccessionOptions? succession = null)
    {
        _options = _options with { Succession = succession ?? new SuccessionOptions() };
        return this;
    }

    /// <summary>The number of generations, 1 to 100000.</summary>
    /// <param name="generations">The count.</param>
    public GenomeBuilder WithGenerations(int generations)
    {
        _options = _options with { Generations = generations };
        return this;
    }

    /// <summary>Stops after <paramref name="patience"/> generations (at least 1) without a better validation best.</summary>
    /// <param name="patience">The patience.</param>
    public GenomeBuilder WithEarlyStop(int patience)
    {
        _options = _options with { Patience = patience };
        return this;
    }

    /// <summary>Caps the validation evaluations (at least the population size).</summary>
    /// <param name="evaluations">The cap.</param>
    public GenomeBuilder WithMaxEvaluations(int evaluations)
    {
        _options = _options with { MaxEvaluations = evaluations };
        return this;
    }

    /// <summary>The top-k members the final ensemble uses, 0 (none) to the population size.</summary>
    /// <param name="size">k.</param>
    public GenomeBuilder WithEnsemble(int size)
    {
        _options = _options with { EnsembleSize = size };
        return this;
    }

    /// <summary>
    /// GENOME+'s population limit N_max, from the initial size to 10000: parents and children are all kept until they
    /// exceed it, then survivors are selected. Without it the population returns to its initial size every generation.
    /// </summary>
    /// <param name="maxPopulation">N_max.</param>
    public GenomeBuilder WithMaxPopulation(int maxPopulation)
    {
        _options = _options with { MaxPopulation = maxPopulation };
        return this;
    }

    /// <summary>How many evaluations run at once, 1 to 1024 (default 1); for vLLM, its <c>--max-loras</c>.</summary>
    /// <param name="concurrency">The number of concurrent evaluations.</param>
    public GenomeBuilder WithEvaluationConcurrency(int concurrency)
    {
        _options = _options with { EvaluationConcurrency = concurrency };
        return this;
    }

    /// <summary>
    /// Keeps the run in <paramref name="path"/>: every evaluation with its lineage and report in <c>genome.db</c> (SQLite)
    /// as soon as it finishes, the members' adapters (PEFT folders) after each generation, and <c>best/</c>. Running a
    /// builder with the same settings on a folder that holds an unfinished run resumes it from its last generation
    /// (evaluations already made are not repeated); on a finished run it returns the stored result.
    /// </summary>
    /// <param name="path">The folder; created if missing.</param>
    public GenomeBuilder WithRunFolder(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _options = _options with { RunFolder = path };
        return this;
    }

    /// <summary>The seed of every stochastic choice.</summary>
    /// <param name="seed">The seed.</param>
    public GenomeBuilder WithSeed(int seed)
    {
        _options = _options with { Seed = seed };
        return this;
    }

    /// <summary>The evaluator scoring adapters on validation (fitness) and test (reported once).</summary>
    /// <param name="evaluator">The evaluator.</param>
    public GenomeBuilder WithEvaluator(IAdapterEvaluator evaluator)
    {
        _evaluator = evaluator ?? throw new ArgumentNullException(nameof(evaluator));
        return this;
    }

    /// <summary>Throws an <see cref="InvalidOperationException"/> naming the first invalid option and its allowed range.</summary>
    /// <exception cref="InvalidOperationException">An option is missing or out of range.</exception>
    public void Validate()
    {
        var o = _options;
        var n = _population.Count;
        Check(n is >= 2 and <= 1000, $"WithPopulation: the population size must be between 2 and 1000, was {n}.");
        Check(_population.All(a => a.Layout.Equals(_population[0].Layout)), "WithPopulation: all adapters must share one layout (modules, ranks and shapes).");
        Check(_evaluator is not null, "WithEvaluator: an evaluator is required.");
        Check(o.CrossoverRate is >= 0 and <= 1, $"WithCrossover: rate must be between 0 and 1, was {o.CrossoverRate}.");
        Check(o.MutationIndividualRate is >= 0 and <= 1, $"WithMutation: individualRate must be between 0 and 1, was {o.MutationIndividualRate}.");
        Check(o.MutationGeneRate is >= 0 and <= 1, $"WithMutation: geneRate must be between 0 and 1, was {o.MutationGeneRate}.");
        Check(o.MutationSigma >= 0 && double.IsFinite(o.MutationSigma), $"WithMutation: sigma must be finite and at least 0, was {o.MutationSigma}.");
        Check(o.Elites >= 0 && o.Elites < n, $"WithSelection: elites must be between 0 and {n - 1} (population − 1), was {o.Elites}.");
        Check(o.TournamentSize is >= 1 and <= 100, $"WithSelection: tournamentSize must be between 1 and 100, was {o.TournamentSize}.");
        Check(Enum.IsDefined(o.Selection), $"WithSelection: selection must be Tournament, Roulette or Rank, was {o.Selection}.");
        Check(o.Generations is >= 1 and <= 100_000, $"WithGenerations: generations must be between 1 and 100000, was {o.Generations}.");
        Check(o.Patience is null or >= 1, $"WithEarlyStop: patience must be at least 1, was {o.Patience}.");
        Check(o.MaxEvaluations is null || o.MaxEvaluations >= n, $"WithMaxEvaluations: evaluations must be at least the population size {n}, was {o.MaxEvaluations}.");
        Check(o.MaxPopulation is null || (o.MaxPopulation >= n && o.MaxPopulation <= 10_000), $"WithMaxPopulation: maxPopulation must be between the population size {n} and 10000, was {o.MaxPopulation}.");
        Check(o.EnsembleSize >= 0 && o.EnsembleSize <= n, $"WithEnsemble: size must be between 0 and {n}, was {o.EnsembleSize}.");
        Check(o.EvaluationConcurrency is >= 1 and <= 1024, $"WithEvaluationConcurrency: concurrency must be between 1 and 1024, was {o.EvaluationConcurrency}.");
        if (o.Succession is { } s)
        {
            Check(s.Lambda > 0 && double.IsFinite(s.Lambda), $"WithSuccession: Lambda must be finite and greater than 0, was {s.Lambda}.");
            Check(s.LambdaDecay is > 0 and <= 1, $"WithSuccession: LambdaDecay must be in (0, 1], was {s.LambdaDecay}.");
            Check(s.Inertia >= 0 && s.Cognitive >= 0 && s.Social >= 0 && s.Repel >= 0, "WithSuccession: Inertia, Cognitive, Social and Repel must be at least 0.");
        }
    }

    /// <summary>Validates and runs the loop (or resumes the run folder's run).</summary>
    /// <param name="cancellationToken">Stops the run; evaluations already finished stay in the run folder.</param>
    /// <exception cref="InvalidOperationException">An option is invalid, or the run folder holds a run made with other settings.</exception>
    public Task<GenomeResult> RunAsync(CancellationToken cancellationToken = default)
    {
        Validate();
        var engine = new GenomeEngine(_options, _evaluator!);
        var population = _population;
        return Task.Run(() => engine.RunAsync(population, cancellationToken), cancellationToken);
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
