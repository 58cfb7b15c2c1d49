namespace Genesis.Tests.Engine;

public sealed class BadInputTests
{
    public static TheoryData<Func<EvolutionBuilder, EvolutionBuilder>, string> BadOptions => new()
    {
        { b => b.WithIslands(0), "WithIslands: count must be between 1 and 1024, was 0." },
        { b => b.WithIslands(2, migrationInterval: 0), "WithIslands: migrationInterval must be between 1 and 1000000, was 0." },
        { b => b.WithIslands(2, migrationRate: 1.5), "WithIslands: migrationRate must be above 0 and at most 1, was 1.5." },
        { b => b.WithBudget(maxEvaluations: 0), "WithBudget: maxEvaluations must be between 1 and 100000000, was 0." },
        { b => b.WithBudget(maxTokens: 0), "WithBudget: maxTokens must be at least 1, was 0." },
        { b => b.WithBudget(maxCost: double.NaN), "WithBudget: maxCost must be a positive finite amount" },
        { b => b.WithBudget(maxWallClock: TimeSpan.Zero), "WithBudget: maxWallClock must be positive" },
        { b => b.WithMutationMix(0, 0, 0), "WithMutationMix: at least one of diff, fullRewrite and crossover must be above 0." },
        { b => b.WithMutationMix(diff: -0.1), "WithMutationMix: diff must be between 0 and 1, was -0.1." },
        { b => b.WithNovelty(1.5), "WithNovelty: threshold must be above 0 and at most 1, was 1.5." },
        { b => b.WithInspirations(top: 99), "WithInspirations: top and diverse must be between 0 and 32" },
        { b => b.WithArchive([new FeatureDimension("m", 0, 1, 0)]), "Bins must be between 1 and 1000, was 0." },
        { b => b.WithMaxPatchRetries(11), "WithMaxPatchRetries: retries must be between 0 and 10, was 11." },
        { b => b.WithTemperatures(3.0), "WithTemperatures: give at least one temperature, each between 0 and 2" },
        { b => b.WithConcurrency(0, 1), "WithConcurrency: proposals and evaluations must be between 1 and 1024" },
        { b => b.WithEvaluationTimeout(TimeSpan.Zero), "WithEvaluationTimeout: timeout must be above 0" },
        { b => b.WithTargetScore(double.PositiveInfinity), "WithTargetScore: score must be a finite number." },
        { b => b.WithMaxConsecutiveFailures(0), "WithMaxConsecutiveFailures: count must be between 1 and 1000000, was 0." },
        { b => b.WithPromptTemplates(new Prompts.PromptTemplates { RetryTurn = "try again" }), "RetryTurn must contain the {error} placeholder" },
        { b => b.WithLlm(new Genesis.Testing.FakeChatClient(), weight: 0, name: "a"), "WithLlm: weight of model 'a' must be above 0, was 0." },
        { b => b.WithLlm(new Genesis.Testing.FakeChatClient(), name: "a").WithLlm(new Genesis.Testing.FakeChatClient(), name: "a"), "WithLlm: two models are named 'a'" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task Bad_options_are_rejected_at_run_with_a_message_naming_the_option(Func<EvolutionBuilder, EvolutionBuilder> configure, string message)
    {
        using var folder = new TempRunFolder();
        var builder = configure(Evolution.For<QuadraticTask>().WithRunFolder(folder.Path));
        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => builder.RunAsync());
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Path), "a rejected configuration must not create a run folder");
    }

    [Theory]
    [InlineData("# EVOLVE-BLOCK-START\nx = 1\n", "is never closed")]
    [InlineData("x = 1\n# EVOLVE-BLOCK-END\n", "has no matching EVOLVE-BLOCK-START")]
    [InlineData("   ", "InitialProgram is empty")]
    public async Task A_broken_initial_program_is_rejected_before_anything_runs(string program, string message)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Evolution.For(new ProgramTask(program)).RunAsync());
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gamed_and_broken_evaluations_are_recorded_as_invalid_and_the_run_goes_on()
    {
        using var folder = new TempRunFolder();
        var task = new HostileEvaluatorTask((call, request) => call switch
        {
            2 => EvaluationResult.Success(double.NaN),
            3 => EvaluationResult.Success(4.01),
            4 => EvaluationResult.Success(0.5, publicMetrics: new Dictionary<string, double> { ["radius"] = double.PositiveInfinity }),
            5 => throw new InvalidOperationException("evaluator bug"),
            6 => EvaluationResult.Failure(EvaluationStatus.TimedOut, "killed after 30 s"),
            _ => QuadraticTask.Score(request.Code),
        });
        var result = await Evolution.For(task).WithConcurrency(1, 1).WithBudget(maxEvaluations: 8).WithRunFolder(folder.Path).RunAsync();

        Assert.Equal(8, result.CompletedEvaluations);
        var rows = RunDatabaseReader.Query(folder.Path, "SELECT id, eval_status, score, correct, eval_error FROM candidates WHERE status = 'Evaluated' ORDER BY evaluated_at, id");
        Assert.Equal("Invalid", rows[1]["eval_status"]);
        Assert.Contains("not a finite number", (string)rows[1]["eval_error"]!, StringComparison.Ordinal);
        Assert.Equal("Invalid", rows[2]["eval_status"]);
        Assert.Contains("exceeds the task's known bound 1", (string)rows[2]["eval_error"]!, StringComparison.Ordinal);
        Assert.Null(rows[2]["score"]);
        Assert.Contains("metric 'radius' is not a finite number", (string)rows[3]["eval_error"]!, StringComparison.Ordinal);
        Assert.Equal("Crashed", rows[4]["eval_status"]);
        Assert.Contains("InvalidOperationException: evaluator bug", (string)rows[4]["eval_error"]!, StringComparison.Ordinal);
        Assert.Equal("TimedOut", rows[5]["eval_status"]);
        Assert.True(result.BestScore <= 1.0);
    }

    [Fact]
    public async Task Resuming_with_fewer_islands_than_the_run_used_names_the_option()
    {
        using var folder = new TempRunFolder();
        await Evolution.For<QuadraticTask>().WithIslands(3).WithBudget(maxEvaluations: 8).WithRunFolder(folder.Path).RunAsync();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Evolution.For<QuadraticTask>().WithIslands(1).WithBudget(maxEvaluations: 12).WithRunFolder(folder.Path).RunAsync());
        Assert.Contains("WithIslands", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_of_a_folder_without_a_run_says_so()
    {
        using var folder = new TempRunFolder();
        var ex = Assert.Throws<DirectoryNotFoundException>(() => Evolution.Resume(folder.Path));
        Assert.Contains("holds no Genesis run", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_embedding_service_skips_the_novelty_check_and_the_run_goes_on()
    {
        await using var server = await Genesis.Testing.ScriptedOpenAiServer.StartAsync();
        server.Responder = LlmEvolutionTests.ImproveX;
        using var folder = new TempRunFolder();
        var result = await Evolution.For<QuadraticTask>()
            .WithLlm(Genesis.Llm.GenesisLlm.Create(server.BaseUri, "scripted"))
            .WithMutationMix(1, 0, 0)
            .WithNovelty(0.99, new FailingEmbeddings())
            .WithBudget(maxEvaluations: 6)
            .WithRunFolder(folder.Path)
            .RunAsync();
        Assert.Equal(6, result.CompletedEvaluations);
        Assert.True(FailingEmbeddings.Calls > 0, "the LLM's proposals went through the failing embedding service");
    }

    private sealed class FailingEmbeddings : Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>
    {
        private static int _calls;

        public static int Calls => Volatile.Read(ref _calls);

        public Task<Microsoft.Extensions.AI.GeneratedEmbeddings<Microsoft.Extensions.AI.Embedding<float>>> GenerateAsync(IEnumerable<string> values, Microsoft.Extensions.AI.EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            throw new HttpRequestException("embedding service unavailable");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task A_missing_toolchain_is_one_clear_error_before_the_run_starts()
    {
        using var folder = new TempRunFolder();
        var task = new EvolutionTask
        {
            Name = "rusty",
            Language = ProgramLanguage.Rust,
            InitialProgram = "// EVOLVE-BLOCK-START\nfn main() {}\n// EVOLVE-BLOCK-END\n",
            Evaluator = new MissingCompilerEvaluator(),
        };
        var ex = await Assert.ThrowsAsync<ToolchainNotFoundException>(() => Evolution.For(task).WithRunFolder(folder.Path).RunAsync());
        Assert.Equal("rustc was not found on PATH: install Rust or choose another language", ex.Message);
        Assert.False(Directory.Exists(folder.Path), "nothing is written before the preflight check passes");
        var run = Evolution.For(task).WithRunFolder(folder.Path).Start();
        await Assert.ThrowsAsync<ToolchainNotFoundException>(() => run.Completion);
        await foreach (var _ in run.Events())
        {
            Assert.Fail("no event is expected from a run that never started");
        }
    }

    private sealed class MissingCompilerEvaluator : IEvaluator, IPreflightCheck
    {
        public ValueTask CheckAsync(CancellationToken cancellationToken = default) =>
            throw new ToolchainNotFoundException("rustc was not found on PATH: install Rust or choose another language");

        public ValueTask<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("never called");
    }

    private sealed class ProgramTask(string program) : IEvolutionTask
    {
        public ProgramLanguage Language => ProgramLanguage.Python;

        public string InitialProgram => program;

        public IEvaluator Evaluator => Evaluators.FromDelegate((_, _) => ValueTask.FromResult(EvaluationResult.Success(1)));
    }
}
