namespace Genesis.Selection;

/// <summary>
/// Every program equally likely, whatever its score: pure exploration. O(1); the order of the programs, ranked or not,
/// does not matter.
/// </summary>
public sealed class UniformSelector : IParentSelector
{
    /// <inheritdoc />
    public Candidate Select(ParentSelectionContext context)
    {
        var candidates = ScoreRanking.RequireCandidates(context, nameof(UniformSelector));
        return candidates[context.Random.Next(candidates.Count)];
    }
}
