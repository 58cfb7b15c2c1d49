namespace Genesis.Selection;

/// <summary>
/// Always the best program: the highest <see cref="Candidate.Score"/>, ties going to the latest (largest) id, as
/// ShinkaEvolve's sequential strategy keeps climbing from the newest of equally good programs. O(n), no allocation.
/// </summary>
public sealed class HillClimbingSelector : IParentSelector
{
    /// <inheritdoc />
    public Candidate Select(ParentSelectionContext context)
    {
        var candidates = ScoreRanking.RequireCandidates(context, nameof(HillClimbingSelector));
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
