using Genesis.Adapters;
using Genesis.Datasets;
using Genesis.Lora;
using Genesis.Merging;
using Genesis.Scoring;
using Genesis.Serving;

namespace Genesis.GenomeTests.Serving;

/// <summary>The GENOME loop scoring children through <see cref="VllmAdapterEvaluator"/> on <see cref="GradingVllmServer"/>.</summary>
public sealed class GenomeOnVllmTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("genesis-genome-on-vllm-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task The_grading_server_answers_as_well_as_the_adapter_is_close_to_the_target()
    {
        var (experts, target) = GradingExperts.Create(seed: 11);
        await using var server = await GenomeVllmSampleTests.StartServerAsync(target);
        using var evaluator = Evaluator(server, GradingExperts.LoadShippedDataset(), validationSamples: 200);

        var perfect = await evaluator.EvaluateAsync(target, EvaluationSplit.Validation, CancellationToken.None);
        var reports = await evaluator.EvaluateManyAsync(experts, EvaluationSplit.Validation, CancellationToken.None);

        Assert.Equal(1.0, perfect.Value);
        Assert.All(perfect.Tasks[0].Samples, s => Assert.NotNull(s.ExtractedAnswer));
        for (var i = 0; i < experts.Count; i++)
        {
            var quality = server.Quality(experts[i].Values);
            Assert.InRange(reports[i].Value, quality - 0.1, quality + 0.1);
        }

        // Expert 0 carries half of the target, expert 3 none of it.
        Assert.Equal(0, Array.IndexOf([.. reports.Select(r => r.Value)], reports.Max(r => r.Value)));
        Assert.InRange(reports[3].Value, 0, 0.1);
        Assert.All(reports[3].Tasks[0].Samples, s => Assert.NotNull(s.ExtractedAnswer));
    }

    [Fact]
    public async Task Genome_improves_over_its_initial_best_validation_and_its_best_is_closer_to_the_target_than_any_expert()
    {
        var (experts, target) = GradingExperts.Create(seed: 11);
        await using var server = await GenomeVllmSampleTests.StartServerAsync(target);
        var dataset = GradingExperts.LoadShippedDataset();
        using var evaluator = Evaluator(server, dataset, validationSamples: 100);

        var result = await Genome.For(evaluator)
            .WithPopulation(experts)
            .WithCrossover(new LinearMerge(), rate: 0.8)
            .WithMutation(individualRate: 0.3, geneRate: 0.1, sigma: 0.005)
            .WithGenerations(5)
            .WithEvaluationConcurrency(2)
            .WithSeed(3)
            .RunAsync(CancellationToken.None);

        var expertQualities = experts.Select(e => server.Quality(e.Values)).ToList();
        var bestExpert = experts[expertQualities.IndexOf(expertQualities.Max())];
        var bestExpertTest = (await evaluator.EvaluateAsync(bestExpert, EvaluationSplit.Test, CancellationToken.None)).Value;
        Assert.Equal(result.History[0].Best, result.InitialBestValidation);
        Assert.True(result.BestValidation >= result.InitialBestValidation + 0.05, $"validation {result.InitialBestValidation} -> {result.BestValidation}");
        Assert.True(server.Quality(result.Best.Values) > expertQualities.Max() + 0.05, $"quality {server.Quality(result.Best.Values)} vs best expert {expertQualities.Max()}");
        Assert.True(result.BestTest > bestExpertTest, $"test {result.BestTest} vs best expert {bestExpertTest}");
        Assert.Equal(experts.Count + (5 * experts.Count), result.Evaluations);
        Assert.InRange(server.MaxLoadedAtOnce, 1, 2);
        Assert.Empty(server.Loaded);
    }

    private VllmAdapterEvaluator Evaluator(GradingVllmServer server, TaskDataset dataset, int validationSamples) =>
        new(
            new VllmOptions { BaseUrl = server.BaseUri, AdapterRoot = Path.Combine(_root.FullName, "adapters"), MaxLoras = 2, MaxRetries = 0 },
            validation: [FitnessTask.FromValidation(dataset, Gsm8kScorer.Instance, maxSamples: validationSamples)],
            test: [new FitnessTask { Name = "GSM8K", Samples = dataset.Test, Scorer = Gsm8kScorer.Instance }]);
}
