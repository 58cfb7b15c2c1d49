namespace Genesis.Selection;

/// <summary>
/// The one ordering every selector agrees on: higher <see cref="Candidate.Score"/> first, a non-finite low score
/// (negative infinity, or NaN from a misbehaving evaluator) lowest, ties broken by the smaller id so the order never
/// depends on the order of the input list.
/// </summary>
internal static class ScoreRanking
{
    /// <summary>
    /// How many proposals a rejection sampler makes before it falls back to the exact O(n) draw. Either way the result has
    /// the same distribution: a rejection sampler returns each program with probability proportional to its weight whether
    /// it stops early or not.
    /// </summary>
    public const int MaxRejectionAttempts = 256;

    /// <summary>The score used for ranking: NaN counts as negative infinity.</summary>
    public static double RankScore(Candidate candidate) => RankScore(candidate.Score);

    /// <summary>NaN counts as negative infinity.</summary>
    public static double RankScore(double score) => double.IsNaN(score) ? double.NegativeInfinity : score;

    /// <summary>Whether <paramref name="a"/> ranks before <paramref name="b"/>: a higher score, or an equal score and a smaller id.</summary>
    public static bool RanksBefore(Candidate a, Candidate b)
    {
        var sa = RankScore(a);
        var sb = RankScore(b);
        return sa > sb || (sa.Equals(sb) && a.Id < b.Id);
    }

    /// <summary>The indices of <paramref name="candidates"/>, best first. O(n log n) time, O(n) memory.</summary>
    public static int[] RankOrder(IReadOnlyList<Candidate> candidates)
    {
        var keys = new RankKey[candidates.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            var c = candidates[i];
            keys[i] = new RankKey(RankScore(c), c.Id, i);
        }

        Array.Sort(keys, RankKeyComparer.Instance);
        var order = new int[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            order[i] = keys[i].Index;
        }

        return order;
    }

    /// <summary>
    /// Draws an index with probability proportional to <paramref name="weights"/> (non-negative, finite). When every weight
    /// is zero the draw is uniform.
    /// </summary>
    public static int SampleProportional(ReadOnlySpan<double> weights, Random random)
    {
        var total = 0.0;
        foreach (var w in weights)
        {
            total += w;
        }

        if (!(total > 0) || double.IsInfinity(total))
        {
            return random.Next(weights.Length);
        }

        var target = random.NextDouble() * total;
        var cumulative = 0.0;
        var lastPositive = -1;
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0)
            {
                continue;
            }

            lastPositive = i;
            cumulative += weights[i];
            if (target < cumulative)
            {
                return i;
            }
        }

        // Rounding can leave the target a hair above the running sum; the last positive weight owns that sliver.
        return lastPositive;
    }

    /// <summary>
    /// The range [<c>Start</c>, <c>End</c>) of a ranked list (see <see cref="ParentSelectionContext.IsRanked"/>) that holds
    /// the finite scores: in this order a positive infinity comes first and negative infinity and NaN come last. Empty
    /// (<c>Start == End</c>) when no score is finite. O(log n), two binary searches.
    /// </summary>
    public static (int Start, int End) FiniteRange(IReadOnlyList<Candidate> ranked)
    {
        // First index whose score is below +inf.
        int lo = 0, hi = ranked.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (double.IsPositiveInfinity(RankScore(ranked[mid])))
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        var start = lo;

        // First index at or after start whose score is -inf (NaN counts as -inf).
        hi = ranked.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (double.IsNegativeInfinity(RankScore(ranked[mid])))
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return (start, lo);
    }

    /// <summary>
    /// The number of leading programs of a ranked list whose rank score is at least <paramref name="score"/>: the end of
    /// the run of programs tied with the first when <paramref name="score"/> is the first's. O(log n).
    /// </summary>
    public static int CountAtLeast(IReadOnlyList<Candidate> ranked, double score)
    {
        int lo = 0, hi = ranked.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (RankScore(ranked[mid]) >= score)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Throws when a selector is handed an empty population: the engine promises at least one program.</summary>
    public static IReadOnlyList<Candidate> RequireCandidates(ParentSelectionContext context, string selector)
    {
        ArgumentNullException.ThrowIfNull(context);
        var candidates = context.Candidates;
        if (candidates is null || candidates.Count == 0)
        {
            throw new ArgumentException($"{selector}: the context must hold at least one candidate.", nameof(context));
        }

        return candidates;
    }

    private readonly record struct RankKey(double Score, long Id, int Index);

    private sealed class RankKeyComparer : IComparer<RankKey>
    {
        public static readonly RankKeyComparer Instance = new();

        public int Compare(RankKey x, RankKey y)
        {
            var byScore = y.Score.CompareTo(x.Score);
            if (byScore != 0)
            {
                return byScore;
            }

            var byId = x.Id.CompareTo(y.Id);
            return byId != 0 ? byId : x.Index.CompareTo(y.Index);
        }
    }
}
