using Genesis.Datasets;
using Genesis.Scoring;

namespace Genesis.GenomeTests.Scoring;

public sealed class MultipleChoiceScorerTests
{
    private static readonly TaskSample Cell = new()
    {
        Id = "mmlu-bio-17",
        Prompt = "Which organelle is known as the powerhouse of the cell?",
        Choices = ["Nucleus", "Mitochondria", "Ribosome", "Golgi apparatus"],
        References = ["B"],
    };

    public static TheoryData<string, string?, double> RealisticOutputs => new()
    {
        {
            "Mitochondria carry out cellular respiration and produce most of the cell's ATP, which is why they are called the powerhouse of the cell.\n\nThe answer is (B).",
            "B", 1
        },
        { "Answer: B", "B", 1 },
        { "**Answer:** B) Mitochondria", "B", 1 },
        { "I think the answer is B, not C. Ribosomes make proteins; they do not produce energy.", "B", 1 },
        {
            "Let's evaluate each option:\nA) Nucleus – stores DNA, not energy.\nB) Mitochondria – produce ATP.\nC) Ribosome – protein synthesis.\nD) Golgi apparatus – packaging and shipping.\n\n**B**",
            "B", 1
        },
        { "B", "B", 1 },
        { "Mitochondria", "B", 1 },
        {
            "Ribosomes synthesize proteins, the nucleus holds DNA, and the Golgi packages proteins, while mitochondria make ATP.\n\n(B)",
            "B", 1
        },
        {
            "Option A is incorrect because the nucleus stores genetic material. Option B is correct: mitochondria generate ATP through oxidative phosphorylation.",
            "B", 1
        },
        { "The powerhouse is the mitochondrion. The final answer is $\\boxed{B}$", "B", 1 },
        { "The correct option is C, because ribosomes are where the energy of the cell is made.", "C", 0 },
        { "The answer is B. Wait, ribosomes are more numerous... Actually, the answer is C.", null, 0 },
        { "Let's analyze each option.\nA) The nucleus contains the genetic", null, 0 },
        { "B) Mitochondria\n\nMitochondria convert nutrients into ATP, the energy currency of the cell.", "B", 1 },
        { "Answer: E", null, 0 },
    };

    [Theory]
    [MemberData(nameof(RealisticOutputs))]
    public async Task Scores_realistic_outputs_by_the_letter_they_commit_to(string output, string? expectedLetter, double expectedScore)
    {
        var score = await MultipleChoiceScorer.AToD.ScoreAsync(Cell, output);

        Assert.Equal(expectedLetter, score.ExtractedAnswer);
        Assert.Equal(expectedScore, score.Score);
        Assert.False(string.IsNullOrWhiteSpace(score.Reason));
    }

    [Fact]
    public async Task Two_different_asserted_letters_are_ambiguous_and_the_reason_names_both()
    {
        var score = await MultipleChoiceScorer.AToD.ScoreAsync(Cell, "The answer is B. Wait, ribosomes are more numerous... Actually, the answer is C.");

        Assert.Equal(0, score.Score);
        Assert.StartsWith("ambiguous: asserted B and C ('answer is B', 'answer is C')", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Says_when_nothing_was_found_and_when_a_letter_is_out_of_range()
    {
        var truncated = await MultipleChoiceScorer.AToD.ScoreAsync(Cell, "Let's analyze each option.\nA) The nucleus contains the genetic");
        var outside = await MultipleChoiceScorer.AToD.ScoreAsync(Cell, "Answer: E");

        Assert.Equal("no answer letter found; reference B", truncated.Reason);
        Assert.Equal("the output asserts E, which is not one of ABCD; reference B", outside.Reason);
    }

    [Fact]
    public async Task Five_options_allow_E()
    {
        var csqa = new TaskSample
        {
            Id = "csqa-1",
            Prompt = "Where would you put a plate after washing it?",
            Choices = ["dishwasher", "restaurant", "table", "kitchen floor", "cupboard"],
            References = ["E"],
        };

        var score = await MultipleChoiceScorer.AToE.ScoreAsync(csqa, "After washing, a clean plate is stored away until it is needed again, so the answer is E: cupboard.");

        Assert.Equal(1, score.Score);
        Assert.Equal("E", score.ExtractedAnswer);
    }

    [Fact]
    public async Task Without_options_the_configured_letter_set_applies()
    {
        var bare = new TaskSample { Id = "q", Prompt = "p", References = ["E"] };

        var fiveLetters = await new MultipleChoiceScorer("ABCDE").ScoreAsync(bare, "Answer: (E)");
        var fourLetters = await Assert.ThrowsAsync<ArgumentException>(() => new MultipleChoiceScorer("ABCD").ScoreAsync(bare, "Answer: (E)").AsTask());

        Assert.Equal(1, fiveLetters.Score);
        Assert.Contains("reference 'E', which is not one of ABCD", fourLetters.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abcd")]
    [InlineData("AAB")]
    [InlineData("AB1")]
    public void Rejects_a_bad_letter_set(string letters)
    {
        var error = Assert.Throws<ArgumentException>(() => new MultipleChoiceScorer(letters));

        Assert.Contains("letters must be distinct upper-case letters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_prefers_an_assertion_over_bold_option_labels()
    {
        var output = "**A) Nucleus**: stores DNA.\n**B) Mitochondria**: makes ATP.\n\nTherefore the correct answer is B.";

        var extraction = MultipleChoiceScorer.Extract(output, "ABCD");

        Assert.Equal("B", extraction.Answer);
        Assert.StartsWith("asserted", extraction.How, StringComparison.Ordinal);
    }
}
