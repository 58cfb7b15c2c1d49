namespace Genesis.Selection;

/// <summary>
/// Tournament selection: <see cref="Size"/> programs are drawn uniformly with replacement and the best of them wins
/// (higher score, then the smaller id). The program at rank <c>r</c> of <c>n</c> wins with probability
/// <c>((n − r + 1)/n)^k − ((n − r)/n)^k</c>. O(k), no allocation.
/// </summary>
/// <remarks>
/// With <see cref="ParentSelectionContext.IsRanked"/> the winner is simply the smallest index drawn, so only the winner is
/// read, not every contestant. Both ways the same indices are drawn from the random source.
/// </remarks>
public sealed class TournamentSelector : IParentSelector
{
    /// <summary>Creates the selector.</summary>
    /// <param name="size">The number of contestants, between 1 and 1000. Default 3; 1 is uniform selection.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is outside [1, 1000].</exception>
    public TournamentSelector(int size = 3)
    {
        Size = OptionChecks.InRange(size, 1, 1000, nameof(TournamentSelector), nameof(size));
    }

    /// <summary>The number of contestants per tournament.</summary>
    public int Size { get; }

    /// <inheritdoc />
    public Candidate Select(ParentSelectionContext context)
    {
        var candidates = ScoreRanking.RequireCandidates(context, nameof(TournamentSelector));
        var random = context.Random;
        var n = candidates.Count;
        if (context.IsRanked)
        {
            var best = random.Next(n);
            for (var round = 1; round < Size; round++)
            {
                best = Math.Min(best, random.Next(n));
            }

            return candidates[best];
        }

        var winner = candidates[random.Next(n)];
        for (var round = 1; round < Size; round++)
        {
            var challenger = candidates[random.Next(n)];
            if (ScoreRanking.RanksBefore(challenger, winner))
            {
                winner = challenger;
            }
        }

        return winner;
    }
}
