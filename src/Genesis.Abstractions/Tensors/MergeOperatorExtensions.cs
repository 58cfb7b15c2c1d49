namespace Genesis;

/// <summary>Convenience overloads of <see cref="IMergeOperator.Merge"/>.</summary>
public static class MergeOperatorExtensions
{
    /// <summary>Merges into a new array of the parents' length.</summary>
    /// <param name="mergeOperator">The operator.</param>
    /// <param name="input">The parents, weights, base and random stream.</param>
    /// <returns>The merged tensor.</returns>
    /// <exception cref="ArgumentException">There are no parents, or the input does not fit the operator.</exception>
    public static float[] Merge(this IMergeOperator mergeOperator, MergeInput input)
    {
        ArgumentNullException.ThrowIfNull(mergeOperator);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Parents is null || input.Parents.Count == 0)
        {
            throw new ArgumentException("MergeInput.Parents must hold at least one tensor, had 0.", nameof(input));
        }

        var result = new float[input.Parents[0].Length];
        mergeOperator.Merge(input, result);
        return result;
    }

    /// <summary>Merges equally weighted parents, with no base, into a new array.</summary>
    /// <param name="mergeOperator">The operator.</param>
    /// <param name="parents">The parents' tensors, all of the same length.</param>
    /// <returns>The merged tensor.</returns>
    public static float[] Merge(this IMergeOperator mergeOperator, params float[][] parents)
    {
        ArgumentNullException.ThrowIfNull(parents);
        return mergeOperator.Merge(new MergeInput { Parents = [.. parents.Select(p => (ReadOnlyMemory<float>)p)] });
    }
}
