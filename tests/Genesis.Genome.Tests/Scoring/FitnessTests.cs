using Genesis.Datasets;
using Genesis.Scoring;

namespace Genesis.GenomeTests.Scoring;

public sealed class FitnessTests
{
    [Fact]
    public void Weighted_sum_normalises_the_weights()
    {
        var scores = new Dictionary<string, double> { ["GSM8K"] = 1.0, ["MMLU"] = 0.0, ["DROP"] = 0.5 };
        var weights = new Dictionary<string, double> { ["GSM8K"] = 3, ["MMLU"] = 1, ["DROP"] = 0 };

        Assert.Equal(0.75, Fitness.WeightedSum(scores, weights), 12);
    }

    [Fact]
    public void Weighted_sum_rejects_mismatched_or_bad_weights()
    {
        var scores = new Dictionary<string, double> { ["GSM8K"] = 1.0 };

        var missing = Assert.Throws<ArgumentException>(() => Fitness.WeightedSum(scores, new Dictionary<string, double>()));
        var extra = Assert.Throws<ArgumentException>(() => Fitness.WeightedSum(scores, new Dictionary<string, double> { ["GSM8K"] = 1, ["MBPP"] = 1 }));
        var negative = Assert.Throws<ArgumentException>(() => Fitness.WeightedSum(scores, new Dictionary<string, double> { ["GSM8K"] = -1 }));
        var zero = Assert.Throws<ArgumentException>(() => Fitness.WeightedSum(scores, new Dictionary<string, double> { ["GSM8K"] = 0 }));

        Assert.Contains("task 'GSM8K' has a score but no weight", missing.Message, StringComparison.Ordinal);
        Assert.Contains("task 'MBPP' has a weight but no score", extra.Message, StringComparison.Ordinal);
        Assert.Contains("task 'GSM8K' has weight -1", negative.Message, StringComparison.Ordinal);
        Assert.Contains("the weights sum to 0", zero.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Evaluates_every_task_and_sums_with_normalised_weights(int concurrency)
    {
        var maths = new[]
        {
            new TaskSample { Id = "m1", Prompt = "How many eggs?", References = ["18"] },
            new TaskSample { Id = "m2", Prompt = "How many clips?", References = ["72"] },
        };
        var choice = new[]
        {
            new TaskSample { Id = "c1", Prompt = "Powerhouse?", Choices = ["Nucleus", "Mitochondria", "Ribosome", "Golgi"], References = ["B"] },
            new TaskSample { Id = "c2", Prompt = "Largest planet?", Choices = ["Mars", "Venus", "Jupiter", "Earth"], References = ["C"] },
            new TaskSample { Id = "c3", Prompt = "Water boils at?", Choices = ["90 C", "100 C", "110 C", "120 C"], References = ["B"] },
            new TaskSample { Id = "c4", Prompt = "H2O is?", Choices = ["Salt", "Water", "Sugar", "Air"], References = ["B"] },
        };
        var replies = new Dictionary<string, string>
        {
            ["m1"] = "9 * 2 = 18\n#### 18",
            ["m2"] = "48 + 24 = 70\n#### 70",
            ["c1"] = "The answer is (B).",
            ["c2"] = "Answer: C",
            ["c3"] = "**A**",
            ["c4"] = "Water",
        };
        var tokens = new List<CancellationToken>();
        using var source = new CancellationTokenSource();

        var report = await Fitness.EvaluateAsync(
            [
                new FitnessTask { Name = "GSM8K", Samples = maths, Scorer = Gsm8kScorer.Instance, Weight = 1 },
                new FitnessTask { Name = "MMLU", Samples = choice, Scorer = MultipleChoiceScorer.AToD, Weight = 3 },
            ],
            (sample, token) =>
            {
                lock (tokens)
                {
                    tokens.Add(token);
                }

                return ValueTask.FromResult(replies[sample.Id]);
            },
            concurrency,
            source.Token);

        Assert.Equal((0.25 * 0.5) + (0.75 * 0.75), report.Value, 12);
        Assert.Equal(["GSM8K", "MMLU"], report.Tasks.Select(t => t.Name));
        Assert.Equal([0.25, 0.75], report.Tasks.Select(t => t.Weight));
        Assert.Equal([1.0, 0.0], report.Tasks[0].Samples.Select(s => s.Score));
        Assert.Equal(["B", "C", "A", "B"], report.Tasks[1].Samples.Select(s => s.ExtractedAnswer));
        Assert.Equal(6, tokens.Count);
        Assert.All(tokens, t => Assert.True(t.CanBeCanceled));
    }

    [Fact]
    public async Task Cancellation_reaches_the_model_and_stops_the_evaluation()
    {
        using var source = new CancellationTokenSource();
        var samples = Enumerable.Range(0, 5).Select(i => new TaskSample { Id = $"q{i}", Prompt = "p", References = ["1"] }).ToArray();
        var calls = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Fitness.EvaluateAsync(
            [new FitnessTask { Name = "GSM8K", Samples = samples, Scorer = Gsm8kScorer.Instance }],
            async (_, token) =>
            {
                calls++;
                await source.CancelAsync();
                token.ThrowIfCancellationRequested();
                return "#### 1";
            },
            cancellationToken: source.Token).AsTask());

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Rejects_tasks_that_cannot_be_scored()
    {
        ValueTask<string> Generate(TaskSample s, CancellationToken t) => ValueTask.FromResult("#### 1");
        var sample = new TaskSample { Id = "q", Prompt = "p", References = ["1"] };

        var empty = await Assert.ThrowsAsync<ArgumentException>(() => Fitness.EvaluateAsync(
            [new FitnessTask { Name = "GSM8K", Samples = [], Scorer = Gsm8kScorer.Instance }], Generate).AsTask());
        var duplicate = await Assert.ThrowsAsync<ArgumentException>(() => Fitness.EvaluateAsync(
            [
                new FitnessTask { Name = "GSM8K", Samples = [sample], Scorer = Gsm8kScorer.Instance },
                new FitnessTask { Name = "GSM8K", Samples = [sample], Scorer = Gsm8kScorer.Instance },
            ],
            Generate).AsTask());
        var concurrency = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Fitness.EvaluateAsync(
            [new FitnessTask { Name = "GSM8K", Samples = [sample], Scorer = Gsm8kScorer.Instance }], Generate, 0).AsTask());

        Assert.Contains("task 'GSM8K' needs at least one sample", empty.Message, StringComparison.Ordinal);
        Assert.Contains("task 1 has an empty or repeated name 'GSM8K'", duplicate.Message, StringComparison.Ordinal);
        Assert.Contains("maxConcurrency must be between 1 and 1024, was 0", concurrency.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_validation_sub_samples_the_validation_split()
    {
        var validation = Enumerable.Range(0, 50).Select(i => new TaskSample { Id = $"v{i}", Prompt = "p", References = ["1"] }).ToArray();
        var dataset = new TaskDataset(TaskFormat.Gsm8k, [], validation, []);

        var task = FitnessTask.FromValidation(dataset, Gsm8kScorer.Instance, weight: 2, maxSamples: 10, seed: 7);
        var all = FitnessTask.FromValidation(dataset, Gsm8kScorer.Instance);

        Assert.Equal("GSM8K", task.Name);
        Assert.Equal(2, task.Weight);
        Assert.Equal(dataset.Subsample(DatasetSplit.Validation, 10, 7), task.Samples);
        Assert.Equal(50, all.Samples.Count);
    }
}
