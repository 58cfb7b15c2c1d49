namespace Genesis;

/// <summary>
/// Merges k flat float32 tensors of equal length (for LoRA adapters, the A or the B tensors of the parents) into one. The
/// operators in Genesis.Genome (linear, task arithmetic, TIES, DARE, breadcrumbs, SLERP) implement it.
/// </summary>
public interface IMergeOperator
{
    /// <summary>Writes the merge of <see cref="MergeInput.Parents"/> to <paramref name="destination"/>.</summary>
    /// <param name="input">The parents, their weights, an optional base and the random stream.</param>
    /// <param name="destination">Of the parents' length; must not overlap a parent or the base.</param>
    /// <exception cref="ArgumentException">The input does not fit the operator (lengths, weights, parent count).</exception>
    void Merge(MergeInput input, Memory<float> destination);
}
