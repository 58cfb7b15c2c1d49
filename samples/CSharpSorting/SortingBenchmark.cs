using System.Globalization;
using Genesis;

namespace CSharpSorting;

/// <summary>
/// Scores a sort that sees only item ids and a comparison of their hidden keys: first correctness on edge cases and on
/// random arrays, then the comparisons it makes on <see cref="MeasuredArrays"/> random arrays of <see cref="Length"/>
/// distinct keys, against the lower bound log2(n!) of any comparison sort. Deterministic: the arrays come from a fixed
/// seed and comparisons are counted, not timed, so the same program always gets the same score.
/// </summary>
public static class SortingBenchmark
{
    /// <summary>The number of items in each measured array.</summary>
    public const int Length = 1000;

    /// <summary>How many random arrays are measured; the score uses their mean.</summary>
    public const int MeasuredArrays = 8;

    private const int Seed = 20250101;

    private static readonly (string Name, int[] Keys)[] EdgeCases = CreateEdgeCases();

    private static readonly int[][] Measured = CreateMeasured();

    /// <summary>log2(n!) for n = <see cref="Length"/>: no comparison sort needs fewer comparisons on average (about 8530).</summary>
    public static double LowerBound { get; } = Enumerable.Range(2, Length - 1).Sum(k => Math.Log2(k));

    /// <summary>Checks and measures <paramref name="sort"/>.</summary>
    /// <param name="sort">The candidate's <c>Candidate.Sort(int[] items, Comparison&lt;int&gt; compare)</c>.</param>
    /// <param name="cancellationToken">Cancelled at the evaluation's timeout; checked between arrays.</param>
    public static EvaluationResult Score(Action<int[], Comparison<int>> sort, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sort);
        foreach (var (name, keys) in EdgeCases)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Run(sort, keys, out _) is { } problem)
            {
                return Incorrect($"{name}: {problem}");
            }
        }

        long total = 0;
        for (var a = 0; a < Measured.Length; a++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Run(sort, Measured[a], out var comparisons) is { } problem)
            {
                return Incorrect($"random array {a + 1} of {Length} items: {problem}");
            }

            total += comparisons;
        }

        var mean = (double)total / Measured.Length;
        var metrics = new Dictionary<string, double>
        {
            ["comparisons"] = mean,
            ["comparisons_per_item"] = mean / Length,
            ["lower_bound"] = LowerBound,
        };
        var feedback = string.Create(
            CultureInfo.InvariantCulture,
            $"Sorted every test array. {mean:F1} comparisons per array of {Length} items on average; no comparison sort can average fewer than log2({Length}!) = {LowerBound:F1}.");
        return EvaluationResult.Success(LowerBound / mean, correct: true, feedback, metrics);
    }

    /// <summary>Sorts the ids 0..n-1 by <paramref name="keys"/>; returns why the result is wrong, or <see langword="null"/>.</summary>
    private static string? Run(Action<int[], Comparison<int>> sort, int[] keys, out long comparisons)
    {
        long count = 0;
        var items = Enumerable.Range(0, keys.Length).ToArray();
        sort(items, (a, b) =>
        {
            count++;
            return keys[a].CompareTo(keys[b]);
        });
        comparisons = count;

        if (items.Length != keys.Length)
        {
            return $"the array has {items.Length} items after sorting, expected {keys.Length}";
        }

        var seen = new bool[keys.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var id = items[i];
            if (id < 0 || id >= keys.Length || seen[id])
            {
                return $"the items are no longer the original ids (position {i} holds {id}): sort them in place, do not invent or copy ids";
            }

            seen[id] = true;
            if (i > 0 && keys[items[i - 1]] > keys[id])
            {
                return $"not sorted: the item at position {i - 1} has a larger key than the item at position {i}";
            }
        }

        return null;
    }

    private static EvaluationResult Incorrect(string problem) =>
        EvaluationResult.Success(0, correct: false, textFeedback: $"Incorrect on {problem}.");

    private static (string Name, int[] Keys)[] CreateEdgeCases()
    {
        var random = new Random(Seed);
        return
        [
            ("an empty array", []),
            ("a single item", [5]),
            ("two items in descending order", [2, 1]),
            ("100 items already sorted", Enumerable.Range(0, 100).ToArray()),
            ("100 items in descending order", Enumerable.Range(0, 100).Reverse().ToArray()),
            ("50 items with equal keys", Enumerable.Repeat(7, 50).ToArray()),
            ("300 items with only 5 distinct keys", Enumerable.Range(0, 300).Select(_ => random.Next(5)).ToArray()),
            ("257 items with random keys", Enumerable.Range(0, 257).Select(_ => random.Next()).ToArray()),
        ];
    }

    private static int[][] CreateMeasured()
    {
        var random = new Random(Seed + 1);
        var arrays = new int[MeasuredArrays][];
        for (var a = 0; a < arrays.Length; a++)
        {
            // Distinct keys in random order: the setting in which log2(n!) bounds the mean number of comparisons.
            var keys = Enumerable.Range(0, Length).ToArray();
            random.Shuffle(keys);
            arrays[a] = keys;
        }

        return arrays;
    }
}
