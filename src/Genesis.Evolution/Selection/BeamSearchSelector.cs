namespace Genesis.Selection;

/// <summary>
/// Stateless beam search: the best-scoring program that has fewer than <see cref="Width"/> children, so one parent is
/// expanded until it has <see cref="Width"/> children and then the next best takes over. Only programs with a finite score
/// are beam members; when none has room left the choice falls back to power-law selection (alpha 1) over everything.
/// </summary>
/// <remarks>
/// With <see cref="ParentSelectionContext.IsRanked"/> the programs are read best first and the first with room is taken:
/// O(log n + p) where p is its position, no allocation; when the beam is full that is one pass of child counts and the
/// fallback is O(log n). Without a ranking it is O(n) while the beam has room and O(n log n) on the fallback.
/// </remarks>
public sealed class BeamSearchSelector : IParentSelector
{
    private readonly PowerLawSelector _fallback = new(1.0);

    /// <summary>Creates the selector.</summary>
    /// <param name="width">The number of children a program gets before the next best is expanded, between 1 and 10000. Default 5.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> is outside [1, 10000].</exception>
    public BeamSearchSelector(int width = 5)
    {
        Width = OptionChecks.InRange(width, 1, 10_000, nameof(BeamSearchSelector), nameof(width));
    }

    /// <summary>The number of children per beam member.</summary>
    public int Width { get; }

    /// <inheritdoc />
    public Candidate Select(ParentSelectionContext context)
    {
        var candidates = ScoreRanking.RequireCandidates(context, nameof(BeamSearchSelector));
        var best = context.IsRanked ? FirstWithRoom(candidates, context.ChildCount) : BestWithRoom(candidates, context.ChildCount);
        return best ?? _fallback.Select(context);
    }

    private Candidate? FirstWithRoom(IReadOnlyList<Candidate> ranked, Func<long, int> childCount)
    {
        var (start, end) = ScoreRanking.FiniteRange(ranked);
        for (var i = start; i < end; i++)
        {
            if (childCount(ranked[i].Id) < Width)
            {
                return ranked[i];
            }
        }

        return null;
    }

    private Candidate? BestWithRoom(IReadOnlyList<Candidate> candidates, Func<long, int> childCount)
    {
        Candidate? best = null;
        foreach (var c in candidates)
        {
            if (!double.IsFinite(ScoreRanking.RankScore(c)) || childCount(c.Id) >= Width)
            {
                continue;
            }

            if (best is null || ScoreRanking.RanksBefore(c, best))
            {
                best = c;
            }
        }

        return best;
    }
}
