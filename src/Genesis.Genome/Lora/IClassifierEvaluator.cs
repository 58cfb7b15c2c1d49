using Genesis.Adapters;

namespace Genesis.Lora;

/// <summary>An evaluator of a classification task that also exposes class probabilities, so ensembles can average them.</summary>
public interface IClassifierEvaluator : IAdapterEvaluator
{
    /// <summary>The number of classes.</summary>
    int ClassCount { get; }

    /// <summary>The gold labels of <paramref name="split"/>.</summary>
    /// <param name="split">The split.</param>
    IReadOnlyList<int> Labels(EvaluationSplit split);

    /// <summary>The predicted labels and the class probabilities (<see cref="ClassCount"/> per sample) of the adapter on a split.</summary>
    /// <param name="adapter">The adapter.</param>
    /// <param name="split">The split.</param>
    (int[] Labels, float[] Probabilities) Predict(LoraAdapter adapter, EvaluationSplit split);
}
