using Genesis.Lora;
using Genesis.Reference;

namespace Genesis.GenomeTests.Reference;

public sealed class ReferenceModelTests
{
    [Fact]
    public void Loads_all_digits()
    {
        var data = ReferenceFixture.Data;
        Assert.Equal(1797, data.SampleCount);
        Assert.All(data.Pixels, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void Base_model_is_accurate_on_plain_digits_and_training_is_deterministic()
    {
        var data = ReferenceFixture.Data;
        var train = data.Select([.. Enumerable.Range(0, 1200)], DigitsTransform.Identity);
        var held = data.Select([.. Enumerable.Range(1200, 597)], DigitsTransform.Identity);
        var a = ReferenceModel.TrainBase(train, epochs: 10, seed: 5);
        var b = ReferenceModel.TrainBase(train, epochs: 10, seed: 5);
        Assert.True(a.Accuracy(null, held) > 0.85, $"base accuracy {a.Accuracy(null, held)}");
        var pa = new float[held.SampleCount * 10];
        var pb = new float[held.SampleCount * 10];
        a.Predict(null, held, pa);
        b.Predict(null, held, pb);
        Assert.Equal(pa, pb);
    }

    [Fact]
    public void Each_expert_beats_the_base_on_its_source_task()
    {
        var bench = ReferenceFixture.Benchmark;
        var data = ReferenceFixture.Data;
        var held = Enumerable.Range(0, 300).ToArray();
        for (var i = 0; i < bench.Experts.Count; i++)
        {
            var source = ReferenceBenchmark.DefaultSources[i];
            var task = data.Select(held, source, 99);
            var expert = bench.Model.Accuracy(bench.Experts[i], task);
            var baseline = bench.Model.Accuracy(null, task);
            Assert.True(expert > baseline, $"{source}: expert {expert} vs base {baseline}");
        }
    }

    [Fact]
    public void A_fresh_adapter_is_the_base_model_and_scores_match_predictions()
    {
        var bench = ReferenceFixture.Benchmark;
        var fresh = bench.Model.NewAdapter("fresh", 1);
        Assert.Equal(bench.Model.Accuracy(null, bench.Validation), bench.Accuracy(fresh, EvaluationSplit.Validation));
        var (labels, probabilities) = bench.Predict(bench.Experts[0], EvaluationSplit.Validation);
        Assert.Equal(200, labels.Length);
        Assert.Equal(2000, probabilities.Length);
        var accuracy = labels.Zip(bench.Labels(EvaluationSplit.Validation)).Count(p => p.First == p.Second) / 200.0;
        Assert.Equal(accuracy, bench.Accuracy(bench.Experts[0], EvaluationSplit.Validation));
    }

    [Fact]
    public async Task The_evaluator_reports_every_prediction_as_an_extracted_answer()
    {
        var bench = ReferenceFixture.Benchmark;
        var report = await bench.EvaluateAsync(bench.Experts[1], EvaluationSplit.Test);
        var (labels, _) = bench.Predict(bench.Experts[1], EvaluationSplit.Test);
        var task = Assert.Single(report.Tasks);
        Assert.Equal(bench.TaskName, task.Name);
        Assert.Equal(bench.Accuracy(bench.Experts[1], EvaluationSplit.Test), report.Value);
        Assert.Equal(labels.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)), task.Samples.Select(s => s.ExtractedAnswer));
        Assert.Equal(report.Value, task.Samples.Average(s => s.Score), 12);
    }
}
