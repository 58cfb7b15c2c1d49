using CSharpSorting;
using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.CSharp;

public sealed class CSharpSortingSampleTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private EvaluationRequest Request(string code) => new()
    {
        CandidateId = 1,
        Code = code,
        Language = ProgramLanguage.CSharp,
        WorkingDirectory = _folder.Path,
        Backend = new FakeBackend(),
        Timeout = TimeSpan.FromMinutes(2),
    };

    [Fact]
    public async Task The_initial_program_sorts_correctly_and_scores_its_comparisons_against_the_lower_bound()
    {
        var task = new SortingTask();

        var result = await task.Evaluator.EvaluateAsync(Request(task.InitialProgram));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.True(result.Correct, result.TextFeedback);
        Assert.Equal(ProgramLanguage.CSharp, task.Language);
        var comparisons = result.PublicMetrics["comparisons"];
        Assert.Equal(SortingBenchmark.LowerBound / comparisons, result.Score, 12);
        // Shell's halving gaps need far more comparisons than the bound: there is room to evolve.
        Assert.InRange(result.Score, 0.2, 0.5);
        Assert.InRange(SortingBenchmark.LowerBound, 8529, 8530);
    }

    [Fact]
    public async Task The_score_is_deterministic()
    {
        var task = new SortingTask();

        var first = await task.Evaluator.EvaluateAsync(Request(task.InitialProgram));
        var second = await new SortingTask().Evaluator.EvaluateAsync(Request(task.InitialProgram));

        Assert.Equal(first.Score, second.Score);
    }

    [Fact]
    public async Task Better_gap_constants_score_higher()
    {
        var task = new SortingTask();
        var tuned = task.InitialProgram.Replace("GapGrowth = 2.0", "GapGrowth = 2.25", StringComparison.Ordinal);

        var initial = await task.Evaluator.EvaluateAsync(Request(task.InitialProgram));
        var better = await task.Evaluator.EvaluateAsync(Request(tuned));

        Assert.NotEqual(task.InitialProgram, tuned);
        Assert.True(better.Correct);
        Assert.True(better.Score > initial.Score, $"{better.Score} should beat {initial.Score}");
        Assert.True(better.Score < task.MaxScore);
    }

    [Theory]
    [InlineData("public static void Sort(int[] items, Comparison<int> compare) { }", "Incorrect on two items in descending order: not sorted")]
    [InlineData("public static void Sort(int[] items, Comparison<int> compare) { Array.Sort(items); }", "Incorrect on two items in descending order: not sorted")]
    [InlineData("public static void Sort(int[] items, Comparison<int> compare) { Array.Fill(items, 0); }", "Incorrect on two items in descending order: the items are no longer the original ids")]
    public async Task A_program_that_does_not_sort_is_incorrect_and_scores_zero(string sort, string feedback)
    {
        var task = new SortingTask();

        var result = await task.Evaluator.EvaluateAsync(Request($"public static class Candidate {{ {sort} }}"));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.False(result.Correct);
        Assert.Equal(0, result.Score);
        Assert.StartsWith(feedback, result.TextFeedback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_insertion_sort_comes_close_to_the_bound()
    {
        const string code =
            """
            public static class Candidate
            {
                public static void Sort(int[] items, Comparison<int> compare)
                {
                    for (var i = 1; i < items.Length; i++)
                    {
                        var item = items[i];
                        int lo = 0, hi = i;
                        while (lo < hi)
                        {
                            var mid = (lo + hi) / 2;
                            if (compare(items[mid], item) <= 0) lo = mid + 1; else hi = mid;
                        }

                        Array.Copy(items, lo, items, lo + 1, i - lo);
                        items[lo] = item;
                    }
                }
            }
            """;
        var task = new SortingTask();

        var result = await task.Evaluator.EvaluateAsync(Request(code));

        Assert.True(result.Correct, result.TextFeedback);
        Assert.InRange(result.Score, 0.9, 1.0);
    }
}
