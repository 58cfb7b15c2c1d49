using System.Globalization;
using Genesis.Adapters;
using Genesis.Scoring;

namespace Genesis.Lora;

/// <summary>
/// The GENOME/GENOME+ loop. Each generation: (GENOME+) a succession step for every member; then as many children as the
/// initial population (roulette-chosen parent pairs, merged with the parents' fitness as weights at the crossover rate,
/// mutated at the individual rate); then, when parents and children exceed the population limit, survivors = elites +
/// the selection method. Evaluations of one batch run concurrently; every decision is taken in a fixed order from
/// counter-based random streams, so a seed reproduces a run whatever the concurrency, and a resumed run continues as the
/// uninterrupted one would have.
/// </summary>
internal sealed class GenomeEngine
{
    private const ulong SelectionStream = 1UL << 40;
    private readonly GenomeOptions _options;
    private readonly IAdapterEvaluator _evaluator;
    private readonly RandomKey _root;
    private List<LineageRecord> _lineage = [];
    private GenomeRunStore? _store;

    /// <summary>The generation an interrupted run replays; only its evaluations can already be in the run folder.</summary>
    private int? _replayGeneration;
    private UniformStream _selection;
    private int _evaluations;
    private long _nextId;

    /// <summary>Creates an engine; options are assumed validated (see <see cref="GenomeBuilder"/>).</summary>
    public GenomeEngine(GenomeOptions options, IAdapterEvaluator evaluator)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _evaluator = evaluator ?? throw new ArgumentNullException(nameof(evaluator));
        _root = new RandomKey((ulong)(uint)options.Seed, 0);
        _selection = new UniformStream(_root.Derive(SelectionStream));
    }

    /// <summary>Runs the loop on copies of <paramref name="initial"/>, resuming the run folder's run when there is one.</summary>
    public async Task<GenomeResult> RunAsync(IReadOnlyList<LoraAdapter> initial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(initial);
        using var store = _options.RunFolder is null ? null : GenomeRunStore.Open(_options.RunFolder);
        _store = store;
        store?.Claim(Fingerprint(initial));
        var template = initial[0];
        var checkpoints = store?.ReadCheckpoints() ?? [];
        _replayGeneration = store is null ? null : checkpoints.Count > 0 ? checkpoints[^1].Generation + 1 : 0;
        if (checkpoints.Count > 0 && store!.ReadFinal() is { } final)
        {
            return Finished(store, checkpoints, final, template);
        }

        var state = checkpoints.Count > 0
            ? Restore(store!, checkpoints, template)
            : await StartAsync(initial, cancellationToken).ConfigureAwait(false);
        var history = checkpoints.Select(c => c.Stats).ToList();
        if (checkpoints.Count == 0)
        {
            history.Add(state.Stats);
        }

        var initialSize = initial.Count;
        var limit = _options.MaxPopulation ?? initialSize;
        var stoppedEarly = false;
        for (var generation = state.Generation + 1; generation <= _options.Generations; generation++)
        {
            if (_options.Patience is { } patience && state.Stagnant >= patience)
            {
                stoppedEarly = true;
                break;
            }

            if (Exhausted(state.Population.Count, initialSize))
            {
                stoppedEarly = true;
                break;
            }

            var lambda = 0.0;
            var evaluated = new List<GenomeIndividual>();
            if (_options.Succession is { } succession)
            {
                lambda = GenomeOperators.LambdaAt(succession.Lambda, succession.LambdaDecay, generation - 1);
                await SuccessionAsync(state.Population, succession, lambda, generation, cancellationToken).ConfigureAwait(false);
                evaluated.AddRange(state.Population);
            }

            var children = new List<(GenomeIndividual Child, LineageRecord Lineage)>();
            for (var c = 0; c < initialSize; c++)
            {
                children.Add(MakeChild(state.Population, generation));
            }

            await EvaluateAsync(children, generation, cancellationToken).ConfigureAwait(false);
            evaluated.AddRange(children.Select(c => c.Child));

            var top = evaluated.OrderByDescending(m => m.Fitness).ThenBy(m => m.Id).First();
            if (top.Fitness > state.BestFitness)
            {
                state.BestFitness = top.Fitness;
                state.Best = top.Adapter.Clone("best");
                state.BestGeneration = generation;
                state.Stagnant = 0;
            }
            else
            {
                state.Stagnant++;
            }

            var pool = state.Population.Concat(children.Select(c => c.Child)).ToList();
            state.Population = pool.Count > limit ? Survivors(pool, limit) : pool;
            state.Generation = generation;
            state.Stats = Stats(generation, state.Population, lambda);
            history.Add(state.Stats);
            Checkpoint(state);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return await FinishAsync(state, history, stoppedEarly, cancellationToken).ConfigureAwait(false);
    }

    private async Task<LoopState> StartAsync(IReadOnlyList<LoraAdapter> initial, CancellationToken cancellationToken)
    {
        var population = new List<(GenomeIndividual Child, LineageRecord Lineage)>();
        foreach (var adapter in initial)
        {
            var id = _nextId++;
            var member = new GenomeIndividual(id, adapter.Clone(Name(id)));
            population.Add((member, new LineageRecord(id, 0, "initial", [], [], 0, _root.Derive((ulong)id), 0)));
        }

        if (_options.Succession is not null)
        {
            foreach (var (member, _) in population)
            {
                member.InitSwarm(population[Math.Min(population.Count - 1, (int)(_selection.Next() * population.Count))].Child.Adapter.Values);
            }
        }

        await EvaluateAsync(population, 0, cancellationToken).ConfigureAwait(false);
        var members = population.Select(p => p.Child).ToList();
        var best = members.OrderByDescending(m => m.Fitness).ThenBy(m => m.Id).First();
        var state = new LoopState
        {
            Population = members,
            Best = best.Adapter.Clone("best"),
            BestFitness = best.Fitness,
            InitialBest = best.Fitness,
            Stats = Stats(0, members, 0),
        };
        Checkpoint(state);
        return state;
    }

    private LoopState Restore(GenomeRunStore store, List<GenomeCheckpoint> checkpoints, LoraAdapter template)
    {
        var last = checkpoints[^1];
        _nextId = last.NextId;
        _evaluations = last.Evaluations;
        _selection = new UniformStream(_root.Derive(SelectionStream), last.SelectionCounter);
        _lineage = store.ReadLineage(last.Generation);
        var population = new List<GenomeIndividual>();
        foreach (var memberState in last.Members)
        {
            var member = store.LoadMember(memberState, template, Name(memberState.Id));
            member.Report = store.FindEvaluation(memberState.Id, memberState.Version);
            population.Add(member);
        }

        store.CollectGarbage(last);
        return new LoopState
        {
            Generation = last.Generation,
            Population = population,
            Best = store.LoadBest(last.BestFolder, template),
            BestFitness = last.BestFitness,
            BestFolder = last.BestFolder,
            InitialBest = last.InitialBest,
            Stagnant = last.Stagnant,
            Stats = last.Stats,
        };
    }

    private GenomeResult Finished(GenomeRunStore store, List<GenomeCheckpoint> checkpoints, GenomeFinalState final, LoraAdapter template)
    {
        var last = checkpoints[^1];
        return new GenomeResult
        {
            Best = store.LoadBest(last.BestFolder, template),
            BestValidation = last.BestFitness,
            BestTest = final.BestTest,
            InitialBestValidation = last.InitialBest,
            Ensemble = final.Ensemble,
            History = checkpoints.Select(c => c.Stats).ToList(),
            Lineage = Ordered(store.ReadLineage(last.Generation)),
            Evaluations = last.Evaluations,
            StoppedEarly = final.StoppedEarly,
            RunFolder = store.Folder,
        };
    }

    private async Task<GenomeResult> FinishAsync(LoopState state, List<GenerationStats> history, bool stoppedEarly, CancellationToken cancellationToken)
    {
        var bestTest = (await _evaluator.EvaluateAsync(state.Best, EvaluationSplit.Test, cancellationToken).ConfigureAwait(false)).Value;
        var members = state.Population.OrderByDescending(m => m.Fitness).ThenBy(m => m.Id).Take(_options.EnsembleSize).ToList();
        EnsembleScores? ensemble = null;
        if (members.Count > 0)
        {
            foreach (var member in members.Where(m => m.Report is null))
            {
                member.Report = await _evaluator.EvaluateAsync(member.Adapter, EvaluationSplit.Validation, cancellationToken).ConfigureAwait(false);
            }

            var test = new FitnessReport[members.Count];
            await ForEachAsync(members.Count, async (i, token) => test[i] = await _evaluator.EvaluateAsync(members[i].Adapter, EvaluationSplit.Test, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            ensemble = Ensembles.Score(_evaluator, members.Select(m => m.Adapter).ToList(), members.Select(m => m.Report!).ToList(), test);
        }

        _store?.Finish(new GenomeFinalState { BestTest = bestTest, StoppedEarly = stoppedEarly, Ensemble = ensemble });
        if (_store is not null && state.BestFolder is not null)
        {
            _store.PublishBest(state.BestFolder);
        }

        return new GenomeResult
        {
            Best = state.Best,
            BestValidation = state.BestFitness,
            BestTest = bestTest,
            InitialBestValidation = state.InitialBest,
            Ensemble = ensemble,
            History = history,
            Lineage = Ordered(_lineage),
            Evaluations = _evaluations,
            StoppedEarly = stoppedEarly,
            RunFolder = _store?.Folder,
        };
    }

    private bool Exhausted(int populationSize, int childrenPerGeneration)
    {
        var perGeneration = childrenPerGeneration + (_options.Succession is null ? 0 : populationSize);
        return _options.MaxEvaluations is { } cap && _evaluations + perGeneration > cap;
    }

    private async Task SuccessionAsync(List<GenomeIndividual> population, SuccessionOptions succession, double lambda, int generation, CancellationToken cancellationToken)
    {
        var globalBest = population.OrderByDescending(m => m.Fitness).ThenBy(m => m.Id).First().Adapter.Values.ToArray();
        var globalWorst = population.OrderBy(m => m.Fitness).ThenBy(m => m.Id).First().Adapter.Values.ToArray();
        var batch = new List<(GenomeIndividual, LineageRecord)>();
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
            batch.Add((member, new LineageRecord(member.Id, generation, "succession", [member.Id], [], 0, key, 0)));
        }

        await EvaluateAsync(batch, generation, cancellationToken).ConfigureAwait(false);
    }

    private (GenomeIndividual Child, LineageRecord Lineage) MakeChild(List<GenomeIndividual> population, int generation)
    {
        var fitness = population.Select(m => m.Fitness).ToArray();
        var first = population[GenomeOperators.Roulette(fitness, _selection.Next())];
        var second = population[GenomeOperators.Roulette(fitness, _selection.Next())];
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

        var child = new GenomeIndividual(id, adapter);
        if (_options.Succession is not null)
        {
            child.InitSwarm(population[Math.Min(population.Count - 1, (int)(draws.Next() * population.Count))].Adapter.Values);
        }

        return (child, new LineageRecord(id, generation, op, parents, weights, mutated, key, 0));
    }

    private List<GenomeIndividual> Survivors(List<GenomeIndividual> candidates, int size)
    {
        var pool = candidates.OrderByDescending(m => m.Fitness).ThenBy(m => m.Id).ToList();
        var survivors = pool.Take(Math.Min(_options.Elites, size)).ToList();
        pool.RemoveRange(0, survivors.Count);
        while (survivors.Count < size && pool.Count > 0)
        {
            var fitness = pool.Select(m => m.Fitness).ToArray();
            var index = _options.Selection switch
            {
                SurvivorSelection.Roulette => GenomeOperators.Roulette(fitness, _selection.Next()),
                SurvivorSelection.Rank => GenomeOperators.Rank(fitness, _selection.Next()),
                _ => GenomeOperators.Tournament(fitness, _options.TournamentSize, _selection.Next),
            };
            survivors.Add(pool[index]);
            pool.RemoveAt(index);
        }

        return survivors;
    }

    /// <summary>
    /// Evaluates a batch on validation, at most <see cref="GenomeOptions.EvaluationConcurrency"/> at once; each result is
    /// stored as soon as it arrives, and one the run folder already holds (in the generation a resumed run replays) is
    /// reused. Results are applied in batch order, so the outcome does not depend on which evaluation finishes first.
    /// </summary>
    private async Task EvaluateAsync(List<(GenomeIndividual Member, LineageRecord Lineage)> batch, int generation, CancellationToken cancellationToken)
    {
        var reports = new FitnessReport[batch.Count];
        await ForEachAsync(batch.Count, async (i, token) =>
        {
            var (member, lineage) = batch[i];
            if (generation == _replayGeneration && _store!.FindEvaluation(member.Id, generation) is { } stored)
            {
                reports[i] = stored;
                return;
            }

            var report = await _evaluator.EvaluateAsync(member.Adapter, EvaluationSplit.Validation, token).ConfigureAwait(false);
            if (!double.IsFinite(report.Value))
            {
                throw new InvalidOperationException($"The evaluator returned {report.Value} for {member.Adapter.Name}; a fitness must be a finite number.");
            }

            _store?.RecordEvaluation(lineage with { Fitness = report.Value }, report);
            reports[i] = report;
        }, cancellationToken).ConfigureAwait(false);

        for (var i = 0; i < batch.Count; i++)
        {
            var (member, lineage) = batch[i];
            member.Evaluated(reports[i], generation);
            _evaluations++;
            _lineage.Add(lineage with { Fitness = reports[i].Value });
        }
    }

    private Task ForEachAsync(int count, Func<int, CancellationToken, ValueTask> body, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.EvaluationConcurrency, CancellationToken = cancellationToken },
            body);

    private void Checkpoint(LoopState state)
    {
        if (_store is null)
        {
            return;
        }

        var members = state.Population.Select(m => new GenomeMemberState
        {
            Id = m.Id,
            Version = m.Version,
            Fitness = m.Fitness,
            Folder = _store.SaveMember(m),
            PersonalBestFitness = m.HasSwarmState ? m.PersonalBestFitness : null,
        }).ToList();
        var bestChanged = state.BestFolder is null || state.BestGeneration == state.Generation;
        if (bestChanged)
        {
            state.BestFolder = _store.SaveBest(state.Best, state.Generation);
        }

        _store.Commit(new GenomeCheckpoint
        {
            Generation = state.Generation,
            NextId = _nextId,
            SelectionCounter = _selection.Counter,
            Evaluations = _evaluations,
            Stagnant = state.Stagnant,
            BestFitness = state.BestFitness,
            BestFolder = state.BestFolder!,
            InitialBest = state.InitialBest,
            Stats = state.Stats,
            Members = members,
        });
        if (bestChanged)
        {
            _store.PublishBest(state.BestFolder!);
        }
    }

    private GenomeFingerprint Fingerprint(IReadOnlyList<LoraAdapter> initial)
    {
        var o = _options;
        var crossover = o.Crossover.GetType().FullName + (o.Crossover.GetType().GetProperty("Options")?.GetValue(o.Crossover) is { } settings ? " " + settings : string.Empty);
        return new GenomeFingerprint
        {
            Seed = o.Seed,
            Population = initial.Select(a => a.Name).ToList(),
            Layout = string.Join(";", initial[0].Layout.Modules.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Path}:{m.Rank}x{m.InFeatures}->{m.OutFeatures}"))),
            Crossover = crossover,
            CrossoverRate = o.CrossoverRate,
            Mutation = string.Create(CultureInfo.InvariantCulture, $"individual {o.MutationIndividualRate}, gene {o.MutationGeneRate}, sigma {o.MutationSigma}"),
            Selection = string.Create(CultureInfo.InvariantCulture, $"{o.Selection}, elites {o.Elites}, tournament {o.TournamentSize}"),
            MaxPopulation = o.MaxPopulation ?? initial.Count,
            Succession = o.Succession?.ToString() ?? "none",
            EnsembleSize = o.EnsembleSize,
        };
    }

    private GenerationStats Stats(int generation, List<GenomeIndividual> population, double lambda) =>
        new(generation, population.Max(m => m.Fitness), population.Average(m => m.Fitness), population.Min(m => m.Fitness), lambda, _evaluations, population.Count);

    /// <summary>The lineage in a canonical order: by generation, succession steps first, then by id.</summary>
    private static List<LineageRecord> Ordered(List<LineageRecord> lineage) =>
        [.. lineage.OrderBy(l => l.Generation).ThenBy(l => l.Operator == "succession" ? 0 : 1).ThenBy(l => l.Id)];

    private static string Name(long id) => "genome-" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The loop's mutable state between generations.</summary>
    private sealed class LoopState
    {
        public int Generation { get; set; }

        public required List<GenomeIndividual> Population { get; set; }

        public required LoraAdapter Best { get; set; }

        public double BestFitness { get; set; }

        public int BestGeneration { get; set; }

        public string? BestFolder { get; set; }

        public double InitialBest { get; init; }

        public int Stagnant { get; set; }

        public required GenerationStats Stats { get; set; }
    }
}
