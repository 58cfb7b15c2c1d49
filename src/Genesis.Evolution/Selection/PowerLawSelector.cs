using System.Buffers;

namespace Genesis.Selection;

/// <summary>
/// ShinkaEvolve's power-law selection over rank: the programs are ranked by <see cref="Candidate.Score"/> (best first, ties
/// by the smaller id, failed programs last) and rank <c>r</c> (1-based) is chosen with probability proportional to
/// <c>r^(−alpha)</c>. <c>alpha = 0</c> is uniform; larger values exploit the top of the ranking harder.
/// </summary>
/// <remarks>O(n log n) time and O(n) memory per call.</remarks>
public sealed class PowerLawSelector : IParentSelector
{
    /// <summary>Creates the selector.</summary>
    /// <param name="alpha">The exponent, between 0 and 10. Default 1: the best program is twice as likely as the second.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is outside [0, 10].</exception>
    public PowerLawSelector(double alpha = 1.0)
    {
        Alpha = OptionChecks.InRange(alpha, 0, 10, nameof(PowerLawSelector), nameof(alpha));
    }

    /// <summary>The exponent of the rank weights.</summary>
    public double Alpha { get; }

    /// <inheritdoc />
    public Candidate Select(ParentSelectionContext context)
    {
        var candidates = ScoreRanking.RequireCandidates(context, nameof(PowerLawSelector));
        return SelectByRank(candidates, Alpha, context.Random);
    }

    /// <summary>Ranks <paramref name="candidates"/> and draws one by the power law.</summary>
    internal static Candidate SelectByRank(IReadOnlyList<Candidate> candidates, double alpha, Random random)
    {
        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        var order = ScoreRanking.RankOrder(candidates);
        return candidates[order[SampleRank(order.Length, alpha, random)]];
    }

    /// <summary>Draws a 0-based rank in [0, <paramref name="count"/>) with probability proportional to <c>(rank + 1)^(−alpha)</c>.</summary>
    internal static int SampleRank(int count, double alpha, Random random)
    {
        if (alpha == 0)
        {
            return random.Next(count);
        }

        var weights = ArrayPool<double>.Shared.Rent(count);
        try
        {
            for (var r = 0; r < count; r++)
            {
                weights[r] = Math.Pow(r + 1, -alpha);
            }

            return ScoreRanking.SampleProportional(weights.AsSpan(0, count), random);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(weights);
        }
    }
}
