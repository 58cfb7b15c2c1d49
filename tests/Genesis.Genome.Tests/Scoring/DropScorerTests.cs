using Genesis.Datasets;
using Genesis.Scoring;

namespace Genesis.GenomeTests.Scoring;

public sealed class DropScorerTests
{
    public static TheoryData<string, GoldAnswer[], string?, double, double> RealisticOutputs => new()
    {
        {
            "The Raiders opened the scoring in the first quarter with a 20-yard field goal by kicker Sebastian Janikowski.\nAnswer: Sebastian Janikowski",
            [new GoldAnswer("Sebastian Janikowski")], "Sebastian Janikowski", 1, 1
        },
        {
            "The Raiders scored 23 points and the Chiefs 17, so the difference is 23 - 17 = 6.\nAnswer: 6 points",
            [new GoldAnswer("6")], "6 points", 0, 0.67
        },
        {
            "The longest touchdown reception went to Schilens.\nAnswer: Schilens",
            [new GoldAnswer("Chaz Schilens"), new GoldAnswer("Schilens")], "Schilens", 1, 1
        },
        {
            "Two quarterbacks threw touchdown passes in the game.\nAnswer: JaMarcus Russell and Jason Campbell",
            [new GoldAnswer(["Jason Campbell", "JaMarcus Russell"])], "JaMarcus Russell and Jason Campbell", 1, 1
        },
        {
            "Answer: Jason Campbell",
            [new GoldAnswer(["Jason Campbell", "JaMarcus Russell"])], "Jason Campbell", 0, 0.5
        },
        {
            "The census counted 1,000 households in the town.\nAnswer: 1000.",
            [new GoldAnswer("1,000")], "1000", 1, 1
        },
        {
            "**Answer:** Oakland Raiders.",
            [new GoldAnswer("the Oakland Raiders")], "Oakland Raiders", 1, 1
        },
        {
            "Janikowski's longest field goal was in the third quarter.\nAnswer: 42 yards",
            [new GoldAnswer("24 yards")], "42 yards", 0, 0
        },
        {
            "Looking at the passage, the Raiders only scored in one period, so the answer is the second quarter. They were shut out otherwise.",
            [new GoldAnswer("second quarter")], "the second quarter", 1, 1
        },
        {
            "The passage states that the team moved in the second quarter.\n\nsecond quarter",
            [new GoldAnswer("second quarter")], "second quarter", 1, 1
        },
        {
            "The treaty was signed in May of that year, as the passage notes.\nAnswer: May 1995",
            [new GoldAnswer("May 1995")], "May 1995", 1, 1
        },
        {
            "Let me count the touchdowns. In the first quarter, the Raiders",
            [new GoldAnswer("2")], "Let me count the touchdowns. In the first quarter, the Raiders", 0, 0
        },
        {
            "Answer: 34-yard touchdown",
            [new GoldAnswer("34-yard")], "34-yard touchdown", 0, 0.8
        },
    };

    [Theory]
    [MemberData(nameof(RealisticOutputs))]
    public async Task Scores_realistic_outputs_by_exact_match_and_f1(string output, GoldAnswer[] golds, string? expectedAnswer, double expectedExact, double expectedF1)
    {
        var sample = new TaskSample { Id = "drop-q", Prompt = "p", References = golds };

        var exact = await new DropScorer().ScoreAsync(sample, output);
        var f1 = await new DropScorer(DropMetric.F1).ScoreAsync(sample, output);

        Assert.Equal(expectedAnswer, exact.ExtractedAnswer);
        Assert.Equal(expectedExact, exact.Metrics["em"]);
        Assert.Equal(expectedF1, exact.Metrics["f1"]);
        Assert.Equal(expectedExact, exact.Score);
        Assert.Equal(expectedF1, f1.Score);
    }

    [Theory]
    [InlineData("The Oakland Raiders!", "oakland raiders")]
    [InlineData("1,000 yards", "1000 yards")]
    [InlineData("3.50", "3.5")]
    [InlineData("a 20-yard field goal", "20 yard field goal")]
    [InlineData("  An   apple  ", "apple")]
    [InlineData("$5", "5")]
    public void Normalizes_the_drop_way(string text, string expected)
    {
        Assert.Equal(expected, DropMetrics.Normalize(text));
    }

    [Fact]
    public void Bag_of_spans_f1_pairs_spans_optimally()
    {
        // Spans are paired one to one whatever their order; an extra predicted span counts as a zero in the mean.
        var (exact, f1) = DropMetrics.Compare(["JaMarcus Russell", "Jason Campbell"], ["Jason Campbell", "JaMarcus Russell"]);
        var (_, partial) = DropMetrics.Compare(["Campbell", "Russell", "Tom Brady"], ["Jason Campbell", "JaMarcus Russell"]);

        Assert.Equal(1, exact);
        Assert.Equal(1, f1);
        Assert.Equal(Math.Round((2.0 / 3 + 2.0 / 3 + 0) / 3, 2), partial);
    }

    [Fact]
    public async Task The_reason_shows_both_metrics_and_the_closest_gold()
    {
        var sample = new TaskSample { Id = "q", Prompt = "p", References = ["6", "six"] };

        var score = await new DropScorer().ScoreAsync(sample, "Answer: 6 points");

        Assert.Equal("extracted '6 points' ('Answer: 6 points'); EM 0, F1 0.67; closest gold '6' of 2", score.Reason);
    }

    [Fact]
    public async Task The_ensemble_maximum_is_labelled_as_an_oracle()
    {
        var scorer = new DropScorer();
        var q1 = new TaskSample { Id = "q1", Prompt = "p", References = ["Sebastian Janikowski"] };
        var q2 = new TaskSample { Id = "q2", Prompt = "p", References = ["6"] };
        var members = new[]
        {
            new[] { await scorer.ScoreAsync(q1, "Answer: Janikowski"), await scorer.ScoreAsync(q1, "Answer: Sebastian Janikowski"), await scorer.ScoreAsync(q1, "Answer: Shane Lechler") },
            new[] { await scorer.ScoreAsync(q2, "Answer: 7"), await scorer.ScoreAsync(q2, "Answer: 5"), await scorer.ScoreAsync(q2, "Answer: 6 points") },
        };

        var em = DropScorer.Oracle(members);
        var f1 = DropScorer.Oracle(members, DropMetric.F1);

        Assert.True(em.IsOracle);
        Assert.Equal("DROP max-EM over ensemble members (oracle)", em.Label);
        Assert.Equal(0.5, em.Value);
        Assert.Equal("DROP max-F1 over ensemble members (oracle)", f1.Label);
        Assert.Equal((1 + 0.67) / 2, f1.Value, 10);
        Assert.Equal(2, em.Questions);
        Assert.Equal(3, em.Members);
        Assert.Equal("DROP max-EM over ensemble members (oracle): 0.5000", em.ToString());
    }

    [Fact]
    public async Task An_empty_output_scores_zero_with_both_metrics()
    {
        var sample = new TaskSample { Id = "q", Prompt = "p", References = ["6"] };

        var score = await new DropScorer().ScoreAsync(sample, "\n  \n");

        Assert.Equal(0, score.Score);
        Assert.Equal(0, score.Metrics["f1"]);
        Assert.Equal("the output is empty", score.Reason);
    }

    [Fact]
    public async Task A_sample_without_gold_answers_is_the_callers_mistake()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => new DropScorer().ScoreAsync(new TaskSample { Id = "q9", Prompt = "p" }, "Answer: 3").AsTask());

        Assert.Contains("DROP sample 'q9' has no gold answer", error.Message, StringComparison.Ordinal);
    }
}
