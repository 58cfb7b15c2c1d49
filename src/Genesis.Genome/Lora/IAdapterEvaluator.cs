using Genesis.Adapters;

namespace Genesis.Lora;

/// <summary>The data split an adapter is scored on.</summary>
public enum EvaluationSplit
{
    /// <summary>The validation split: fitness, ranking, elites and ensemble selection.</summary>
    Validation,

    /// <summary>The test split, reported once at the end.</summary>
    Test,
}

/// <summary>Scores an adapter on a split (in general a weighted sum of task scores; higher is better).</summary>
public interface IAdapterEvaluator
{
    /// <summary>The adapter's score on <paramref name="split"/>.</summary>
    /// <param name="adapter">The adapter.</param>
    /// <param name="split">The split.</param>
    double Score(LoraAdapter adapter, EvaluationSplit split);
}

/// <summary>An evaluator of a classification task, which also exposes predictions for ensembles.</summary>
public interface IClassifierEvaluator : IAdapterEvaluator
{
    /// <summary>The gold labels of <paramref name="split"/>.</summary>
    /// <param name="split">The split.</param>
    IReadOnlyList<int> Labels(EvaluationSplit split);

    /// <summary>The predicted labels and the class probabilities (ClassCount per sample) of the adapter on a split.</summary>
    /// <param name="adapter">The adapter.</param>
    /// <param name="split">The split.</param>
    (int[] Labels, float[] Probabilities) Predict(LoraAdapter adapter, EvaluationSplit split);

    /// <summary>The number of classes.</summary>
    int ClassCount { get; }
}
