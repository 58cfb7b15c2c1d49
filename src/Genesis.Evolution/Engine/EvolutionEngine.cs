using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Genesis.Archive;
using Genesis.Bandits;
using Genesis.Blocks;
using Genesis.Events;
using Genesis.Mutation;
using Genesis.Novelty;
using Genesis.Persistence;
using Genesis.Prompts;
using Genesis.Selection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Genesis.Engine;

/// <summary>
/// The asynchronous evolution loop. Proposers (LLM or offline mutators) and evaluators run concurrently, joined by a
/// bounded channel: a slow evaluation never idles the LLM and the reverse. Every candidate is written to SQLite before
/// anything depends on it; the in-memory state is a cache of the database and is rebuilt from it on resume.
/// </summary>
internal sealed class EvolutionEngine : IDisposable
{
    private const string BanditStateKey = "bandit_state";
    private const string OfflineModelName = "offline";

    private readonly EvolutionSettings _settings;
    private readonly ILogger _logger;
    private readonly Lock _state = new();
    private readonly Dictionary<long, Candidate> _candidates = [];
    private readonly Dictionary<long, int> _childCount = [];
    private readonly HashSet<UInt128> _fingerprints = [];
    private readonly Dictionary<string, ModelCounters> _modelCounters = new(StringComparer.Ordinal);
    private readonly IslandState[] _islands;
    private readonly NoveltyFilter? _novelty;
    private readonly ModelBandit? _bandit;
    private readonly IMutator[] _llmMutators;
    private readonly IMutator _perturbation = new ConstantPerturbationMutator();
    private readonly IMutator _blockCrossover = new BlockCrossoverMutator();
    private readonly Channel<EvolutionEvent>? _stream;

    // With one proposer and one evaluator the loop runs in lockstep (propose, evaluate, propose...), so that a seed
    // reproduces the run exactly; otherwise proposals run ahead of evaluations up to the evaluators' queue.
    private readonly SemaphoreSlim? _lockstep;

    private RunDatabase? _database;
    private EventLog? _eventLog;
    private CancellationTokenSource? _stopProposals;
    private long _nextId = 1;
    private int _completed;
    private int _reserved;
    private int _proposals;
    private int _consecutiveFailures;
    private long _inputTokens;
    private long _outputTokens;
    private double _cost;
    private Candidate? _best;
    private Candidate? _initial;
    private StopReason? _stopReason;
    private long _proposalCounter;

    public EvolutionEngine(EvolutionSettings settings, Channel<EvolutionEvent>? stream = null)
    {
        _settings = settings;
        _stream = stream;
        _logger = settings.LoggerFactory.CreateLogger("Genesis.Evolution");
        _islands = new IslandState[settings.Islands];
        for (var i = 0; i < settings.Islands; i++)
        {
            _islands[i] = new IslandState(i, new MapElitesArchive(settings.FeatureDimensions, settings.ArchiveCapacity), SeedMixer.Random(settings.Seed, i));
        }

        if (settings.NoveltyThreshold is { } threshold)
        {
            _novelty = new NoveltyFilter(threshold);
        }

        if (settings.ProposalConcurrency == 1 && settings.EvaluationConcurrency == 1)
        {
            _lockstep = new SemaphoreSlim(1, 1);
        }

        var prompts = new PromptBuilder(settings.Prompts);
        _llmMutators = settings.Models.Select(m => (IMutator)new LlmMutator(m.Client, m.Name, m.Price, prompts, settings.MaxPatchRetries, settings.Temperatures)).ToArray();
        if (settings.Models.Count > 0)
        {
            _bandit = new ModelBandit(settings.Models.Select(m => m.Name).ToArray(), settings.Models.Select(m => m.Weight).ToArray(), costWeight: settings.Models.Any(m => m.Price is not null) ? 0.5 : 0.0);
        }
    }

    public async Task<EvolutionResult> RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_settings.RunFolder);
        _database = RunDatabase.Open(_settings.RunFolder);
        _eventLog = new EventLog(_settings.RunFolder);
        // 'work' ends everything: the caller's cancellation, or a failure that leaves the run unable to record results
        // (the database is gone). 'stopProposals' ends only the proposals: the wall-clock budget.
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopProposals = CancellationTokenSource.CreateLinkedTokenSource(work.Token);
        _stopProposals = stopProposals;
        try
        {
            var pending = Restore();
            var resumed = _candidates.Count > 0;
            WriteRunMetadata();
            EngineLog.RunStarted(_logger, _settings.RunFolder, resumed ? "resumed" : "new", _completed);
            Emit(new RunStarted(_settings.RunFolder, resumed, _completed));
            if (_settings.Models.Count == 0)
            {
                const string message = "No LLM is configured: running the offline mutators (numeric constant perturbation and block crossover). Add one with WithLlm(...) or set GENESIS_LLM_ENDPOINT and GENESIS_LLM_MODEL.";
                EngineLog.Notice(_logger, message);
                Emit(new RunNotice(message));
            }

            if (_initial is null)
            {
                var initial = CreateInitial();
                pending.Insert(0, initial);
            }

            using var wallClock = StartWallClock(cancellationToken);
            CheckStop();

            // The initial program is evaluated before anything else: every island starts from it.
            if (pending.Count > 0 && pending[0].Mutation == MutationKind.Initial)
            {
                await EvaluateAndRecordAsync(pending[0], cancellationToken).ConfigureAwait(false);
                pending.RemoveAt(0);
            }

            var queue = Channel.CreateBounded<Candidate>(new BoundedChannelOptions(Math.Max(1, _settings.EvaluationConcurrency))
            {
                SingleWriter = false,
                SingleReader = false,
            });
            var evaluators = Enumerable.Range(0, _settings.EvaluationConcurrency)
                .Select(_ => Task.Run(() => EvaluateLoopAsync(queue.Reader, work), CancellationToken.None))
                .ToArray();
            try
            {
                // Proposals stored before a kill are evaluated first: their tokens are already paid for.
                foreach (var candidate in pending)
                {
                    await queue.Writer.WriteAsync(candidate, work.Token).ConfigureAwait(false);
                }

                var proposers = Enumerable.Range(0, _settings.ProposalConcurrency)
                    .Select(_ => Task.Run(() => ProposeLoopAsync(queue.Writer, stopProposals.Token, work.Token), CancellationToken.None))
                    .ToArray();
                await Task.WhenAll(proposers).ConfigureAwait(false);
            }
            finally
            {
                queue.Writer.TryComplete();
                await Task.WhenAll(evaluators.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            await Task.WhenAll(evaluators).ConfigureAwait(false); // rethrows what stopped an evaluator, if anything did
            lock (_state)
            {
                _stopReason ??= StopReason.EvaluationBudget;
            }

            var result = BuildResult(_stopReason.Value);
            SaveBest(result);
            EngineLog.RunStopped(_logger, result.StopReason, result.CompletedEvaluations, result.BestScore);
            Emit(new RunCompleted(result.StopReason, result.CompletedEvaluations, result.BestScore));
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Emit(new RunCompleted(StopReason.Cancelled, _completed, _best?.Score ?? double.NegativeInfinity));
            throw;
        }
        finally
        {
            _stream?.Writer.TryComplete();
            _eventLog?.Dispose();
            _eventLog = null;
            _database?.Dispose();
            _database = null;
        }
    }

    public void Dispose()
    {
        _lockstep?.Dispose();
        _eventLog?.Dispose();
        _database?.Dispose();
    }

    // ---------------------------------------------------------------- proposals

    private async Task ProposeLoopAsync(ChannelWriter<Candidate> queue, CancellationToken stop, CancellationToken cancellationToken)
    {
        while (!stop.IsCancellationRequested)
        {
            if (_lockstep is not null)
            {
                try
                {
                    await _lockstep.WaitAsync(stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }

            if (!TryReserve())
            {
                _lockstep?.Release();
                return;
            }

            Candidate? accepted = null;
            try
            {
                accepted = await ProposeOneAsync(stop).ConfigureAwait(false);
                if (accepted is not null)
                {
                    // A stored proposal is paid for: it is evaluated even when a budget stops new proposals meanwhile.
                    await queue.WriteAsync(accepted, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // A budget stop or the caller's cancellation. A proposal already stored stays pending for a resume.
                return;
            }
            finally
            {
                if (accepted is null)
                {
                    Release();
                    _lockstep?.Release();
                }
            }
        }
    }

    private bool TryReserve()
    {
        lock (_state)
        {
            if (_stopReason is not null)
            {
                return false;
            }

            if (_settings.Budget.EffectiveMaxEvaluations is { } max && _completed + _reserved >= max)
            {
                return false;
            }

            _reserved++;
            return true;
        }
    }

    private void Release()
    {
        lock (_state)
        {
            _reserved--;
        }
    }

    private async Task<Candidate?> ProposeOneAsync(CancellationToken stop)
    {
        MutationContext context;
        IMutator mutator;
        int? arm = null;
        lock (_state)
        {
            var counter = _proposalCounter++;
            var island = _islands[(int)(counter % _islands.Length)];
            var random = island.Random;
            // In repair mode (no correct program on the island yet) the pool holds incorrect programs and the LLM
            // mutator asks for a fix (it sees that the parent is incorrect).
            var (pool, ranked, _) = island.ParentPool();
            var parent = _settings.ParentSelector.Select(new ParentSelectionContext
            {
                Candidates = pool,
                IsRanked = ranked,
                ChildCount = id => _childCount.GetValueOrDefault(id),
                Random = random,
            });
            var inspirations = PickInspirations(island, parent, random);
            MutationKind kind;
            if (_llmMutators.Length > 0)
            {
                arm = _bandit!.Choose(random);
                mutator = _llmMutators[arm.Value];
                kind = _settings.Mix.Sample(random);
                if (kind == MutationKind.Crossover && inspirations.Count == 0)
                {
                    kind = MutationKind.Diff;
                }
            }
            else
            {
                var crossover = inspirations.Count > 0 && random.NextDouble() < OfflineCrossoverRate;
                mutator = crossover ? _blockCrossover : _perturbation;
                kind = crossover ? MutationKind.BlockCrossover : MutationKind.ConstantPerturbation;
            }

            context = new MutationContext
            {
                Parent = parent,
                Inspirations = inspirations,
                Kind = kind,
                TaskDescription = _settings.Task.Description,
                Language = _settings.Task.Language,
                RecentFailures = island.RecentFailures.ToList(),
                Island = island.Index,
                Random = SeedMixer.Random(_settings.Seed, 1_000_003 + island.Index, counter),
            };
        }

        var started = _settings.TimeProvider.GetTimestamp();
        using var activity = GenesisTelemetry.ActivitySource.StartActivity("genesis.propose");
        activity?.SetTag("genesis.island", context.Island);
        activity?.SetTag("genesis.mutation", context.Kind.ToString());
        activity?.SetTag("genesis.parent", context.Parent.Id);
        MutationProposal proposal;
        try
        {
            proposal = await mutator.MutateAsync(context, stop).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failing mutator is a failed proposal, not the end of the run.
            proposal = new MutationProposal { Kind = context.Kind, Error = $"The mutator threw {ex.GetType().Name}: {ex.Message}" };
        }

        activity?.SetTag("genesis.model", proposal.Model ?? "offline");
        activity?.SetTag("genesis.succeeded", proposal.Succeeded);
        var elapsed = _settings.TimeProvider.GetElapsedTime(started);

        var candidate = new Candidate
        {
            Id = 0,
            Code = proposal.Code ?? string.Empty,
            ParentId = context.Parent.Id,
            SecondParentId = context.Kind is MutationKind.Crossover or MutationKind.BlockCrossover && context.Inspirations.Count > 0 ? context.Inspirations[0].Id : null,
            InspirationIds = context.Inspirations.Select(c => c.Id).ToArray(),
            Island = context.Island,
            Generation = context.Parent.Generation + 1,
            Mutation = proposal.Kind,
            Status = CandidateStatus.Pending,
            Diff = proposal.Diff,
            Model = proposal.Model,
            InputTokens = proposal.InputTokens,
            OutputTokens = proposal.OutputTokens,
            Cost = proposal.Cost,
            CreatedAt = _settings.TimeProvider.GetUtcNow(),
            ProposalDuration = elapsed,
        };

        if (!proposal.Succeeded)
        {
            Reject(candidate with { Status = CandidateStatus.MutationFailed, Error = proposal.Error ?? "the mutator produced no program" }, arm);
            return null;
        }

        var layout = EvolveBlockLayout.Parse(candidate.Code);
        if (layout.Error is not null)
        {
            Reject(candidate with { Status = CandidateStatus.MutationFailed, Error = $"The program's EVOLVE-BLOCK markers are broken: {layout.Error}" }, arm);
            return null;
        }

        var fingerprint = Fingerprint(candidate.Code);
        lock (_state)
        {
            if (_fingerprints.Contains(fingerprint))
            {
                Reject(candidate with { Status = CandidateStatus.Duplicate, Error = "The program is identical to one already proposed." }, arm);
                return null;
            }
        }

        var embedding = ReadOnlyMemory<float>.Empty;
        // The novelty filter screens LLM proposals, which cost tokens and tend to re-phrase: offline mutators make small
        // numeric steps on purpose (hill climbing), and would be rejected as near-duplicates of their parents.
        if (_novelty is not null && proposal.Model is not null && (embedding = await EmbedAsync(layout.MutableText(), stop).ConfigureAwait(false)).Length > 0)
        {
            lock (_state)
            {
                var verdict = _novelty.Check(context.Island, embedding);
                if (!verdict.IsNovel)
                {
                    Reject(candidate with
                    {
                        Status = CandidateStatus.Duplicate,
                        Error = string.Create(CultureInfo.InvariantCulture, $"Too similar to candidate {verdict.MostSimilarId} (cosine similarity {verdict.MaxSimilarity:F4} ≥ {_settings.NoveltyThreshold:F4}): make a more substantial change."),
                    }, arm);
                    return null;
                }
            }
        }

        lock (_state)
        {
            candidate = candidate with { Id = _nextId++ };
            _fingerprints.Add(fingerprint);
            if (!embedding.IsEmpty)
            {
                _novelty!.Add(candidate.Island, candidate.Id, embedding);
            }

            _candidates[candidate.Id] = candidate;
            _proposals++;
            _consecutiveFailures = 0;
            CountUsage(candidate, failed: false);
            _database!.Insert(candidate, embedding);
            GenesisTelemetry.RecordProposal(candidate);
            CheckStop();
        }

        return candidate;
    }

    private const double OfflineCrossoverRate = 0.3;

    private IReadOnlyList<Candidate> PickInspirations(IslandState island, Candidate parent, Random random)
    {
        // Diverse programs come from the MAP-Elites elites of the other islands (of this one when it is alone).
        var elites = new List<Candidate>();
        foreach (var other in _islands)
        {
            if (other.Index != island.Index || _islands.Length == 1)
            {
                elites.AddRange(other.Archive.Elites.Where(e => e.IsCorrect));
            }
        }

        var top = island.Top(_settings.TopInspirations + 1).ToList();
        var best = _best is not null && !island.Contains(_best.Id) ? _best : null;
        return InspirationSampler.Sample(parent, top, best, elites, _settings.TopInspirations + _settings.DiverseInspirations, _settings.TopInspirations, random);
    }

    private void Reject(Candidate candidate, int? arm)
    {
        lock (_state)
        {
            candidate = candidate with { Id = _nextId++ };
            _candidates[candidate.Id] = candidate;
            _proposals++;
            _consecutiveFailures++;
            CountUsage(candidate, failed: true);
            GenesisTelemetry.RecordProposal(candidate);
            _islands[candidate.Island].AddFailure(string.Create(CultureInfo.InvariantCulture, $"{candidate.Mutation} proposal from candidate {candidate.ParentId} failed: {FirstLines(candidate.Error, 6)}"));
            _database!.Insert(candidate);
            if (arm is { } a)
            {
                _bandit!.Update(a, 0, candidate.Cost);
                _database.SetMeta(BanditStateKey, JsonSerializer.Serialize(_bandit.Snapshot()));
            }

            if (_consecutiveFailures >= _settings.MaxConsecutiveFailures)
            {
                Stop(StopReason.NoProgress);
            }

            CheckStop();
        }

        EngineLog.Rejected(_logger, candidate.Id, candidate.Error ?? string.Empty);
        Emit(new CandidateRejected(candidate));
    }

    private void CountUsage(Candidate candidate, bool failed)
    {
        _inputTokens += candidate.InputTokens;
        _outputTokens += candidate.OutputTokens;
        _cost += candidate.Cost;
        var counters = Counters(candidate.Model ?? OfflineModelName);
        counters.Proposals++;
        counters.InputTokens += candidate.InputTokens;
        counters.OutputTokens += candidate.OutputTokens;
        counters.Cost += candidate.Cost;
        if (failed)
        {
            counters.Failed++;
        }
    }

    private ModelCounters Counters(string model)
    {
        if (!_modelCounters.TryGetValue(model, out var counters))
        {
            counters = new ModelCounters();
            _modelCounters[model] = counters;
        }

        return counters;
    }

    private async Task<ReadOnlyMemory<float>> EmbedAsync(string text, CancellationToken cancellationToken)
    {
        try
        {
            var embeddings = await _settings.EmbeddingGenerator!.GenerateAsync([text], cancellationToken: cancellationToken).ConfigureAwait(false);
            return embeddings.Count > 0 ? embeddings[0].Vector : ReadOnlyMemory<float>.Empty;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A remote embedding service that fails must not stop the run: this proposal skips the novelty check.
            EngineLog.EmbeddingFailed(_logger, ex.GetType().Name, ex);
            return ReadOnlyMemory<float>.Empty;
        }
    }

    // ---------------------------------------------------------------- evaluation

    private async Task EvaluateLoopAsync(ChannelReader<Candidate> queue, CancellationTokenSource work)
    {
        try
        {
            await foreach (var candidate in queue.ReadAllAsync(work.Token).ConfigureAwait(false))
            {
                await EvaluateAndRecordAsync(candidate, work.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Results can no longer be recorded (for example the disk is full): stop the whole run rather than let
            // proposers wait forever on a queue nobody reads. What was stored stays stored for a resume.
            await work.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task EvaluateAndRecordAsync(Candidate candidate, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(_settings.RunFolder, "candidates", candidate.Id.ToString("D6", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var request = new EvaluationRequest
        {
            CandidateId = candidate.Id,
            Code = candidate.Code,
            Language = _settings.Task.Language,
            WorkingDirectory = folder,
            Backend = _settings.Backend,
            Timeout = _settings.EvaluationTimeout,
        };

        var started = _settings.TimeProvider.GetTimestamp();
        using var activity = GenesisTelemetry.ActivitySource.StartActivity("genesis.evaluate");
        activity?.SetTag("genesis.candidate", candidate.Id);
        activity?.SetTag("genesis.island", candidate.Island);
        EvaluationResult result;
        try
        {
            result = await _settings.Task.Evaluator.EvaluateAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // An evaluator that throws is a broken candidate run, not a reason to stop the whole evolution.
            result = EvaluationResult.Failure(EvaluationStatus.Crashed, $"The evaluator threw {ex.GetType().Name}: {ex.Message}");
        }

        if (result.Duration == TimeSpan.Zero)
        {
            result = result with { Duration = _settings.TimeProvider.GetElapsedTime(started) };
        }

        result = EvaluationGuard.Check(result, _settings.Task.MaxScore);
        activity?.SetTag("genesis.status", result.Status.ToString());
        var evaluated = candidate with { Status = CandidateStatus.Evaluated, Evaluation = result };
        GenesisTelemetry.RecordEvaluation(evaluated);
        Record(evaluated);
        if (candidate.Mutation != MutationKind.Initial && _lockstep is { CurrentCount: 0 })
        {
            _lockstep.Release();
        }
    }

    private void Record(Candidate candidate)
    {
        bool isNewBest;
        int completed;
        var migrations = new List<MigrationCompleted>();
        lock (_state)
        {
            _candidates[candidate.Id] = candidate;
            _completed++;
            if (candidate.Mutation != MutationKind.Initial)
            {
                _reserved--;
            }

            completed = _completed;
            isNewBest = Place(candidate);
            if (candidate.Mutation == MutationKind.Initial)
            {
                _initial = candidate;
            }

            var counters = candidate.Model is null && candidate.Mutation == MutationKind.Initial ? null : Counters(candidate.Model ?? OfflineModelName);
            var parent = candidate.ParentId is { } parentId ? _candidates.GetValueOrDefault(parentId) : null;
            var improvement = candidate.IsCorrect && parent is not null
                ? (double.IsFinite(parent.Score) ? Math.Max(0, candidate.Score - parent.Score) : Math.Max(0, candidate.Score))
                : 0;
            if (counters is not null)
            {
                counters.Evaluated++;
                if (improvement > 0)
                {
                    counters.Improvements++;
                }
            }

            var meta = new Dictionary<string, string>(StringComparer.Ordinal);
            if (candidate.Model is { } model && _bandit is not null)
            {
                var arm = IndexOfModel(model);
                if (arm >= 0)
                {
                    _bandit.Update(arm, improvement, candidate.Cost);
                    meta[BanditStateKey] = JsonSerializer.Serialize(_bandit.Snapshot());
                }
            }

            if (!candidate.Evaluation!.IsSuccess || !candidate.IsCorrect)
            {
                _islands[candidate.Island].AddFailure(string.Create(CultureInfo.InvariantCulture,
                    $"candidate {candidate.Id} ({candidate.Mutation}) was {(candidate.Evaluation.IsSuccess ? "incorrect" : candidate.Evaluation.Status.ToString())}: {FirstLines(candidate.Evaluation.Error ?? candidate.Evaluation.TextFeedback, 6)}"));
            }

            _database!.CompleteEvaluation(candidate, _settings.TimeProvider.GetUtcNow(), meta);
            if (candidate.Mutation != MutationKind.Initial)
            {
                var island = _islands[candidate.Island];
                island.BornEvaluations++;
                MigrateIfDue(island, migrations);
            }

            CheckStop();
        }

        EngineLog.Evaluated(_logger, candidate.Id, candidate.Evaluation!.Status, candidate.Score);
        if (isNewBest)
        {
            EngineLog.NewBest(_logger, candidate.Score, candidate.Id, candidate.Island, candidate.Mutation);
        }

        Emit(new CandidateEvaluated(candidate, isNewBest, completed));
        foreach (var migration in migrations)
        {
            Emit(migration);
        }
    }

    /// <summary>Puts an evaluated candidate in its island(s), archive and best; returns whether it is the new best.</summary>
    private bool Place(Candidate candidate)
    {
        if (candidate.ParentId is { } parentId)
        {
            _childCount[parentId] = _childCount.GetValueOrDefault(parentId) + 1;
        }

        var targets = candidate.Mutation == MutationKind.Initial ? _islands : [_islands[candidate.Island]];
        foreach (var island in targets)
        {
            island.Add(candidate);
            if (candidate.Evaluation!.IsSuccess)
            {
                island.Archive.TryAdd(candidate, MapElitesArchive.FeaturesOf(candidate, _settings.FeatureDimensions));
            }
        }

        if (candidate.IsCorrect && (_best is null || candidate.Score > _best.Score))
        {
            _best = candidate;
            return true;
        }

        return false;
    }

    private void MigrateIfDue(IslandState source, List<MigrationCompleted> migrations)
    {
        if (_islands.Length < 2 || source.BornEvaluations - source.LastMigrationAt < _settings.MigrationInterval)
        {
            return;
        }

        source.LastMigrationAt = source.BornEvaluations;
        var target = _islands[(source.Index + 1) % _islands.Length];
        var count = Math.Max(1, (int)Math.Ceiling(source.CorrectCount * _settings.MigrationRate));
        var moved = new List<long>();
        foreach (var migrant in source.Top(count))
        {
            if (target.Add(migrant))
            {
                target.Archive.TryAdd(migrant, MapElitesArchive.FeaturesOf(migrant, _settings.FeatureDimensions));
                _database!.InsertMigration(migrant.Id, source.Index, target.Index, _completed);
                moved.Add(migrant.Id);
            }
        }

        if (moved.Count > 0)
        {
            migrations.Add(new MigrationCompleted(source.Index, target.Index, moved) { Timestamp = _settings.TimeProvider.GetUtcNow() });
        }
    }

    private int IndexOfModel(string model)
    {
        for (var i = 0; i < _settings.Models.Count; i++)
        {
            if (string.Equals(_settings.Models[i].Name, model, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    // ---------------------------------------------------------------- budgets

    private IDisposable? StartWallClock(CancellationToken cancellationToken)
    {
        if (_settings.Budget.MaxWallClock is not { } limit)
        {
            return null;
        }

        var timer = _settings.TimeProvider.CreateTimer(_ => Stop(StopReason.WallClockBudget), null, limit, Timeout.InfiniteTimeSpan);
        _ = cancellationToken;
        return timer;
    }

    /// <summary>Stops new proposals when a budget or the target is reached. Caller holds the state lock or calls from init.</summary>
    private void CheckStop()
    {
        var budget = _settings.Budget;
        if (budget.MaxTokens is { } tokens && _inputTokens + _outputTokens >= tokens)
        {
            Stop(StopReason.TokenBudget);
        }
        else if (budget.MaxCost is { } cost && _cost >= cost)
        {
            Stop(StopReason.CostBudget);
        }
        else if (_settings.TargetScore is { } target && _best is not null && _best.Score >= target)
        {
            Stop(StopReason.TargetReached);
        }
        else if (budget.EffectiveMaxEvaluations is { } max && _completed >= max)
        {
            Stop(StopReason.EvaluationBudget);
        }
    }

    private void Stop(StopReason reason)
    {
        CancellationTokenSource? stopProposals;
        lock (_state)
        {
            if (_stopReason is not null)
            {
                return;
            }

            _stopReason = reason;
            stopProposals = _stopProposals;
        }

        // Budgets on tokens, cost, evaluations and the target only stop new proposals: proposals in flight finish, so
        // their tokens are counted. The wall-clock budget also cancels them. Cancel off this thread: callers hold the
        // state lock, and cancellation callbacks run synchronously.
        if (reason != StopReason.WallClockBudget)
        {
            return;
        }

        _ = Task.Run(() =>
        {
            try
            {
                stopProposals?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run has finished already.
            }
        });
    }

    // ---------------------------------------------------------------- start and resume

    private Candidate CreateInitial()
    {
        var initial = new Candidate
        {
            Id = _nextId++,
            Code = _settings.Task.InitialProgram,
            Island = 0,
            Generation = 0,
            Mutation = MutationKind.Initial,
            Status = CandidateStatus.Pending,
            CreatedAt = _settings.TimeProvider.GetUtcNow(),
        };
        _candidates[initial.Id] = initial;
        _fingerprints.Add(Fingerprint(initial.Code));
        _database!.Insert(initial);
        return initial;
    }

    /// <summary>Rebuilds the in-memory state from the database; returns the candidates still waiting for evaluation.</summary>
    private List<Candidate> Restore()
    {
        var pending = new List<Candidate>();
        var stored = _database!.LoadCandidates();
        if (_database.GetMeta(BanditStateKey) is { } banditJson && _bandit is not null)
        {
            var state = JsonSerializer.Deserialize<ModelBanditState>(banditJson);
            if (state is not null && state.Arms.Count == _settings.Models.Count)
            {
                _bandit.Restore(state);
            }
        }

        foreach (var (candidate, embedding) in stored)
        {
            _candidates[candidate.Id] = candidate;
            _nextId = Math.Max(_nextId, candidate.Id + 1);
            _proposals += candidate.Mutation == MutationKind.Initial ? 0 : 1;
            if (candidate.Island >= _islands.Length)
            {
                throw new InvalidOperationException($"The run folder {_settings.RunFolder} holds candidates of island {candidate.Island}, but the run has {_islands.Length} islands: resume with at least {candidate.Island + 1} islands (WithIslands).");
            }

            if (candidate.Mutation != MutationKind.Initial)
            {
                CountUsage(candidate, failed: candidate.Status is CandidateStatus.MutationFailed or CandidateStatus.Duplicate);
            }

            if (candidate.Status is CandidateStatus.Pending or CandidateStatus.Evaluated)
            {
                _fingerprints.Add(Fingerprint(candidate.Code));
                if (_novelty is not null && embedding.Length > 0)
                {
                    _novelty.Add(candidate.Island, candidate.Id, embedding);
                }
            }

            switch (candidate.Status)
            {
                case CandidateStatus.Pending:
                    pending.Add(candidate);
                    if (candidate.Mutation != MutationKind.Initial)
                    {
                        _reserved++;
                    }

                    break;
                case CandidateStatus.Evaluated:
                    _completed++;
                    Place(candidate);
                    if (candidate.Mutation == MutationKind.Initial)
                    {
                        _initial = candidate;
                    }
                    else
                    {
                        _islands[candidate.Island].BornEvaluations++;
                        var counters = Counters(candidate.Model ?? OfflineModelName);
                        counters.Evaluated++;
                        var parent = candidate.ParentId is { } p ? _candidates.GetValueOrDefault(p) : null;
                        if (candidate.IsCorrect && parent is not null && candidate.Score > parent.Score)
                        {
                            counters.Improvements++;
                        }
                    }

                    break;
                case CandidateStatus.MutationFailed:
                case CandidateStatus.Duplicate:
                    _islands[candidate.Island].AddFailure($"{candidate.Mutation} proposal failed: {FirstLines(candidate.Error, 6)}");
                    break;
            }
        }

        if (pending.Count > 0 && pending[0].Mutation == MutationKind.Initial)
        {
            _initial = null;
        }
        else if (_initial is null && pending.Count == 0 && stored.Count > 0)
        {
            throw new InvalidOperationException($"The run folder {_settings.RunFolder} has candidates but no initial program: it is not a Genesis run folder or it was edited by hand.");
        }

        foreach (var (candidateId, from, to) in _database.LoadMigrations())
        {
            if (to < _islands.Length && _candidates.TryGetValue(candidateId, out var migrant))
            {
                _islands[to].Add(migrant);
                _islands[to].Archive.TryAdd(migrant, MapElitesArchive.FeaturesOf(migrant, _settings.FeatureDimensions));
                _islands[from].LastMigrationAt = _islands[from].BornEvaluations;
            }
        }

        // Island random sources continue from the amount of completed work, so a resumed run does not replay its start.
        foreach (var island in _islands)
        {
            island.Random = SeedMixer.Random(_settings.Seed, island.Index, _proposals + 1);
        }

        _proposalCounter = _proposals;
        return pending;
    }

    private void WriteRunMetadata()
    {
        var database = _database!;
        if (database.GetMeta("task") is null)
        {
            database.SetMeta("task", _settings.Task.Name);
            database.SetMeta("created_at", _settings.TimeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        }

        if (_settings.TaskSource is { } source)
        {
            database.SetMeta("task_source", source);
        }

        database.SetMeta("language", _settings.Task.Language.Name);
        database.SetMeta("islands", _settings.Islands.ToString(CultureInfo.InvariantCulture));
        database.SetMeta("seed", _settings.Seed.ToString(CultureInfo.InvariantCulture));
        if (_settings.Budget.EffectiveMaxEvaluations is { } max)
        {
            database.SetMeta("max_evaluations", max.ToString(CultureInfo.InvariantCulture));
        }
    }

    // ---------------------------------------------------------------- results

    private EvolutionResult BuildResult(StopReason reason)
    {
        lock (_state)
        {
            var lineage = new List<Candidate>();
            for (var c = _best; c is not null; c = c.ParentId is { } p ? _candidates.GetValueOrDefault(p) : null)
            {
                lineage.Add(c);
            }

            lineage.Reverse();
            return new EvolutionResult
            {
                Best = _best,
                InitialScore = _initial?.Score ?? double.NegativeInfinity,
                StopReason = reason,
                CompletedEvaluations = _completed,
                Proposals = _proposals,
                InputTokens = _inputTokens,
                OutputTokens = _outputTokens,
                Cost = _cost,
                RunFolder = _settings.RunFolder,
                Islands = _islands.Select(i => new IslandStatistics(i.Index, i.BornEvaluations, i.Members.Count, i.CorrectCount, i.Best?.Score ?? double.NegativeInfinity, i.Best?.Id, i.Archive.Occupancy)).ToArray(),
                Models = _modelCounters.OrderBy(m => m.Key, StringComparer.Ordinal)
                    .Select(m => new ModelStatistics(m.Key, m.Value.Proposals, m.Value.Failed, m.Value.Evaluated, m.Value.Improvements, m.Value.InputTokens, m.Value.OutputTokens, m.Value.Cost))
                    .ToArray(),
                Lineage = lineage,
            };
        }
    }

    private void SaveBest(EvolutionResult result)
    {
        if (result.Best is not { } best)
        {
            return;
        }

        var folder = Path.Combine(_settings.RunFolder, "best");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "main" + _settings.Task.Language.FileExtension);
        WriteAtomically(file, best.Code);
        var summary = new Dictionary<string, object?>
        {
            ["id"] = best.Id,
            ["combined_score"] = best.Score,
            ["island"] = best.Island,
            ["generation"] = best.Generation,
            ["mutation"] = best.Mutation.ToString(),
            ["model"] = best.Model,
            ["public"] = best.Evaluation?.PublicMetrics,
            ["text_feedback"] = best.Evaluation?.TextFeedback,
        };
        WriteAtomically(Path.Combine(folder, "best.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static void WriteAtomically(string path, string content)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content, new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }

    // ---------------------------------------------------------------- events

    private void Emit(EvolutionEvent evolutionEvent)
    {
        if (evolutionEvent.Timestamp == default)
        {
            evolutionEvent = evolutionEvent with { Timestamp = _settings.TimeProvider.GetUtcNow() };
        }

        _eventLog?.Append(evolutionEvent);
        foreach (var handler in _settings.EventHandlers)
        {
            try
            {
                handler(evolutionEvent);
            }
            catch (Exception ex)
            {
                EngineLog.HandlerFailed(_logger, ex.GetType().Name, ex);
            }
        }

        _stream?.Writer.TryWrite(evolutionEvent);
    }

    private static UInt128 Fingerprint(string code)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(code.ReplaceLineEndings("\n").TrimEnd()), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    private static string FirstLines(string? text, int lines)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "(no details)";
        }

        var split = text.ReplaceLineEndings("\n").Split('\n');
        return split.Length <= lines ? text.Trim() : string.Join('\n', split.Take(lines)).Trim() + " …";
    }

    private sealed class ModelCounters
    {
        public int Proposals { get; set; }

        public int Failed { get; set; }

        public int Evaluated { get; set; }

        public int Improvements { get; set; }

        public long InputTokens { get; set; }

        public long OutputTokens { get; set; }

        public double Cost { get; set; }
    }
}
