using System.Globalization;
using Genesis.Adapters;
using Genesis.Scoring;

namespace Genesis.Lora;

/// <summary>
/// The GENOME/GENOME+ loop over an in-memory population. Each generation: (GENOME+) a succession step for every member,
/// then as many children as members (roulette-chosen parent pairs, merged with the parents' fitness as weights at the
/// crossover rate, mutated at the individual rate), then survivors = elites + the selection method over parents and children.
/// </summary>
public sealed class GenomeEngine
{
    private const ulong SelectionStream = 1UL << 40;
    private readonly GenomeOptions _options;
    private readonly IAdapterEvaluator _evaluator;
    private readonly List<LineageRecord> _lineage = [];
    private readonly RandomKey _root;
    private int _evaluations;
    private long _nextId;

    /// <summary>Creates an engine; options are assumed validated (see <see cref="GenomeBuilder"/>).</summary>
    /// <param name="options">The options.</param>
    /// <param name="evaluator">The evaluator.</param>
    public GenomeEngine(GenomeOptions options, IAdapterEvaluator evaluator)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _evaluator = evaluator ?? throw new ArgumentNullException(nameof(evaluator));
        _root = new RandomKey((ulong)(uint)options.Seed, 0);
    }

    /// <summary>Runs the loop on copies of <paramref name="initial"/>.</summary>
    /// <param name="initial">The initial population (e.g. the experts), at least 2, one layout.</param>
    /// <param name="cancellationToken">Checked between evaluations.</param>
    public GenomeResult Run(IReadOnlyList<LoraAdapter> initial, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initial);
        var population = new List<Individual>();
        foreach (var adapter in initial)
        {
            var id = _nextId++;
            var member = new Individual(id, adapter.Clone(Name(id)));
            Evaluate(member, cancellationToken);
            population.Add(member);
            _lineage.Add(new LineageRecord(id, 0, "initial", [], [], 0, _root.Derive((ulong)id), member.Fitness));
        }

        var size = population.Count;
        var selection = new UniformStream(_root.Derive(SelectionStream));
        foreach (var member in population)
        {
            member.InitSwarm(population[Math.Min(size - 1, (int)(selection.Next() * size))].Adapter.Values);
        }

        var best = population.MaxBy(m => m.Fitness)!;
        var bestAdapter = best.Adapter.Clone("best");
        var bestFitness = best.Fitness;
        var initialBest = bestFitness;
        var history = new List<GenerationStats> { Stats(0, population, 0) };
        var stagnant = 0;
        var stoppedEarly = false;
        for (var generation = 1; generation <= _options.Generations; generation++)
        {
            if (Exhausted(size))
            {
                stoppedEarly = true;
                break;
            }

            var lambda = 0.0;
            if (_options.Succession is { } succession)
            {
                lambda = GenomeOperators.LambdaAt(succession.Lambda, succession.LambdaDecay, generation - 1);
                Succession(population, succession, lambda, generation, cancellationToken);
            }

            var children = new List<Individual>();
            for (var c = 0; c < size; c++)
            {
                children.Add(MakeChild(population, generation, selection, cancellationToken));
            }

            population = Survivors(population, children, size, selection);
            var top = population.MaxBy(m => m.Fitness)!;
            if (top.Fitness > bestFitness)
            {
                bestFitness = top.Fitness;
                bestAdapter = top.Adapter.Clone("best");
                stagnant = 0;
            }
            else
            {
                stagnant++;
            }

            history.Add(Stats(generation, population, lambda));
            if (_options.Patience is { } patience && stagnant >= patience)
            {
                stoppedEarly = generation < _options.Generations;
                break;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new GenomeResult
        {
            Best = bestAdapter,
            BestValidation = bestFitness,
            BestTest = _evaluator.Score(bestAdapter, EvaluationSplit.Test),
            InitialBestValidation = initialBest,
            Ensemble = EnsembleOf(population.OrderByDescending(m => m.Fitness).Take(_options.EnsembleSize).Select(m => m.Adapter).ToList()),
            History = history,
            Lineage = _lineage,
            Evaluations = _evaluations,
            StoppedEarly = stoppedEarly,
        };
    }

    /// <summary>The top-k ensemble's scores, or <see langword="null"/> when the evaluator exposes no predictions.</summary>
    /// <param name="members">The members.</param>
    internal EnsembleScores? EnsembleOf(IReadOnlyList<LoraAdapter> members) =>
        members.Count == 0 || _evaluator is not IClassifierEvaluator classifier
            ? null
            : Ensembles.Score(classifier, members);

    private bool Exhausted(int size)
    {
        var perGeneration = size * (_options.Succession is null ? 1 : 2);
        return _options.MaxEvaluations is { } cap && _evaluations + perGeneration > cap;
    }

    private void Succession(List<Individual> population, SuccessionOptions succession, double lambda, int generation, CancellationToken cancellationToken)
    {
        var globalBest = population.MaxBy(m => m.Fitness)!.Adapter.Values.ToArray();
        var globalWorst = population.MinBy(m => m.Fitness)!.Adapter.Values.ToArray();
        Span<double> r = stackalloc double[4];
        foreach (var member in population)
        {
            var key = _root.Derive((ulong)member.Id).Derive((ulong)(1000 + generation));
            var draws = new UniformStream(key);
            for (var k = 0; k < 4; k++)
            {
                r[k] = draws.Next();
            }

            GenomeOperators.SuccessionStep(member.Adapter.Values, member.Velocity, member.PersonalBest, globalBest, globalWorst, succession, lambda, r);
            Evaluate(member, cancellationToken);
            _lineage.Add(new LineageRecord(member.Id, generation, "succession", [member.Id], [], 0, key, member.Fitness));
        }
    }

    private Individual MakeChild(List<Individual> population, int generation, UniformStream selection, CancellationToken cancellationToken)
    {
        var fitness = population.Select(m => m.Fitness).ToArray();
        var first = population[GenomeOperators.Roulette(fitness, selection.Next())];
        var second = population[GenomeOperators.Roulette(fitness, selection.Next())];
        var id = _nextId++;
        var key = _root.Derive((ulong)id);
        var draws = new UniformStream(key.Derive(2));
        LoraAdapter adapter;
        string op;
        IReadOnlyList<long> parents;
        IReadOnlyList<double> weights = [];
        if (draws.Next() < _options.CrossoverRate)
        {
            var w1 = Math.Max(0, first.Fitness);
            var w2 = Math.Max(0, second.Fitness);
            if (w1 + w2 <= 0)
            {
                (w1, w2) = (1, 1);
            }

            weights = [w1 / (w1 + w2), w2 / (w1 + w2)];
            var values = new float[first.Adapter.ParameterCount];
            _options.Crossover.Merge(new MergeInput { Parents = [first.Adapter.AsMemory(), second.Adapter.AsMemory()], Weights = weights, Random = key.Derive(3) }, values);
            adapter = LoraAdapter.Create(Name(id), first.Adapter.Config, first.Adapter.Layout, values);
            op = _options.Crossover.GetType().Name;
            parents = [first.Id, second.Id];
        }
        else
        {
            adapter = first.Adapter.Clone(Name(id));
            op = "clone";
            parents = [first.Id];
        }

        var mutated = 0;
        if (draws.Next() < _options.MutationIndividualRate)
        {
            mutated = GenomeOperators.Mutate(adapter.Values, _options.MutationGeneRate, _options.MutationSigma, key.Derive(4));
        }

        var child = new Individual(id, adapter);
        Evaluate(child, cancellationToken);
        child.InitSwarm(population[Math.Min(population.Count - 1, (int)(draws.Next() * population.Count))].Adapter.Values);
        _lineage.Add(new LineageRecord(id, generation, op, parents, weights, mutated, key, child.Fitness));
        return child;
    }

    private List<Individual> Survivors(List<Individual> parents, List<Individual> children, int size, UniformStream selection)
    {
        var pool = parents.Concat(children).OrderByDescending(m => m.Fitness).ThenBy(m => m.Id).ToList();
        var survivors = pool.Take(Math.Min(_options.Elites, size)).ToList();
        pool.RemoveRange(0, survivors.Count);
        while (survivors.Count < size && pool.Count > 0)
        {
            var fitness = pool.Select(m => m.Fitness).ToArray();
            var index = _options.Selection switch
            {
                SurvivorSelection.Roulette => GenomeOperators.Roulette(fitness, selection.Next()),
                SurvivorSelection.Rank => GenomeOperators.Rank(fitness, selection.Next()),
                _ => GenomeOperators.Tournament(fitness, _options.TournamentSize, selection.Next),
            };
            survivors.Add(pool[index]);
            pool.RemoveAt(index);
        }

        return survivors;
    }

    private void Evaluate(Individual member, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        member.Fitness = _evaluator.Score(member.Adapter, EvaluationSplit.Validation);
        _evaluations++;
        member.UpdatePersonalBest();
    }

    private GenerationStats Stats(int generation, List<Individual> population, double lambda) =>
        new(generation, population.Max(m => m.Fitness), population.Average(m => m.Fitness), population.Min(m => m.Fitness), lambda, _evaluations);

    private static string Name(long id) => "genome-" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A member: its adapter, fitness, velocity and a personal-best memory that is a copy.</summary>
    internal sealed class Individual(long id, LoraAdapter adapter)
    {
        public long Id { get; } = id;

        public LoraAdapter Adapter { get; } = adapter;

        public double Fitness { get; set; } = double.NegativeInfinity;

        public float[] Velocity { get; private set; } = [];

        public float[] PersonalBest { get; } = adapter.Values.ToArray();

        public double PersonalBestFitness { get; private set; } = double.NegativeInfinity;

        public void InitSwarm(ReadOnlySpan<float> random)
        {
            Velocity = new float[Adapter.ParameterCount];
            var x = Adapter.Values;
            for (var i = 0; i < Velocity.Length; i++)
            {
                Velocity[i] = random[i] - x[i];
            }
        }

        public void UpdatePersonalBest()
        {
            if (Fitness > PersonalBestFitness)
            {
                PersonalBestFitness = Fitness;
                Adapter.Values.CopyTo(PersonalBest);
            }
        }
    }
}

/// <summary>Ensemble scoring: majority vote with tie credit and probability averaging.</summary>
public static class Ensembles
{
    /// <summary>Scores the members as an ensemble on validation and test.</summary>
    /// <param name="evaluator">The classifier.</param>
    /// <param name="members">The members, at least one.</param>
    public static EnsembleScores Score(IClassifierEvaluator evaluator, IReadOnlyList<LoraAdapter> members)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(members);
        var (mv, pv) = Split(evaluator, members, EvaluationSplit.Validation);
        var (mt, pt) = Split(evaluator, members, EvaluationSplit.Test);
        return new EnsembleScores(members.Count, mv, mt, pv, pt);
    }

    private static (double Majority, double Probability) Split(IClassifierEvaluator evaluator, IReadOnlyList<LoraAdapter> members, EvaluationSplit split)
    {
        var gold = evaluator.Labels(split);
        var predictions = members.Select(m => evaluator.Predict(m, split)).ToList();
        var classes = evaluator.ClassCount;
        double majority = 0;
        var probability = 0;
        var sum = new float[classes];
        for (var i = 0; i < gold.Count; i++)
        {
            var answer = gold[i].ToString(CultureInfo.InvariantCulture);
            majority += MajorityVote.Tally(predictions.Select(p => (string?)p.Labels[i].ToString(CultureInfo.InvariantCulture))).Credit(w => w == answer);
            Array.Clear(sum);
            foreach (var p in predictions)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(sum, p.Probabilities.AsSpan(i * classes, classes), sum);
            }

            probability += System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(sum) == gold[i] ? 1 : 0;
        }

        return gold.Count == 0 ? (0, 0) : (majority / gold.Count, (double)probability / gold.Count);
    }
}
