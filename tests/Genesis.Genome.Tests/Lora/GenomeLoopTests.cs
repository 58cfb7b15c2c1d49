using Genesis.Adapters;
using Genesis.GenomeTests.Reference;
using Genesis.Lora;
using Genesis.Merging;
using Genesis.Scoring;

namespace Genesis.GenomeTests.Lora;

public sealed class GenomeLoopTests
{
    private static readonly LoraAdapterConfig Config = LoraAdapterConfig.ForModules(["m"], 1, 1);

    private static LoraAdapter Adapter(string name, float a, float b) =>
        LoraAdapter.FromMatrices(name, Config, [(new LoraModuleShape("m", 1, 2, 2), new[] { a, b }, new[] { b, a })]);

    private static List<LoraAdapter> Population() =>
        [Adapter("p0", 0, 0), Adapter("p1", 1, 0), Adapter("p2", 0, 1), Adapter("p3", -1, 2), Adapter("p4", 2, 2), Adapter("p5", 0.5f, -1)];

    [Fact]
    public async Task Elites_survive_so_the_population_best_never_drops()
    {
        var result = await Genome.For(new DistanceEvaluator()).WithPopulation(Population()).WithSelection(SurvivorSelection.Roulette, elites: 1)
            .WithMutation(1, 0.5, 0.3).WithGenerations(15).WithSeed(1).RunAsync();
        for (var g = 1; g < result.History.Count; g++)
        {
            Assert.True(result.History[g].Best >= result.History[g - 1].Best);
        }

        Assert.True(result.BestValidation > result.InitialBestValidation);
    }

    [Fact]
    public async Task Runs_are_reproducible_and_lineage_is_logged()
    {
        async Task<GenomeResult> Run() => await Genome.For(new DistanceEvaluator()).WithPopulation(Population()).WithGenerations(4).WithSeed(9).RunAsync();
        var a = await Run();
        var b = await Run();
        Assert.Equal(a.Best.Values.ToArray(), b.Best.Values.ToArray());
        Assert.Equal(6 + (4 * 6), a.Lineage.Count);
        Assert.Equal(a.Evaluations, a.Lineage.Count);
        var merges = a.Lineage.Where(l => l.Operator == nameof(LinearMerge)).ToList();
        Assert.NotEmpty(merges);
        Assert.All(merges, m => { Assert.Equal(2, m.Parents.Count); Assert.Equal(1.0, m.Weights.Sum(), 9); });
        Assert.All(a.Lineage.Where(l => l.Generation > 0), l => Assert.NotEmpty(l.Parents));
    }

    [Fact]
    public async Task Early_stop_after_patience_generations_without_improvement()
    {
        var result = await Genome.For(new ConstantEvaluator()).WithPopulation(Population()).WithGenerations(50).WithEarlyStop(3).RunAsync();
        Assert.True(result.StoppedEarly);
        Assert.Equal(4, result.History.Count);
    }

    [Fact]
    public async Task Genome_plus_lambda_decays_per_generation_not_per_individual()
    {
        var result = await Genome.For(new DistanceEvaluator()).WithPopulation(Population())
            .WithSuccession(new SuccessionOptions { Lambda = 0.5, LambdaDecay = 0.9 }).WithGenerations(5).RunAsync();
        for (var g = 1; g < result.History.Count; g++)
        {
            Assert.Equal(0.5 * Math.Pow(0.9, g - 1), result.History[g].Lambda, 12);
        }

        Assert.Equal(6 + (5 * 12), result.Evaluations);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Genome.For(new DistanceEvaluator()).WithPopulation(Population()).RunAsync(cts.Token));
    }

    [Fact]
    public async Task End_to_end_on_the_reference_improves_validation_over_the_best_expert()
    {
        var bench = ReferenceFixture.Benchmark;
        var result = await Genome.For(bench).WithPopulation(bench.Experts).WithCrossover(new LinearMerge(), 0.8)
            .WithMutation(0.3, 0.1, 0.05).WithGenerations(30).WithSeed(42).RunAsync();
        Assert.True(result.BestValidation > result.InitialBestValidation, $"{result.InitialBestValidation} -> {result.BestValidation}");
        Assert.NotNull(result.Ensemble);
        Assert.InRange(result.Ensemble.MajorityTest, 0, 1);
        Assert.InRange(result.BestTest, 0, 1);
    }

    [Theory]
    [InlineData("population", "WithPopulation: the population size must be between 2 and 1000, was 1.")]
    [InlineData("crossover", "WithCrossover: rate must be between 0 and 1, was 1.5.")]
    [InlineData("mutation", "WithMutation: geneRate must be between 0 and 1, was -0.1.")]
    [InlineData("elites", "WithSelection: elites must be between 0 and 5 (population − 1), was 6.")]
    [InlineData("generations", "WithGenerations: generations must be between 1 and 100000, was 0.")]
    [InlineData("patience", "WithEarlyStop: patience must be at least 1, was 0.")]
    [InlineData("evaluator", "WithEvaluator: an evaluator is required.")]
    public async Task Builder_validation_names_the_option_and_range(string option, string message)
    {
        var builder = option == "evaluator" ? Genome.Create() : Genome.For(new ConstantEvaluator());
        builder.WithPopulation(option == "population" ? Population().Take(1) : Population());
        _ = option switch
        {
            "crossover" => builder.WithCrossover(new LinearMerge(), 1.5),
            "mutation" => builder.WithMutation(0.5, -0.1, 0.1),
            "elites" => builder.WithSelection(elites: 6),
            "generations" => builder.WithGenerations(0),
            "patience" => builder.WithEarlyStop(0),
            _ => builder,
        };
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => builder.RunAsync());
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public async Task Concurrent_evaluation_gives_the_same_run_as_sequential()
    {
        async Task<(GenomeResult Result, DistanceEvaluator Evaluator)> Run(int concurrency)
        {
            var evaluator = new DistanceEvaluator { Scramble = true };
            var result = await Genome.For(evaluator).WithPopulation(Population()).WithSuccession().WithMutation(0.5, 0.5, 0.2)
                .WithGenerations(5).WithEvaluationConcurrency(concurrency).WithSeed(4).RunAsync();
            return (result, evaluator);
        }

        var (one, sequential) = await Run(1);
        var (four, concurrent) = await Run(4);
        Assert.Equal(1, sequential.MaxInFlight);
        Assert.InRange(concurrent.MaxInFlight, 2, 4);
        Assert.Equal(one.Best.Values.ToArray(), four.Best.Values.ToArray());
        Assert.Equal(one.History, four.History);
        Assert.Equal(one.Lineage.Select(l => (l.Id, l.Operator, l.Fitness)), four.Lineage.Select(l => (l.Id, l.Operator, l.Fitness)));
    }

    [Fact]
    public async Task Ties_crossover_children_are_the_ties_merge_of_their_logged_parents_and_weights()
    {
        var evaluator = new DistanceEvaluator();
        var ties = new TiesMerge(new TiesMergeOptions { Density = 0.5 });
        var population = Population();
        var result = await Genome.For(evaluator).WithPopulation(population).WithCrossover(ties, 1).WithMutation(0, 0, 0)
            .WithGenerations(1).WithSeed(2).RunAsync();
        var children = result.Lineage.Where(l => l.Generation == 1).ToList();
        Assert.Equal(6, children.Count);
        Assert.All(children, child =>
        {
            Assert.Equal(nameof(TiesMerge), child.Operator);
            var expected = new float[population[0].ParameterCount];
            ties.Merge(new MergeInput { Parents = child.Parents.Select(p => (ReadOnlyMemory<float>)population[(int)p].AsMemory()).ToList(), Weights = child.Weights, Random = child.Random.Derive(3) }, expected);
            Assert.Equal(expected, evaluator.Seen["genome-" + child.Id]);
            Assert.Equal(DistanceEvaluator.Fitness(expected), child.Fitness);
        });
    }

    [Fact]
    public async Task The_ensemble_gives_tied_answers_credit_over_the_number_tied()
    {
        // Two members, each right on a different one of two questions: every question is a 1–1 tie that includes the
        // reference, so the vote earns 1/2 on each, although each member alone also scores 1/2.
        var population = new List<LoraAdapter> { Adapter("left", 1, 0), Adapter("right", 0, 1) };
        var result = await Genome.For(new SplitAnswersEvaluator()).WithPopulation(population).WithCrossover(new LinearMerge(), 0)
            .WithMutation(0, 0, 0).WithSelection(elites: 1).WithGenerations(1).WithEnsemble(2).RunAsync();
        Assert.NotNull(result.Ensemble);
        Assert.Equal(2, result.Ensemble.Members);
        Assert.Equal(0.5, result.Ensemble.MajorityValidation);
        Assert.Equal(0.5, result.Ensemble.MajorityTest);
        Assert.Null(result.Ensemble.ProbabilityValidation);
    }

    [Fact]
    public async Task Genome_plus_grows_the_population_to_its_limit_before_selecting()
    {
        var result = await Genome.For(new DistanceEvaluator()).WithPopulation(Population()).WithSuccession().WithMaxPopulation(15)
            .WithGenerations(4).RunAsync();
        Assert.Equal([6, 12, 15, 15, 15], result.History.Select(h => h.Members));

        // Each generation: a succession step for every member, then as many children as the initial population.
        Assert.Equal(6 + (6 + 6) + (12 + 6) + (15 + 6) + (15 + 6), result.Evaluations);
    }

    [Fact]
    public async Task Builder_rejects_a_population_limit_below_the_population_and_bad_concurrency()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Genome.For(new ConstantEvaluator()).WithPopulation(Population()).WithMaxPopulation(5).RunAsync());
        Assert.Equal("WithMaxPopulation: maxPopulation must be between the population size 6 and 10000, was 5.", ex.Message);
        ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Genome.For(new ConstantEvaluator()).WithPopulation(Population()).WithEvaluationConcurrency(0).RunAsync());
        Assert.Equal("WithEvaluationConcurrency: concurrency must be between 1 and 1024, was 0.", ex.Message);
    }

    [Fact]
    public async Task A_non_finite_fitness_is_rejected_with_the_adapter_name()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Genome.For(new NaNEvaluator()).WithPopulation(Population()).RunAsync());
        Assert.Contains("genome-0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("finite", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Baselines_run_on_the_reference()
    {
        var bench = ReferenceFixture.Benchmark;
        var best = await GenomeBaselines.BestExpertAsync(bench.Experts, bench);
        Assert.Equal(bench.Experts.Max(e => bench.Accuracy(e, EvaluationSplit.Validation)), best.Validation);
        var uniform = await GenomeBaselines.UniformMergeAsync(bench.Experts, bench);
        Assert.InRange(uniform.Test, 0, 1);
        Assert.InRange((await GenomeBaselines.TiesAsync(bench.Experts, bench)).Test, 0, 1);
        Assert.InRange((await GenomeBaselines.ExpertFusionAsync(bench.Experts, bench)).Test, 0, 1);
        Assert.True((await GenomeBaselines.LoraHubAsync(bench.Experts, bench, 20, 1)).Validation >= uniform.Validation);
        Assert.True((await GenomeBaselines.SwarmAsync(bench.Experts, bench, 30, 1)).Validation >= 0);
    }

    [Fact]
    public async Task Dare_baseline_drops_and_rescales_reproducibly()
    {
        var bench = ReferenceFixture.Benchmark;
        var a = await GenomeBaselines.DareAsync(bench.Experts, bench, seed: 3);
        var b = await GenomeBaselines.DareAsync(bench.Experts, bench, seed: 3);
        var c = await GenomeBaselines.DareAsync(bench.Experts, bench, seed: 4);
        Assert.Equal(a.Adapter.Values.ToArray(), b.Adapter.Values.ToArray());
        Assert.NotEqual(a.Adapter.Values.ToArray(), c.Adapter.Values.ToArray());
        Assert.Equal(1, a.Evaluations);

        // Density 0.7 with a 1/0.7 rescale: the merge's total mass stays near the uniform merge's (a drop without the
        // rescale, GENOME's defect, would lose 30% of it).
        var uniform = await GenomeBaselines.UniformMergeAsync(bench.Experts, bench);
        var ratio = a.Adapter.Values.ToArray().Sum(v => (double)Math.Abs(v)) / uniform.Adapter.Values.ToArray().Sum(v => (double)Math.Abs(v));
        Assert.InRange(ratio, 0.85, 1.3);
    }

    [Fact]
    public async Task Swarm_and_lorahub_are_reproducible_from_their_seed()
    {
        var bench = ReferenceFixture.Benchmark;
        Assert.Equal((await GenomeBaselines.SwarmAsync(bench.Experts, bench, 18, 5)).Adapter.Values.ToArray(), (await GenomeBaselines.SwarmAsync(bench.Experts, bench, 18, 5)).Adapter.Values.ToArray());
        Assert.Equal((await GenomeBaselines.LoraHubAsync(bench.Experts, bench, 8, 5)).Adapter.Values.ToArray(), (await GenomeBaselines.LoraHubAsync(bench.Experts, bench, 8, 5)).Adapter.Values.ToArray());
    }

    /// <summary>Two questions: "left" (first value 1) answers the first right, "right" the second; fitness 1/2 each.</summary>
    private sealed class SplitAnswersEvaluator : IAdapterEvaluator
    {
        public Task<FitnessReport> EvaluateAsync(LoraAdapter adapter, EvaluationSplit split, CancellationToken cancellationToken = default)
        {
            var left = adapter.Values[0] > 0.5f;
            SampleScore[] samples =
            [
                new() { Score = left ? 1 : 0, ExtractedAnswer = left ? "A" : "B", Reason = "q1" },
                new() { Score = left ? 0 : 1, ExtractedAnswer = left ? "C" : "D", Reason = "q2" },
            ];
            return Task.FromResult(new FitnessReport { Value = 0.5, Tasks = [new TaskFitness { Name = "split", Weight = 1, Score = 0.5, Samples = samples }] });
        }
    }

    private sealed class NaNEvaluator : IAdapterEvaluator
    {
        public Task<FitnessReport> EvaluateAsync(LoraAdapter adapter, EvaluationSplit split, CancellationToken cancellationToken = default) =>
            Task.FromResult(TestEvaluators.Report(double.NaN));
    }
}
