using System.Buffers;

namespace Genesis.Selection;

/// <summary>
/// ShinkaEvolve's weighted selection, favouring good programs that have few children:
/// <c>w_i = sigmoid(λ · (s_i − median) / MAD) · 1 / (1 + children_i)</c>, normalised, where the median and the median
/// absolute deviation (MAD) are taken over the programs with a finite score.
/// </summary>
/// <remarks>
/// <para>
/// When the MAD is 0 (more than half the programs share one score) the mean absolute deviation from the median is used
/// instead, so a better minority is still preferred; when that is 0 too (all scores equal) every sigmoid is 0.5 and only
/// the child counts matter. Programs without a finite score get weight 0 unless no program has one, in which case all are
/// weighted by children alone.
/// </para>
/// <para>
/// Without a ranking: O(n log n) time (two sorts for the medians) and O(n) pooled memory. With
/// <see cref="ParentSelectionContext.IsRanked"/> the median is read from the middle of the ranking and the MAD is found
/// without a pass, because the deviations of the programs above and below the median are two sorted runs whose median is a
/// binary search (O(log n)); only a MAD of 0 costs one O(n) pass for the mean absolute deviation. A program is then drawn
/// by rejection: a uniform proposal among the scored programs is accepted with probability equal to its weight (at most
/// 1), so each call reads a handful of programs and child counts (<c>1 / mean weight</c> proposals on average; at least
/// half the programs have a sigmoid of 0.5 or more). After 256 rejected proposals the exact O(n) draw is made instead.
/// Both ways the median, the scale and so every weight come out equal and the distribution is the same.
/// </para>
/// </remarks>
public sealed class WeightedSelector : IParentSelector
{
    /// <summary>Creates the selector.</summary>
    /// <param name="lambda">The sharpness λ of the sigmoid, between 0 and 1000. Default 10, as in ShinkaEvolve; 0 weights by children alone.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is outside [0, 1000].</exception>
    public WeightedSelector(double lambda = 10)
    {
        Lambda = OptionChecks.InRange(lambda, 0, 1000, nameof(WeightedSelector), nameof(lambda));
    }

    /// <summary>The sharpness of the sigmoid.</summary>
    public double Lambda { get; }

    /// <inheritdoc />
    public Candidate Select(ParentSelectionContext context)
    {
        var candidates = ScoreRanking.RequireCandidates(context, nameof(WeightedSelector));
        var n = candidates.Count;
        if (n == 1)
        {
            return candidates[0];
        }

        if (context.IsRanked)
        {
            return SelectRanked(candidates, context.ChildCount, context.Random);
        }

        var weights = ArrayPool<double>.Shared.Rent(n);
        try
        {
            ComputeWeights(candidates, context.ChildCount, Lambda, weights.AsSpan(0, n));
            return candidates[ScoreRanking.SampleProportional(weights.AsSpan(0, n), context.Random)];
        }
        finally
        {
            ArrayPool<double>.Shared.Return(weights);
        }
    }

    /// <summary>Writes the unnormalised weight of every candidate (in any order) into <paramref name="weights"/>.</summary>
    internal static void ComputeWeights(IReadOnlyList<Candidate> candidates, Func<long, int> childCount, double lambda, Span<double> weights)
    {
        var centre = CentreOf(candidates);
        for (var i = 0; i < candidates.Count; i++)
        {
            weights[i] = Weight(candidates[i], childCount, centre, lambda);
        }
    }

    /// <summary>The median and scale of the finite scores of <paramref name="candidates"/>, in any order: two sorts, O(n log n).</summary>
    internal static ScoreCentre CentreOf(IReadOnlyList<Candidate> candidates)
    {
        var n = candidates.Count;
        var scratch = ArrayPool<double>.Shared.Rent(n);
        try
        {
            var finite = 0;
            foreach (var c in candidates)
            {
                var s = ScoreRanking.RankScore(c);
                if (double.IsFinite(s))
                {
                    scratch[finite++] = s;
                }
            }

            if (finite == 0)
            {
                return default;
            }

            var values = scratch.AsSpan(0, finite);
            var median = Median(values);
            var meanAbsolute = 0.0;
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Math.Abs(values[i] - median);
                meanAbsolute += values[i];
            }

            meanAbsolute /= finite;
            var mad = Median(values);
            return new ScoreCentre(finite, median, mad > 0 ? mad : meanAbsolute);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// The same numbers as <see cref="CentreOf"/> for a ranked list whose finite scores are
    /// <paramref name="ranked"/>[<paramref name="start"/> .. <paramref name="end"/>): O(log n), plus one pass when the MAD is 0.
    /// </summary>
    internal static ScoreCentre CentreOfRanked(IReadOnlyList<Candidate> ranked, int start, int end)
    {
        var m = end - start;
        if (m == 0)
        {
            return default;
        }

        // Ascending position k of the finite scores is descending position m − 1 − k of the ranking.
        double Ascending(int k) => ScoreRanking.RankScore(ranked[start + m - 1 - k]);
        var mid = m / 2;
        var median = m % 2 == 1 ? Ascending(mid) : (Ascending(mid - 1) / 2) + (Ascending(mid) / 2);

        // The programs scoring at least the median (ranks start .. start + above) deviate less the further down they are;
        // those below it deviate more the further down they are. Both runs are sorted ascending as indexed here.
        var above = ScoreRanking.CountAtLeast(ranked, median) - start;
        var below = m - above;
        double Upper(int t) => Math.Abs(ScoreRanking.RankScore(ranked[start + above - 1 - t]) - median);
        double Lower(int t) => Math.Abs(ScoreRanking.RankScore(ranked[start + above + t]) - median);

        // The k-th smallest (0-based) of the two runs together: take i from the upper run and k + 1 − i from the lower.
        double Smallest(int k)
        {
            int lo = Math.Max(0, k + 1 - below), hi = Math.Min(k + 1, above);
            while (lo < hi)
            {
                var i = lo + ((hi - lo) / 2);
                var j = k + 1 - i;
                if (i == above || j == 0 || Upper(i) >= Lower(j - 1))
                {
                    hi = i;
                }
                else
                {
                    lo = i + 1;
                }
            }

            var fromUpper = lo > 0 ? Upper(lo - 1) : double.NegativeInfinity;
            var fromLower = k + 1 - lo > 0 ? Lower(k - lo) : double.NegativeInfinity;
            return Math.Max(fromUpper, fromLower);
        }

        var mad = m % 2 == 1 ? Smallest(mid) : (Smallest(mid - 1) / 2) + (Smallest(mid) / 2);
        if (mad > 0)
        {
            return new ScoreCentre(m, median, mad);
        }

        // Summed in ascending score order, as the sorted path sums it.
        var meanAbsolute = 0.0;
        for (var k = 0; k < m; k++)
        {
            meanAbsolute += Math.Abs(Ascending(k) - median);
        }

        return new ScoreCentre(m, median, meanAbsolute / m);
    }

    /// <summary>The unnormalised weight of one program: its sigmoid divided by one plus its children.</summary>
    internal static double Weight(Candidate candidate, Func<long, int> childCount, in ScoreCentre centre, double lambda)
    {
        var s = ScoreRanking.RankScore(candidate);
        double sigmoid;
        if (centre.Finite == 0)
        {
            sigmoid = 0.5;
        }
        else if (!double.IsFinite(s))
        {
            sigmoid = 0;
        }
        else if (centre.Scale > 0 && double.IsFinite(centre.Scale))
        {
            sigmoid = 1.0 / (1.0 + Math.Exp(-lambda * (s - centre.Median) / centre.Scale));
        }
        else
        {
            sigmoid = 0.5;
        }

        var children = Math.Max(0, childCount(candidate.Id));
        return sigmoid / (1.0 + children);
    }

    private Candidate SelectRanked(IReadOnlyList<Candidate> ranked, Func<long, int> childCount, Random random)
    {
        var (start, end) = ScoreRanking.FiniteRange(ranked);
        var centre = CentreOfRanked(ranked, start, end);

        // Only scored programs have weight, at most 1; without any, every program has weight 0.5 / (1 + children).
        var (from, count, bound) = centre.Finite > 0 ? (start, end - start, 1.0) : (0, ranked.Count, 0.5);
        for (var attempt = 0; attempt < ScoreRanking.MaxRejectionAttempts; attempt++)
        {
            var proposal = ranked[from + random.Next(count)];
            if (random.NextDouble() * bound < Weight(proposal, childCount, centre, Lambda))
            {
                return proposal;
            }
        }

        var weights = ArrayPool<double>.Shared.Rent(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                weights[i] = Weight(ranked[from + i], childCount, centre, Lambda);
            }

            return ranked[from + ScoreRanking.SampleProportional(weights.AsSpan(0, count), random)];
        }
        finally
        {
            ArrayPool<double>.Shared.Return(weights);
        }
    }

    private static double Median(Span<double> values)
    {
        values.Sort();
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] / 2) + (values[mid] / 2);
    }

    /// <summary>The centre and scale of the finite scores.</summary>
    /// <param name="Finite">How many programs have a finite score; 0 leaves the other fields 0.</param>
    /// <param name="Median">Their median.</param>
    /// <param name="Scale">The MAD, or the mean absolute deviation when the MAD is 0.</param>
    internal readonly record struct ScoreCentre(int Finite, double Median, double Scale);
}
