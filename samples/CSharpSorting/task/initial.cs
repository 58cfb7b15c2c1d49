// Sorting by comparisons, a Genesis sample. Candidate.Sort must reorder the item ids in `items` so that their keys
// ascend. It cannot see the keys: compare(a, b) is negative when item a's key is smaller than item b's, zero when they
// are equal and positive when it is larger. The score is log2(n!), the fewest comparisons any comparison sort needs on
// average, divided by the comparisons this program makes on random arrays of 1000 items: higher is better and about 1
// is the limit. A program that leaves any test array unsorted is not correct and scores 0.
//
// Only the code between the EVOLVE-BLOCK markers evolves. It starts as Shell sort with gaps that grow geometrically
// from 1, the halving of Shell's original paper; the three constants decide how many comparisons it makes, and the
// block holds no other numeric literal. The helpers below the block may be used or ignored.

// EVOLVE-BLOCK-START
public static class Candidate
{
    // Each gap is the previous one times GapGrowth plus GapOffset, rounded down.
    private const double GapGrowth = 2.0;
    private const double GapOffset = 0.0;

    // The largest gap is at most this fraction of the number of items.
    private const double MaxGapFraction = 0.5;

    public static void Sort(int[] items, Comparison<int> compare)
    {
        foreach (var gap in SortKit.GeometricGaps(items.Length, GapGrowth, GapOffset, MaxGapFraction))
        {
            SortKit.InsertionSortWithGap(items, compare, gap);
        }
    }
}
// EVOLVE-BLOCK-END

/// <summary>Helpers for the candidate.</summary>
public static class SortKit
{
    /// <summary>
    /// The gaps g(0) = 1 &lt; g(1) &lt; ... with g(k + 1) = max(g(k) + 1, floor(g(k) * growth + offset)), up to
    /// n * maxFraction, largest first. The last gap is always 1, so a gapped insertion sort over them always sorts.
    /// </summary>
    public static IEnumerable<int> GeometricGaps(int n, double growth, double offset, double maxFraction)
    {
        var gaps = new List<int> { 1 };
        while (true)
        {
            var last = gaps[^1];
            var next = Math.Max(last + 1, (long)Math.Floor(last * growth + offset));
            if (next > n * maxFraction || next > int.MaxValue)
            {
                break;
            }

            gaps.Add((int)next);
        }

        gaps.Reverse();
        return gaps;
    }

    /// <summary>Insertion sort of the items that lie <paramref name="gap"/> apart (a gap of 1 is plain insertion sort).</summary>
    public static void InsertionSortWithGap(int[] items, Comparison<int> compare, int gap)
    {
        for (var i = gap; i < items.Length; i++)
        {
            var item = items[i];
            var j = i;
            while (j >= gap && compare(items[j - gap], item) > 0)
            {
                items[j] = items[j - gap];
                j -= gap;
            }

            items[j] = item;
        }
    }
}
