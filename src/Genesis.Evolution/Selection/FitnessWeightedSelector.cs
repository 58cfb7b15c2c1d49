using System.Buffers;

namespace Genesis.Selection;

/// <summary>
/// Softmax over scores: <c>p_i ∝ exp((s_i − s_max) / T)</c> with a temperature relative to the spread of the scores,
/// <c>T = temperature · (s_max − s_min)</c> over the programs with a finite score. The worst scored program is therefore
/// <c>exp(−1 / temperature)</c> times as likely as the best whatever the task's scale or sign.
/// </summary>
/// <remarks>
/// <para>
/// Programs without a finite score get weight 0 unless no program has one, in which case the choice is uniform; equal scores
/// (zero spread) give a uniform choice among the scored programs.
/// </para>
/// <para>
/// Without a ranking: O(n) time, O(n) pooled memory. With <see cref="ParentSelectionContext.IsRanked"/> the best and worst
/// scores are the ends of the finite range (O(log n)) and a program is drawn by rejection: a uniform proposal among the
/// scored programs is accepted with probability equal to its weight (at most 1, the best's), which is exact and takes
/// <c>1 / mean weight</c> proposals on average, at most <c>e^(1/temperature)</c> (55 at the default). After
/// 256 rejected proposals the exact O(n) draw is made instead, so the
/// distribution is the same either way.
/// </para>
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

        return context.IsRanked ? SelectRanked(candidates, context.Random) : SelectUnranked(candidates, context.Random);
    }

    private Candidate SelectRanked(IReadOnlyList<Candidate> ranked, Random random)
    {
        var (start, end) = ScoreRanking.FiniteRange(ranked);
        var finite = end - start;
        if (finite == 0)
        {
            return ranked[random.Next(ranked.Count)];
        }

        var max = ScoreRanking.RankScore(ranked[start]);
        var min = ScoreRanking.RankScore(ranked[end - 1]);
        var spread = max - min;
        var t = Temperature * spread;
        if (!(spread > 0 && double.IsFinite(t) && t > 0))
        {
            return ranked[start + random.Next(finite)];
        }

        for (var attempt = 0; attempt < ScoreRanking.MaxRejectionAttempts; attempt++)
        {
            var proposal = ranked[start + random.Next(finite)];
            if (random.NextDouble() < Math.Exp((ScoreRanking.RankScore(proposal) - max) / t))
            {
                return proposal;
            }
        }

        var weights = ArrayPool<double>.Shared.Rent(finite);
        try
        {
            for (var i = 0; i < finite; i++)
            {
                weights[i] = Math.Exp((ScoreRanking.RankScore(ranked[start + i]) - max) / t);
            }

            return ranked[start + ScoreRanking.SampleProportional(weights.AsSpan(0, finite), random)];
        }
        finally
        {
            ArrayPool<double>.Shared.Return(weights);
        }
    }

    private Candidate SelectUnranked(IReadOnlyList<Candidate> candidates, Random random)
    {
        var n = candidates.Count;
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
            return candidates[random.Next(n)];
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

            return candidates[ScoreRanking.SampleProportional(weights.AsSpan(0, n), random)];
        }
        finally
        {
            ArrayPool<double>.Shared.Return(weights);
        }
    }
}
