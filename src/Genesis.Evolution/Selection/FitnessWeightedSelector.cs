using System.Buffers;

namespace Genesis.Selection;

/// <summary>
/// Softmax over scores: <c>p_i ∝ exp((s_i − s_max) / T)</c> with a temperature relative to the spread of the scores,
/// <c>T = temperature · (s_max − s_min)</c> over the programs with a finite score. The worst scored program is therefore
/// <c>exp(−1 / temperature)</c> times as likely as the best whatever the task's scale or sign.
/// </summary>
/// <remarks>
/// Programs without a finite score get weight 0 unless no program has one, in which case the choice is uniform; equal scores
/// (zero spread) give a uniform choice among the scored programs. O(n) time; O(n) pooled memory.
/// </remarks>
public sealed class FitnessWeightedSelector : IParentSelector
{
    /// <summary>The default relative temperature: the worst program is <c>e^−4 ≈ 1.8%</c> as likely as the best.</summary>
    public const double DefaultTemperature = 0.25;

    /// <summary>Creates the selector.</summary>
    /// <param name="temperature">The temperature relative to the score spread, between 0.001 and 1000. Default <see cref="DefaultTemperature"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="temperature"/> is outside [0.001, 1000].</exception>
    public FitnessWeightedSelector(double temperature = DefaultTemperature)
    {
        Temperature = OptionChecks.InRange(temperature, 0.001, 1000, nameof(FitnessWeightedSelector), nameof(temperature));
    }

    /// <summary>The temperature relative to the score spread.</summary>
    public double Temperature { get; }

    /// <inheritdoc />
    public Candidate Select(ParentSelectionContext context)
    {
        var candidates = ScoreRanking.RequireCandidates(context, nameof(FitnessWeightedSelector));
        var n = candidates.Count;
        if (n == 1)
        {
            return candidates[0];
        }

        var max = double.NegativeInfinity;
        var min = double.PositiveInfinity;
        foreach (var c in candidates)
        {
            var s = ScoreRanking.RankScore(c);
            if (double.IsFinite(s))
            {
                max = Math.Max(max, s);
                min = Math.Min(min, s);
            }
        }

        if (double.IsNegativeInfinity(max))
        {
            return candidates[context.Random.Next(n)];
        }

        var spread = max - min;
        var t = Temperature * spread;
        var weights = ArrayPool<double>.Shared.Rent(n);
        try
        {
            for (var i = 0; i < n; i++)
            {
                var s = ScoreRanking.RankScore(candidates[i]);
                weights[i] = !double.IsFinite(s) ? 0
                    : spread > 0 && double.IsFinite(t) && t > 0 ? Math.Exp((s - max) / t)
                    : 1;
            }

            return candidates[ScoreRanking.SampleProportional(weights.AsSpan(0, n), context.Random)];
        }
        finally
        {
            ArrayPool<double>.Shared.Return(weights);
        }
    }
}
