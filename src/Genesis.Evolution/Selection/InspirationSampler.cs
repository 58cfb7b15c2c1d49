namespace Genesis.Selection;

/// <summary>
/// Picks the programs shown to a mutator next to its parent: first the run's best program, then the island's top programs by
/// score, then diverse programs drawn at random from the elites of other islands (or MAP-Elites cells). The parent, repeated
/// ids and programs whose code equals the parent's are never shown.
/// </summary>
internal static class InspirationSampler
{
    /// <summary>Chooses up to <paramref name="count"/> inspirations.</summary>
    /// <param name="parent">The parent; never returned.</param>
    /// <param name="islandPrograms">The programs of the parent's island.</param>
    /// <param name="best">The best program of the run, shown first when given; may be <see langword="null"/>.</param>
    /// <param name="elites">Elites from elsewhere (other islands, archive cells) to draw the diverse inspirations from.</param>
    /// <param name="count">How many inspirations at most, at least 0.</param>
    /// <param name="topK">How many of the island's best programs to include, at least 0.</param>
    /// <param name="random">The random source for the diverse draws.</param>
    /// <returns>The inspirations, best and top programs first, best first among them.</returns>
    public static IReadOnlyList<Candidate> Sample(
        Candidate parent,
        IReadOnlyList<Candidate> islandPrograms,
        Candidate? best,
        IReadOnlyList<Candidate> elites,
        int count,
        int topK,
        Random random)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(islandPrograms);
        ArgumentNullException.ThrowIfNull(elites);
        ArgumentNullException.ThrowIfNull(random);
        OptionChecks.InRange(count, 0, int.MaxValue, nameof(InspirationSampler), nameof(count));
        OptionChecks.InRange(topK, 0, int.MaxValue, nameof(InspirationSampler), nameof(topK));

        var chosen = new List<Candidate>(count);
        if (count == 0)
        {
            return chosen;
        }

        var seen = new HashSet<long> { parent.Id };
        bool TryTake(Candidate candidate)
        {
            if (chosen.Count >= count || string.Equals(candidate.Code, parent.Code, StringComparison.Ordinal) || !seen.Add(candidate.Id))
            {
                return false;
            }

            chosen.Add(candidate);
            return true;
        }

        if (best is not null)
        {
            TryTake(best);
        }

        foreach (var top in TopByScore(islandPrograms, parent.Id, Math.Min(topK, count)))
        {
            TryTake(top);
        }

        // A partial Fisher–Yates shuffle over the elites' indices: each draw is uniform among those not drawn yet.
        var indices = new int[elites.Count];
        for (var i = 0; i < indices.Length; i++)
        {
            indices[i] = i;
        }

        for (var i = 0; i < indices.Length && chosen.Count < count; i++)
        {
            var j = random.Next(i, indices.Length);
            (indices[i], indices[j]) = (indices[j], indices[i]);
            TryTake(elites[indices[i]]);
        }

        return chosen;
    }

    /// <summary>The <paramref name="k"/> best programs other than the parent, best first, in O(n·k) time and O(k) memory.</summary>
    private static List<Candidate> TopByScore(IReadOnlyList<Candidate> programs, long parentId, int k)
    {
        var top = new List<Candidate>(k);
        if (k == 0)
        {
            return top;
        }

        foreach (var c in programs)
        {
            if (c.Id == parentId)
            {
                continue;
            }

            if (top.Count == k && !ScoreRanking.RanksBefore(c, top[^1]))
            {
                continue;
            }

            var at = top.Count;
            while (at > 0 && ScoreRanking.RanksBefore(c, top[at - 1]))
            {
                at--;
            }

            top.Insert(at, c);
            if (top.Count > k)
            {
                top.RemoveAt(top.Count - 1);
            }
        }

        return top;
    }
}
