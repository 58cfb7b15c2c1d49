namespace Genesis.Selection;

/// <summary>
/// Always the best program: the highest <see cref="Candidate.Score"/>, ties going to the latest (largest) id, as
/// ShinkaEvolve's sequential strategy keeps climbing from the newest of equally good programs. No allocation.
/// </summary>
/// <remarks>
/// O(n) without a ranking. With <see cref="ParentSelectionContext.IsRanked"/> the best program is the first, but ties are
/// ranked by the smaller id first, so the latest of them is the last of the leading run of equal scores, found by a
/// binary search: O(log n).
/// </remarks>
public sealed class HillClimbingSelector : IParentSelector
{
    /// <inheritdoc />
    public Candidate Select(ParentSelectionContext context)
    {
        var candidates = ScoreRanking.RequireCandidates(context, nameof(HillClimbingSelector));
        if (context.IsRanked)
        {
            return candidates[ScoreRanking.CountAtLeast(candidates, ScoreRanking.RankScore(candidates[0])) - 1];
        }

        var best = candidates[0];
        var bestScore = ScoreRanking.RankScore(best);
        for (var i = 1; i < candidates.Count; i++)
        {
            var c = candidates[i];
            var s = ScoreRanking.RankScore(c);
            if (s > bestScore || (s.Equals(bestScore) && c.Id > best.Id))
            {
                best = c;
                bestScore = s;
            }
        }

        return best;
    }
}
