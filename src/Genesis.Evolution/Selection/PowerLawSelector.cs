namespace Genesis.Selection;

/// <summary>
/// ShinkaEvolve's power-law selection over rank: the programs are ranked by <see cref="Candidate.Score"/> (best first, ties
/// by the smaller id, failed programs last) and rank <c>r</c> (1-based) is chosen with probability proportional to
/// <c>r^(−alpha)</c>. <c>alpha = 0</c> is uniform; larger values exploit the top of the ranking harder.
/// </summary>
/// <remarks>
/// <para>
/// The cumulative rank weights are computed once per selector and extended as the population grows (amortised O(1) per
/// new program, 8 bytes per rank, never recomputed when the population shrinks), so drawing a rank is a binary search,
/// O(log n). With <see cref="ParentSelectionContext.IsRanked"/> that is the whole cost of a call and nothing is allocated;
/// otherwise the programs are sorted first: O(n log n) time and O(n) memory per call.
/// </para>
/// <para>
/// Both ways a draw is the same as summing the weights <c>r^(−alpha)</c> in rank order and walking them with one uniform
/// number: the same seed chooses the same rank. The selector is safe to call concurrently; the cache is an immutable array
/// swapped atomically.
/// </para>
/// </remarks>
public sealed class PowerLawSelector : IParentSelector
{
    private const int MinimumCacheLength = 1024;

    // Prefix sums of (r + 1)^(−alpha), r = 0 … Length − 1, summed left to right. Replaced, never mutated.
    private double[] _cumulative = [];

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
        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        if (context.IsRanked)
        {
            return candidates[SampleRank(candidates.Count, context.Random)];
        }

        var order = ScoreRanking.RankOrder(candidates);
        return candidates[order[SampleRank(order.Length, context.Random)]];
    }

    /// <summary>Draws a 0-based rank in [0, <paramref name="count"/>) with probability proportional to <c>(rank + 1)^(−alpha)</c>. O(log n).</summary>
    internal int SampleRank(int count, Random random)
    {
        if (Alpha == 0)
        {
            return random.Next(count);
        }

        var cumulative = CumulativeWeights(count);
        var total = cumulative[count - 1];
        if (!(total > 0) || double.IsInfinity(total))
        {
            return random.Next(count);
        }

        // The first rank whose running sum exceeds the target, as a linear walk over the weights would find it.
        var target = random.NextDouble() * total;
        int lo = 0, hi = count - 1;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (target < cumulative[mid])
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    /// <summary>The cached prefix sums, at least <paramref name="count"/> long; grown (doubling) when too short.</summary>
    private double[] CumulativeWeights(int count)
    {
        var cached = Volatile.Read(ref _cumulative);
        if (cached.Length >= count)
        {
            return cached;
        }

        var length = (int)Math.Min(Array.MaxLength, Math.Max((long)count, Math.Max(MinimumCacheLength, 2L * cached.Length)));
        var grown = new double[length];
        cached.CopyTo(grown, 0);
        var sum = cached.Length > 0 ? cached[^1] : 0.0;
        for (var r = cached.Length; r < grown.Length; r++)
        {
            sum += Math.Pow(r + 1, -Alpha);
            grown[r] = sum;
        }

        // Another thread may have grown the cache meanwhile; whichever array wins holds the same prefix sums.
        Interlocked.CompareExchange(ref _cumulative, grown, cached);
        return grown;
    }
}
