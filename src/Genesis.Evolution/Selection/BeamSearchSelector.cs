namespace Genesis.Selection;

/// <summary>
/// Stateless beam search: the best-scoring program that has fewer than <see cref="Width"/> children, so one parent is
/// expanded until it has <see cref="Width"/> children and then the next best takes over. Only programs with a finite score
/// are beam members; when none has room left the choice falls back to power-law selection (alpha 1) over everything.
/// </summary>
/// <remarks>O(n) while the beam has room, O(n log n) on the fallback.</remarks>
public sealed class BeamSearchSelector : IParentSelector
{
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
        Candidate? best = null;
        foreach (var c in candidates)
        {
            if (!double.IsFinite(ScoreRanking.RankScore(c)) || context.ChildCount(c.Id) >= Width)
            {
                continue;
            }

            if (best is null || ScoreRanking.RanksBefore(c, best))
            {
                best = c;
            }
        }

        return best ?? PowerLawSelector.SelectByRank(candidates, 1.0, context.Random);
    }
}
