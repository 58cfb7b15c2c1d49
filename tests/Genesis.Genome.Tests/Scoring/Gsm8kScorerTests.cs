using Genesis.Datasets;
using Genesis.Scoring;

namespace Genesis.GenomeTests.Scoring;

public sealed class Gsm8kScorerTests
{
    public static TheoryData<string, string, string?, double> RealisticOutputs => new()
    {
        // Chain of thought with several numbers, GSM8K's own "####" convention at the end.
        {
            "Janet's ducks lay 16 eggs per day. She eats 3 for breakfast and bakes muffins with 4, so she uses 3 + 4 = 7 eggs.\n" +
            "That leaves 16 - 7 = 9 eggs, which she sells at $2 each.\nSo she makes 9 * 2 = $18 every day.\n#### 18",
            "18", "18", 1
        },

        // Markdown and LaTeX: the boxed number after a bold heading.
        {
            "**Step 1:** Eggs left: 16 - 3 - 4 = 9.\n**Step 2:** Revenue: 9 × $2 = $18.\n\n**Final Answer:** The final answer is $\\boxed{18}$.",
            "18", "18", 1
        },

        // Thousands separators and a dollar sign in the answer phrase.
        {
            "The laptop costs $1,250 and the monitor costs $750.\nTogether that is 1,250 + 750 = 2,000 dollars.\nThe answer is $2,000.",
            "2000", "2000", 1
        },

        // A price written with a trailing zero is the same number.
        {
            "Each notebook costs $7.00 and he has a coupon for half off, so he pays 7 / 2 = 3.5 dollars per notebook.\nAnswer: $3.50",
            "3.5", "3.5", 1
        },

        // The answer phrase is followed by the calculation: the result after "=" is the answer, not the first operand.
        {
            "She runs 3 sprints 3 times a week, and each sprint is 60 meters.\nSo the answer is 3 * 3 * 60 = 540 meters.",
            "540", "540", 1
        },

        // No marker at all: the last number of the reasoning.
        {
            "Tom has 5 apples and buys 7 more.\nHe now has 5 + 7 = 12 apples in total.",
            "12", "12", 1
        },

        // The model commits to a wrong final number.
        {
            "Betty has half of the $100 she needs, so $50. Her parents give $15 and her grandparents twice that, $30.\n" +
            "She still needs 100 - 50 - 15 - 30 = 5 dollars... wait, I'll double the parents' gift.\n#### 20",
            "5", "20", 0
        },

        // Truncated output (max_tokens hit mid-calculation): the last number seen is not the answer.
        {
            "First, we compute the eggs left after breakfast: 16 - 3 = 13.\nThen she uses 4 for muffins, so 13 - 4 =",
            "9", "4", 0
        },

        // A percentage.
        {
            "The shirt was $40 and is now $30, a drop of $10.\n10 / 40 = 0.25, so the discount is 25%.\nThe answer is 25%.",
            "25", "25", 1
        },

        // A negative answer after the GSM8K marker.
        {
            "The temperature was 7 degrees and fell by 12 degrees overnight.\n7 - 12 = -5\n#### -5",
            "-5", "-5", 1
        },

        // A fraction compared by value with a decimal reference.
        {
            "He ate 1/4 of the pizza and his sister ate 1/2, so together they ate 1/4 + 2/4 = 3/4 of it.\nThe answer is 3/4",
            "0.75", "0.75", 1
        },

        // Self-correction: the last answer phrase wins.
        {
            "At first I thought the answer is 12, but I forgot the 3 extra marbles Sam found.\nCorrected: 12 + 3 = 15.\nThe answer is 15.",
            "15", "15", 1
        },

        // Bold number after "####" with a dollar sign and cents.
        {
            "Total cost: 4 tickets × $250 = $1,000.\n#### **$1,000.00**",
            "1000", "1000", 1
        },

        // A refusal has no number.
        {
            "I'm sorry, but the problem does not give enough information to determine how many cookies are left.",
            "3", null, 0
        },
    };

    [Theory]
    [MemberData(nameof(RealisticOutputs))]
    public async Task Scores_realistic_outputs_by_their_final_number(string output, string reference, string? expectedAnswer, double expectedScore)
    {
        var sample = new TaskSample { Id = "q", Prompt = "p", References = [reference] };

        var score = await Gsm8kScorer.Instance.ScoreAsync(sample, output);

        Assert.Equal(expectedAnswer, score.ExtractedAnswer);
        Assert.Equal(expectedScore, score.Score);
        Assert.False(string.IsNullOrWhiteSpace(score.Reason));
    }

    [Fact]
    public async Task Accepts_a_full_gsm8k_answer_as_the_reference()
    {
        var sample = new TaskSample
        {
            Id = "natalia",
            Prompt = "p",
            References = ["Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.\n#### 72"],
        };

        var score = await Gsm8kScorer.Instance.ScoreAsync(sample, "She sold 48 clips in April and half as many, 24, in May: 72 altogether.\n#### 72");

        Assert.Equal(1, score.Score);
        Assert.Contains("reference 72", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explains_how_the_number_was_found()
    {
        var sample = new TaskSample { Id = "q", Prompt = "p", References = ["18"] };

        var marked = await Gsm8kScorer.Instance.ScoreAsync(sample, "9 * 2 = 18\n#### 18");
        var last = await Gsm8kScorer.Instance.ScoreAsync(sample, "She makes 9 * 2 = 20 dollars.");
        var empty = await Gsm8kScorer.Instance.ScoreAsync(sample, "  ");

        Assert.Equal("extracted 18 ('#### 18'); reference 18", marked.Reason);
        Assert.Equal("extracted 20 (last number in the output); reference 18", last.Reason);
        Assert.Equal("the output is empty; reference 18", empty.Reason);
        Assert.Null(empty.ExtractedAnswer);
    }

    [Fact]
    public async Task Any_of_several_references_counts()
    {
        var sample = new TaskSample { Id = "q", Prompt = "p", References = ["0.5", "50"] };

        var score = await Gsm8kScorer.Instance.ScoreAsync(sample, "Half of them, so 50%.\n#### 50%");

        Assert.Equal(1, score.Score);
    }

    [Fact]
    public async Task A_sample_without_a_numeric_reference_is_the_callers_mistake()
    {
        var none = new TaskSample { Id = "q1", Prompt = "p" };
        var text = new TaskSample { Id = "q2", Prompt = "p", References = ["eighteen"] };

        var missing = await Assert.ThrowsAsync<ArgumentException>(() => Gsm8kScorer.Instance.ScoreAsync(none, "#### 18").AsTask());
        var bad = await Assert.ThrowsAsync<ArgumentException>(() => Gsm8kScorer.Instance.ScoreAsync(text, "#### 18").AsTask());

        Assert.Contains("'q1' has no reference", missing.Message, StringComparison.Ordinal);
        Assert.Contains("'q2' has a reference that is not a number: 'eighteen'", bad.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1,000", "1000")]
    [InlineData("$3.50", "3.5")]
    [InlineData("3.50.", "3.5")]
    [InlineData("45%", "45")]
    [InlineData("−7", "-7")]
    [InlineData("0.125", "0.125")]
    [InlineData("12,345,678", "12345678")]
    public void Extract_normalises_numbers(string written, string canonical)
    {
        Assert.Equal(canonical, Gsm8kScorer.Extract("The answer is " + written).Answer);
    }

    [Fact]
    public async Task Honours_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var sample = new TaskSample { Id = "q", Prompt = "p", References = ["1"] };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Gsm8kScorer.Instance.ScoreAsync(sample, "#### 1", cancelled.Token).AsTask());
    }
}
