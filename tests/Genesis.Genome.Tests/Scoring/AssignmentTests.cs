using Genesis.Scoring;

namespace Genesis.GenomeTests.Scoring;

public sealed class AssignmentTests
{
    [Fact]
    public void Matches_brute_force_on_seeded_random_matrices()
    {
        var random = new Random(2024);
        for (var n = 1; n <= 6; n++)
        {
            for (var trial = 0; trial < 40; trial++)
            {
                var scores = new double[n, n];
                for (var r = 0; r < n; r++)
                {
                    for (var c = 0; c < n; c++)
                    {
                        // Coarse values make ties common, which is where pairing bugs hide.
                        scores[r, c] = random.Next(0, 4) / 3.0;
                    }
                }

                var assignment = Assignment.Maximize(scores);

                Assert.Equal(n, assignment.Distinct().Count());
                var total = Enumerable.Range(0, n).Sum(r => scores[r, assignment[r]]);
                Assert.Equal(BruteForce(scores), total, 9);
            }
        }
    }

    private static double BruteForce(double[,] scores)
    {
        var n = scores.GetLength(0);
        var best = double.NegativeInfinity;
        foreach (var permutation in Permutations(Enumerable.Range(0, n).ToArray(), 0))
        {
            best = Math.Max(best, Enumerable.Range(0, n).Sum(r => scores[r, permutation[r]]));
        }

        return best;
    }

    private static IEnumerable<int[]> Permutations(int[] items, int start)
    {
        if (start == items.Length)
        {
            yield return (int[])items.Clone();
            yield break;
        }

        for (var i = start; i < items.Length; i++)
        {
            (items[start], items[i]) = (items[i], items[start]);
            foreach (var permutation in Permutations(items, start + 1))
            {
                yield return permutation;
            }

            (items[start], items[i]) = (items[i], items[start]);
        }
    }
}
