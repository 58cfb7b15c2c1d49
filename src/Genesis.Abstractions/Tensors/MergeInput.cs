namespace Genesis;

/// <summary>What a <see cref="IMergeOperator"/> merges: k flat tensors of equal length, their weights, a reference and a random stream.</summary>
public sealed record MergeInput
{
    /// <summary>The parents' tensors, at least one, all of the same length.</summary>
    public required IReadOnlyList<ReadOnlyMemory<float>> Parents { get; init; }

    /// <summary>One weight per parent (for example the parents' fitness), or <see langword="null"/> (the default) for equal weights.</summary>
    public IReadOnlyList<double>? Weights { get; init; }

    /// <summary>
    /// The reference the task vectors <c>δ_i = x_i − base</c> are taken from, of the parents' length; empty (the default) for
    /// a zero reference, which is what LoRA A and B tensors need.
    /// </summary>
    public ReadOnlyMemory<float> Base { get; init; }

    /// <summary>
    /// The random stream of stochastic operators (DARE); parent i uses <c>Random.Derive(i)</c>. Element indices count from the
    /// start of the tensors passed here, so merging an adapter tensor by tensor needs a distinct stream per tensor (and per
    /// child). Default seed 0, stream 0.
    /// </summary>
    public RandomKey Random { get; init; }
}
