using System.Buffers;

namespace Genesis.Selection;

/// <summary>
/// ShinkaEvolve's weighted selection, favouring good programs that have few children:
/// <c>w_i = sigmoid(λ · (s_i − median) / MAD) · 1 / (1 + children_i)</c>, normalised, where the median and the median
/// absolute deviation (MAD) are taken over the programs with a finite score.
/// </summary>
/// <remarks>
/// When the MAD is 0 (more than half the programs share one score) the mean absolute deviation from the median is used
/// instead, so a better minority is still preferred; when that is 0 too (all scores equal) every sigmoid is 0.5 and only
/// the child counts matter. Programs without a finite score get weight 0 unless no program has one, in which case all are
/// weighted by children alone. O(n log n) time (two sorts for the medians), O(n) pooled memory.
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

    /// <summary>Writes the unnormalised weight of every candidate into <paramref name="weights"/>.</summary>
    internal static void ComputeWeights(IReadOnlyList<Candidate> candidates, Func<long, int> childCount, double lambda, Span<double> weights)
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

            var values = scratch.AsSpan(0, finite);
            double median = 0, scale = 0;
            if (finite > 0)
            {
                median = Median(values);
                var meanAbsolute = 0.0;
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = Math.Abs(values[i] - median);
                    meanAbsolute += values[i];
                }

                meanAbsolute /= finite;
                var mad = Median(values);
                scale = mad > 0 ? mad : meanAbsolute;
            }

            for (var i = 0; i < n; i++)
            {
                var c = candidates[i];
                var s = ScoreRanking.RankScore(c);
                double sigmoid;
                if (finite == 0)
                {
                    sigmoid = 0.5;
                }
                else if (!double.IsFinite(s))
                {
                    sigmoid = 0;
                }
                else if (scale > 0 && double.IsFinite(scale))
                {
                    sigmoid = 1.0 / (1.0 + Math.Exp(-lambda * (s - median) / scale));
                }
                else
                {
                    sigmoid = 0.5;
                }

                var children = Math.Max(0, childCount(c.Id));
                weights[i] = sigmoid / (1.0 + children);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }
    }

    private static double Median(Span<double> values)
    {
        values.Sort();
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] / 2) + (values[mid] / 2);
    }
}
