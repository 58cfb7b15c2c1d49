using Genesis.Adapters;
using Genesis.GenomeTests.Reference;
using Genesis.Lora;
using Genesis.Merging;

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
    public void Baselines_run_on_the_reference()
    {
        var bench = ReferenceFixture.Benchmark;
        var best = GenomeBaselines.BestExpert(bench.Experts, bench);
        Assert.Equal(bench.Experts.Max(e => bench.Score(e, EvaluationSplit.Validation)), best.Validation);
        Assert.InRange(GenomeBaselines.UniformMerge(bench.Experts, bench).Test, 0, 1);
        Assert.InRange(GenomeBaselines.Ties(bench.Experts, bench).Test, 0, 1);
        Assert.InRange(GenomeBaselines.ExpertFusion(bench.Experts, bench).Test, 0, 1);
        Assert.True(GenomeBaselines.LoraHub(bench.Experts, bench, 20, 1).Validation >= GenomeBaselines.UniformMerge(bench.Experts, bench).Validation);
        Assert.True(GenomeBaselines.Swarm(bench.Experts, bench, 30, 1).Validation >= 0);
    }

    /// <summary>Fitness 1/(1 + ‖x − (3, 3, …)‖²): merges and mutations can approach the target.</summary>
    private sealed class DistanceEvaluator : IAdapterEvaluator
    {
        public double Score(LoraAdapter adapter, EvaluationSplit split)
        {
            double d = 0;
            foreach (var v in adapter.Values)
            {
                d += (v - 3) * (v - 3);
            }

            return 1 / (1 + d);
        }
    }

    private sealed class ConstantEvaluator : IAdapterEvaluator
    {
        public double Score(LoraAdapter adapter, EvaluationSplit split) => 0.5;
    }
}
