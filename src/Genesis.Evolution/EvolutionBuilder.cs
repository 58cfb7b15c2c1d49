using System.Globalization;
using System.Threading.Channels;
using Genesis.Engine;
using Genesis.Llm;
using Genesis.Novelty;
using Genesis.Prompts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Genesis;

/// <summary>
/// Configures a code-evolution run. Every option has a documented default; options are validated when
/// <see cref="RunAsync"/>, <see cref="Run"/> or <see cref="Start"/> is called, with a message naming the option and its allowed range.
/// </summary>
/// <remarks>Create one with <see cref="Evolution.For{TTask}"/>, <see cref="Evolution.ForFolder"/> or <see cref="Evolution.Resume"/>.</remarks>
public sealed class EvolutionBuilder
{
    private readonly IEvolutionTask _task;
    private readonly string? _taskSource;
    private readonly List<LlmModel> _models = [];
    private readonly List<Action<EvolutionEvent>> _handlers = [];
    private int _islands = 2;
    private int _migrationInterval = 10;
    private double _migrationRate = 0.1;
    private MutationMix _mix = new();
    private IParentSelector? _parentSelector;
    private int _topInspirations = 2;
    private int _diverseInspirations = 2;
    private double? _noveltyThreshold = 0.99;
    private IEmbeddingGenerator<string, Embedding<float>>? _embeddingGenerator;
    private IReadOnlyList<FeatureDimension>? _featureDimensions;
    private int _archiveCapacity = 100;
    private IExecutionBackend? _backend;
    private string? _runFolder;
    private EvolutionBudget _budget = new();
    private double? _targetScore;
    private int _seed = 42;
    private int? _proposalConcurrency;
    private int? _evaluationConcurrency;
    private TimeSpan _evaluationTimeout = TimeSpan.FromMinutes(5);
    private PromptTemplates _prompts = new();
    private int _maxPatchRetries = 2;
    private IReadOnlyList<double> _temperatures = [0.0, 0.5, 1.0];
    private int _maxConsecutiveFailures = 200;
    private TimeProvider _timeProvider = TimeProvider.System;
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;
    private bool _llmFromEnvironment;

    internal EvolutionBuilder(IEvolutionTask task, string? taskSource)
    {
        _task = task ?? throw new ArgumentNullException(nameof(task));
        _taskSource = taskSource;
    }

    /// <summary>The task being evolved.</summary>
    public IEvolutionTask Task => _task;

    /// <summary>
    /// Sets the island model: <paramref name="count"/> populations that evolve independently and, every
    /// <paramref name="migrationInterval"/> evaluations on an island, copy their best <paramref name="migrationRate"/> fraction
    /// (at least one program) to the next island of the ring. Defaults: 2 islands, interval 10, rate 0.1.
    /// </summary>
    public EvolutionBuilder WithIslands(int count, int migrationInterval = 10, double migrationRate = 0.1)
    {
        _islands = count;
        _migrationInterval = migrationInterval;
        _migrationRate = migrationRate;
        return this;
    }

    /// <summary>
    /// Adds a model to the ensemble. Models are sampled by a cost-aware UCB1 bandit rewarded by how much their children
    /// improve on their parents; <paramref name="weight"/> is the prior before any reward is seen.
    /// </summary>
    /// <param name="client">Any <see cref="IChatClient"/>; see <see cref="GenesisLlm"/> for an OpenAI-compatible one.</param>
    /// <param name="weight">The prior sampling weight, above 0 (default 1).</param>
    /// <param name="price">Prices per million tokens, for cost accounting and cost budgets; <see langword="null"/> counts cost 0.</param>
    /// <param name="name">The name recorded for the model; defaults to the client's model id.</param>
    public EvolutionBuilder WithLlm(IChatClient client, double weight = 1.0, ModelPrice? price = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var modelName = name ?? client.GetService<ChatClientMetadata>()?.DefaultModelId ?? $"model-{_models.Count + 1}";
        _models.Add(new LlmModel(client, modelName, weight, price));
        return this;
    }

    /// <summary>
    /// Adds the model named by <c>GENESIS_LLM_ENDPOINT</c> and <c>GENESIS_LLM_MODEL</c> (key from <c>OPENAI_API_KEY</c>) when
    /// they are set; when they are not, the run uses the offline mutators and says so.
    /// </summary>
    public EvolutionBuilder WithLlmFromEnvironment()
    {
        _llmFromEnvironment = true;
        return this;
    }

    /// <summary>Sets how often diffs, full rewrites and crossovers are asked of the LLM (default 0.6 / 0.3 / 0.1).</summary>
    public EvolutionBuilder WithMutationMix(double diff = 0.6, double fullRewrite = 0.3, double crossover = 0.1)
    {
        _mix = new MutationMix(diff, fullRewrite, crossover);
        return this;
    }

    /// <summary>Sets how parents are chosen (default: power-law over rank, α = 1). See <see cref="ParentSelection"/>.</summary>
    public EvolutionBuilder WithParentSelection(IParentSelector selector)
    {
        _parentSelector = selector ?? throw new ArgumentNullException(nameof(selector));
        return this;
    }

    /// <summary>Sets how many inspirations each prompt shows: the island's top programs and diverse elites of other islands (default 2 and 2).</summary>
    public EvolutionBuilder WithInspirations(int top = 2, int diverse = 2)
    {
        _topInspirations = top;
        _diverseInspirations = diverse;
        return this;
    }

    /// <summary>
    /// Rejects LLM proposals whose mutable code is too similar to a program already on the island (cosine similarity of
    /// embeddings at or above <paramref name="threshold"/>, default 0.99) before they cost an evaluation. Offline
    /// mutators are not screened: their small numeric steps are the point (exact duplicates are always rejected).
    /// </summary>
    /// <param name="threshold">Between 0 and 1.</param>
    /// <param name="generator">The embedding model; default: offline hashed token n-grams.</param>
    public EvolutionBuilder WithNovelty(double threshold = 0.99, IEmbeddingGenerator<string, Embedding<float>>? generator = null)
    {
        _noveltyThreshold = threshold;
        _embeddingGenerator = generator;
        return this;
    }

    /// <summary>Turns the novelty filter off (exact duplicates are still rejected).</summary>
    public EvolutionBuilder WithoutNovelty()
    {
        _noveltyThreshold = null;
        return this;
    }

    /// <summary>
    /// Sets the MAP-Elites feature dimensions (default: the task's <see cref="IEvolutionTask.FeatureDimensions"/>). Each
    /// island keeps the best program per cell; with no dimensions it keeps its best <paramref name="capacity"/> programs.
    /// </summary>
    public EvolutionBuilder WithArchive(IReadOnlyList<FeatureDimension> dimensions, int capacity = 100)
    {
        _featureDimensions = dimensions ?? throw new ArgumentNullException(nameof(dimensions));
        _archiveCapacity = capacity;
        return this;
    }

    /// <summary>Sets where candidates run (default: <see cref="Backends.Local(int?)"/> with one job per core).</summary>
    public EvolutionBuilder WithBackend(IExecutionBackend backend)
    {
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
        return this;
    }

    /// <summary>
    /// Sets the run folder: the SQLite database (<c>genesis.db</c>), the event log (<c>events.jsonl</c>), one folder per
    /// candidate and the best program (<c>best/</c>). A folder that holds a run is resumed. Default: <c>runs/&lt;task&gt;-&lt;UTC time&gt;</c>.
    /// </summary>
    public EvolutionBuilder WithRunFolder(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _runFolder = path;
        return this;
    }

    /// <summary>Sets when the run stops; see <see cref="EvolutionBudget"/>. With no bound at all, 100 evaluations.</summary>
    public EvolutionBuilder WithBudget(int? maxEvaluations = null, long? maxTokens = null, double? maxCost = null, TimeSpan? maxWallClock = null)
    {
        _budget = new EvolutionBudget(maxEvaluations, maxTokens, maxCost, maxWallClock);
        return this;
    }

    /// <summary>Stops the run as soon as a correct program scores at least <paramref name="score"/>.</summary>
    public EvolutionBuilder WithTargetScore(double score)
    {
        _targetScore = score;
        return this;
    }

    /// <summary>Sets the seed every random choice derives from (default 42). With one proposer and one evaluator a run is reproducible.</summary>
    public EvolutionBuilder WithSeed(int seed)
    {
        _seed = seed;
        return this;
    }

    /// <summary>
    /// Sets how many proposals (LLM calls) and evaluations run at once. Defaults: proposals = 4 with an LLM, 1 offline;
    /// evaluations = the backend's parallelism.
    /// </summary>
    public EvolutionBuilder WithConcurrency(int proposals, int evaluations)
    {
        _proposalConcurrency = proposals;
        _evaluationConcurrency = evaluations;
        return this;
    }

    /// <summary>Sets the wall-clock limit of one evaluation (default 5 minutes).</summary>
    public EvolutionBuilder WithEvaluationTimeout(TimeSpan timeout)
    {
        _evaluationTimeout = timeout;
        return this;
    }

    /// <summary>Replaces the prompt texts; see <see cref="PromptTemplates"/>.</summary>
    public EvolutionBuilder WithPromptTemplates(PromptTemplates templates)
    {
        _prompts = templates ?? throw new ArgumentNullException(nameof(templates));
        return this;
    }

    /// <summary>Sets how many times a model is asked again, with the reason, after an answer that cannot be applied (default 2).</summary>
    public EvolutionBuilder WithMaxPatchRetries(int retries)
    {
        _maxPatchRetries = retries;
        return this;
    }

    /// <summary>Sets the temperatures each LLM call samples from (default 0, 0.5 and 1, as ShinkaEvolve does).</summary>
    public EvolutionBuilder WithTemperatures(params double[] temperatures)
    {
        _temperatures = temperatures ?? throw new ArgumentNullException(nameof(temperatures));
        return this;
    }

    /// <summary>Stops the run after this many proposals in a row failed or were rejected (default 200).</summary>
    public EvolutionBuilder WithMaxConsecutiveFailures(int count)
    {
        _maxConsecutiveFailures = count;
        return this;
    }

    /// <summary>Sets the clock (default <see cref="TimeProvider.System"/>); tests pass a fake one.</summary>
    public EvolutionBuilder WithTimeProvider(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        return this;
    }

    /// <summary>Sets where the engine logs (category <c>Genesis.Evolution</c>). Code and prompts are never logged.</summary>
    public EvolutionBuilder WithLogging(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        return this;
    }

    /// <summary>Calls <paramref name="handler"/> for every event, on the engine's threads; keep it quick. Exceptions it throws are logged and ignored.</summary>
    public EvolutionBuilder OnEvent(Action<EvolutionEvent> handler)
    {
        _handlers.Add(handler ?? throw new ArgumentNullException(nameof(handler)));
        return this;
    }

    /// <summary>Runs the evolution to the end of its budget and returns the result.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled; the run folder keeps everything for a resume.</exception>
    public async Task<EvolutionResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var settings = Build();
        await PreflightAsync(settings, cancellationToken).ConfigureAwait(false);
        using var engine = new EvolutionEngine(settings);
        return await engine.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the evolution synchronously; see <see cref="RunAsync"/>.</summary>
    public EvolutionResult Run() => RunAsync().GetAwaiter().GetResult();

    /// <summary>Starts the evolution and returns at once with a stream of its events and a task for its result.</summary>
    public EvolutionRun Start(CancellationToken cancellationToken = default)
    {
        var settings = Build();
        var stream = Channel.CreateUnbounded<EvolutionEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
        var engine = new EvolutionEngine(settings, stream);
        var completion = System.Threading.Tasks.Task.Run(async () =>
        {
            using (engine)
            {
                try
                {
                    await PreflightAsync(settings, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    stream.Writer.TryComplete();
                    throw;
                }

                return await engine.RunAsync(cancellationToken).ConfigureAwait(false);
            }
        }, CancellationToken.None);
        return new EvolutionRun(stream.Reader, completion);
    }

    /// <summary>Asks the evaluator and the backend whether what they need is installed, before anything is written.</summary>
    private static async Task PreflightAsync(EvolutionSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Task.Evaluator is IPreflightCheck evaluator)
        {
            await evaluator.CheckAsync(cancellationToken).ConfigureAwait(false);
        }

        if (settings.Backend is IPreflightCheck backend)
        {
            await backend.CheckAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal EvolutionSettings Build()
    {
        if (_islands is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException("count", _islands, $"WithIslands: count must be between 1 and 1024, was {_islands}.");
        }

        if (_migrationInterval is < 1 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException("migrationInterval", _migrationInterval, $"WithIslands: migrationInterval must be between 1 and 1000000, was {_migrationInterval}.");
        }

        if (!double.IsFinite(_migrationRate) || _migrationRate <= 0 || _migrationRate > 1)
        {
            throw new ArgumentOutOfRangeException("migrationRate", _migrationRate, $"WithIslands: migrationRate must be above 0 and at most 1, was {_migrationRate}.");
        }

        _mix.Validate();
        _budget.Validate();
        _prompts.Validate();
        if (_topInspirations is < 0 or > 32 || _diverseInspirations is < 0 or > 32)
        {
            throw new ArgumentOutOfRangeException("top", $"WithInspirations: top and diverse must be between 0 and 32, were {_topInspirations} and {_diverseInspirations}.");
        }

        if (_noveltyThreshold is { } threshold && (!double.IsFinite(threshold) || threshold <= 0 || threshold > 1))
        {
            throw new ArgumentOutOfRangeException("threshold", threshold, $"WithNovelty: threshold must be above 0 and at most 1, was {threshold}.");
        }

        if (_archiveCapacity is < 1 or > 10_000_000)
        {
            throw new ArgumentOutOfRangeException("capacity", _archiveCapacity, $"WithArchive: capacity must be between 1 and 10000000, was {_archiveCapacity}.");
        }

        var dimensions = _featureDimensions ?? _task.FeatureDimensions;
        foreach (var dimension in dimensions)
        {
            dimension.Validate();
        }

        if (_maxPatchRetries is < 0 or > 10)
        {
            throw new ArgumentOutOfRangeException("retries", _maxPatchRetries, $"WithMaxPatchRetries: retries must be between 0 and 10, was {_maxPatchRetries}.");
        }

        if (_temperatures.Count == 0 || _temperatures.Any(t => !double.IsFinite(t) || t < 0 || t > 2))
        {
            throw new ArgumentOutOfRangeException("temperatures", $"WithTemperatures: give at least one temperature, each between 0 and 2; got [{string.Join(", ", _temperatures.Select(t => t.ToString(CultureInfo.InvariantCulture)))}].");
        }

        if (_maxConsecutiveFailures is < 1 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException("count", _maxConsecutiveFailures, $"WithMaxConsecutiveFailures: count must be between 1 and 1000000, was {_maxConsecutiveFailures}.");
        }

        if (_evaluationTimeout <= TimeSpan.Zero || _evaluationTimeout > TimeSpan.FromDays(7))
        {
            throw new ArgumentOutOfRangeException("timeout", _evaluationTimeout, $"WithEvaluationTimeout: timeout must be above 0 and at most 7 days, was {_evaluationTimeout}.");
        }

        if (_targetScore is { } target && !double.IsFinite(target))
        {
            throw new ArgumentOutOfRangeException("score", target, "WithTargetScore: score must be a finite number.");
        }

        ValidateTask();

        var models = new List<LlmModel>(_models);
        if (_llmFromEnvironment && GenesisLlm.FromEnvironment() is { } environmentClient)
        {
            var name = environmentClient.GetService<ChatClientMetadata>()?.DefaultModelId ?? "environment";
            models.Add(new LlmModel(environmentClient, name, 1.0, null));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            if (!double.IsFinite(model.Weight) || model.Weight <= 0)
            {
                throw new ArgumentOutOfRangeException("weight", model.Weight, $"WithLlm: weight of model '{model.Name}' must be above 0, was {model.Weight}.");
            }

            if (!names.Add(model.Name))
            {
                throw new ArgumentException($"WithLlm: two models are named '{model.Name}'; pass a distinct name for each.");
            }
        }

        var backend = _backend ?? Backends.Local();
        var proposals = _proposalConcurrency ?? (models.Count > 0 ? 4 : 1);
        var evaluations = _evaluationConcurrency ?? Math.Max(1, backend.MaxParallelism);
        if (proposals is < 1 or > 1024 || evaluations is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException("proposals", $"WithConcurrency: proposals and evaluations must be between 1 and 1024, were {proposals} and {evaluations}.");
        }

        var runFolder = Path.GetFullPath(_runFolder ?? Path.Combine("runs", $"{SafeName(_task.Name)}-{_timeProvider.GetUtcNow():yyyyMMdd-HHmmss}"));
        return new EvolutionSettings
        {
            Task = _task,
            TaskSource = _taskSource,
            RunFolder = runFolder,
            Islands = _islands,
            MigrationInterval = _migrationInterval,
            MigrationRate = _migrationRate,
            Models = models,
            Mix = _mix,
            ParentSelector = _parentSelector ?? ParentSelection.PowerLaw(),
            TopInspirations = _topInspirations,
            DiverseInspirations = _diverseInspirations,
            NoveltyThreshold = _noveltyThreshold,
            EmbeddingGenerator = _noveltyThreshold is null ? null : _embeddingGenerator ?? new HashedNgramEmbeddingGenerator(),
            FeatureDimensions = dimensions,
            ArchiveCapacity = _archiveCapacity,
            Backend = backend,
            Budget = _budget,
            TargetScore = _targetScore,
            Seed = _seed,
            ProposalConcurrency = proposals,
            EvaluationConcurrency = evaluations,
            EvaluationTimeout = _evaluationTimeout,
            Prompts = _prompts,
            MaxPatchRetries = _maxPatchRetries,
            Temperatures = _temperatures,
            MaxConsecutiveFailures = _maxConsecutiveFailures,
            TimeProvider = _timeProvider,
            LoggerFactory = _loggerFactory,
            EventHandlers = _handlers.ToArray(),
        };
    }

    private void ValidateTask()
    {
        if (_task.Language is null)
        {
            throw new ArgumentException($"Task {_task.Name}: Language must be set.");
        }

        if (string.IsNullOrWhiteSpace(_task.InitialProgram))
        {
            throw new ArgumentException($"Task {_task.Name}: InitialProgram is empty.");
        }

        if (_task.Evaluator is null)
        {
            throw new ArgumentException($"Task {_task.Name}: Evaluator must be set.");
        }

        var layout = Blocks.EvolveBlockLayout.Parse(_task.InitialProgram);
        if (layout.Error is not null)
        {
            throw new ArgumentException($"Task {_task.Name}: the initial program's EVOLVE-BLOCK markers are broken: {layout.Error}");
        }

        if (_task.MaxScore is { } max && !double.IsFinite(max))
        {
            throw new ArgumentException($"Task {_task.Name}: MaxScore must be finite or null, was {max}.");
        }
    }

    private static string SafeName(string name)
    {
        var chars = name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray();
        return chars.Length == 0 ? "run" : new string(chars);
    }
}
