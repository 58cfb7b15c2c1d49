using System.Globalization;
using Genesis.Adapters;
using Genesis.Lora;
using Genesis.Scoring;

namespace Genesis.Reference;

/// <summary>
/// The embedded reference benchmark: a base MLP trained on the plain digits, LoRA experts trained on source tasks (input
/// transforms), and a target task none of them was built for, scored on 200 validation samples and a held-out test split.
/// </summary>
public sealed class ReferenceBenchmark : IClassifierEvaluator
{
    private ReferenceBenchmark(ReferenceModel model, IReadOnlyList<LoraAdapter> experts, DigitsData validation, DigitsData test, DigitsTransform target)
    {
        Model = model;
        Experts = experts;
        Validation = validation;
        Test = test;
        Target = target;
    }

    /// <summary>The source tasks of the default experts.</summary>
    public static IReadOnlyList<DigitsTransform> DefaultSources { get; } =
        [DigitsTransform.ShiftRight, DigitsTransform.ShiftLeft, DigitsTransform.ShiftDown, DigitsTransform.ShiftUp, DigitsTransform.Rotate90, DigitsTransform.Noise];

    /// <summary>The frozen base model.</summary>
    public ReferenceModel Model { get; }

    /// <summary>The experts, one per source task, named after it.</summary>
    public IReadOnlyList<LoraAdapter> Experts { get; }

    /// <summary>The target task's validation samples.</summary>
    public DigitsData Validation { get; }

    /// <summary>The target task's test samples.</summary>
    public DigitsData Test { get; }

    /// <summary>The target task.</summary>
    public DigitsTransform Target { get; }

    /// <inheritdoc />
    public int ClassCount => DigitsData.Classes;

    /// <summary>
    /// Builds the benchmark deterministically: shuffles the samples with <paramref name="seed"/>, keeps 200 for validation
    /// and <paramref name="testCount"/> for test, trains the base on the rest (plain digits) and one expert per source.
    /// </summary>
    /// <param name="data">All digits.</param>
    /// <param name="target">The target transform.</param>
    /// <param name="sources">The experts' source transforms; defaults to <see cref="DefaultSources"/>.</param>
    /// <param name="validationCount">Validation samples, 200 by default.</param>
    /// <param name="testCount">Test samples, 400 by default.</param>
    /// <param name="seed">Seeds the split and all training.</param>
    public static ReferenceBenchmark Create(DigitsData data, DigitsTransform target = DigitsTransform.ShiftDownRight, IReadOnlyList<DigitsTransform>? sources = null, int validationCount = 200, int testCount = 400, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (validationCount < 1 || testCount < 1 || validationCount + testCount >= data.SampleCount)
        {
            throw new ArgumentOutOfRangeException(nameof(validationCount), $"ReferenceBenchmark.Create: validation {validationCount} + test {testCount} must be positive and below the {data.SampleCount} samples.");
        }

        sources ??= DefaultSources;
        var order = Enumerable.Range(0, data.SampleCount).ToArray();
        new Random(seed).Shuffle(order);
        var validation = data.Select(order[..validationCount], target, seed + 1);
        var test = data.Select(order[validationCount..(validationCount + testCount)], target, seed + 2);
        var trainIndices = order[(validationCount + testCount)..];
        var model = ReferenceModel.TrainBase(data.Select(trainIndices, DigitsTransform.Identity), seed: seed);
        var experts = sources
            .Select((s, i) => model.TrainExpert(s.ToString(), data.Select(trainIndices, s, seed + 10 + i), seed: seed + 100 + i))
            .ToList();
        return new ReferenceBenchmark(model, experts, validation, test, target);
    }

    /// <summary>The task's name in fitness reports: <c>digits-&lt;target&gt;</c>.</summary>
    public string TaskName => "digits-" + Target.ToString();

    /// <summary>The accuracy of <paramref name="adapter"/> (or the base model) on a split.</summary>
    /// <param name="adapter">The adapter, or <see langword="null"/> for the base model.</param>
    /// <param name="split">The split.</param>
    public double Accuracy(LoraAdapter? adapter, EvaluationSplit split) => Model.Accuracy(adapter, Data(split));

    /// <inheritdoc />
    /// <remarks>Runs on the calling thread (the model is small); concurrent calls are safe.</remarks>
    public Task<FitnessReport> EvaluateAsync(LoraAdapter adapter, EvaluationSplit split, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        cancellationToken.ThrowIfCancellationRequested();
        var data = Data(split);
        var predicted = Model.Predict(adapter, data);
        var samples = new SampleScore[predicted.Length];
        var correct = 0;
        for (var i = 0; i < predicted.Length; i++)
        {
            var hit = predicted[i] == data.Labels[i];
            correct += hit ? 1 : 0;
            samples[i] = new SampleScore
            {
                Score = hit ? 1 : 0,
                ExtractedAnswer = predicted[i].ToString(CultureInfo.InvariantCulture),
                Reason = hit ? "correct" : "predicted " + predicted[i].ToString(CultureInfo.InvariantCulture) + ", label " + data.Labels[i].ToString(CultureInfo.InvariantCulture),
            };
        }

        var score = predicted.Length == 0 ? 0 : (double)correct / predicted.Length;
        return Task.FromResult(new FitnessReport
        {
            Value = score,
            Tasks = [new TaskFitness { Name = TaskName, Weight = 1, Score = score, Samples = samples }],
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<int> Labels(EvaluationSplit split) => Data(split).Labels;

    /// <inheritdoc />
    public (int[] Labels, float[] Probabilities) Predict(LoraAdapter adapter, EvaluationSplit split)
    {
        var data = Data(split);
        var probabilities = new float[data.SampleCount * DigitsData.Classes];
        var labels = Model.Predict(adapter, data, probabilities);
        return (labels, probabilities);
    }

    private DigitsData Data(EvaluationSplit split) => split == EvaluationSplit.Test ? Test : Validation;
}
