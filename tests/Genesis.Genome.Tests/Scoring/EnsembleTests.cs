using Genesis.Datasets;
using Genesis.Scoring;

namespace Genesis.GenomeTests.Scoring;

public sealed class EnsembleTests
{
    private static readonly TaskSample Ducks = new() { Id = "ducks", Prompt = "p", References = ["18"] };

    [Fact]
    public void Tally_counts_votes_and_abstentions()
    {
        var vote = MajorityVote.Tally(["18", "18", "20", null, "18"]);

        Assert.Equal(["18"], vote.Winners);
        Assert.Equal(3, vote.WinningVotes);
        Assert.Equal(4, vote.Votes);
        Assert.Equal(1, vote.Abstentions);
        Assert.False(vote.IsTie);
        Assert.Equal(1, vote.Credit(a => a == "18"));
    }

    [Theory]
    [InlineData(new[] { "18", "20" }, 0.5)]
    [InlineData(new[] { "18", "20", "20", "18" }, 0.5)]
    [InlineData(new[] { "18", "20", "21" }, 1.0 / 3)]
    [InlineData(new[] { "19", "20", "20", "19", "18" }, 0)]
    [InlineData(new[] { "18", "18", "20", "20", "21", "21", "22", "22" }, 0.25)]
    public void A_tie_earns_one_over_the_number_tied_when_the_reference_is_among_them(string[] answers, double credit)
    {
        var vote = MajorityVote.Tally(answers);

        Assert.Equal(credit, vote.Credit(a => a == "18"), 12);
    }

    [Fact]
    public void Everyone_abstaining_earns_nothing()
    {
        var vote = MajorityVote.Tally([null, null]);

        Assert.Empty(vote.Winners);
        Assert.Equal(0, vote.Credit(_ => true));
    }

    [Fact]
    public void A_custom_comparer_merges_answers()
    {
        var vote = MajorityVote.Tally(["b", "B", "C"], StringComparer.OrdinalIgnoreCase);

        Assert.Equal(["b"], vote.Winners);
        Assert.Equal(2, vote.WinningVotes);
    }

    [Fact]
    public async Task Votes_on_what_the_scorer_extracted_from_real_outputs()
    {
        var outputs = new[]
        {
            "She sells 16 - 3 - 4 = 9 eggs at $2, so 9 * 2 = 18.\n#### 18",
            "9 eggs × $2 = $18.00 per day. The answer is $18.00.",
            "16 - 3 = 13, 13 - 4 = 9, and 9 + 2 = 11.\n#### 11",
            "I'm not sure.",
            "She makes **$18** every day.\n\nFinal answer: 18",
        };
        var members = new List<SampleScore>();
        foreach (var output in outputs)
        {
            members.Add(await Gsm8kScorer.Instance.ScoreAsync(Ducks, output));
        }

        var vote = MajorityVote.Score(members);

        Assert.Equal(1, vote.Score);
        Assert.Equal("18", vote.ExtractedAnswer);
        Assert.Equal("18 won with 3 of 4 votes, correct; 1 abstained", vote.Reason);
    }

    [Fact]
    public async Task A_two_way_tie_with_the_reference_scores_one_half_as_in_genome()
    {
        var members = new[]
        {
            await Gsm8kScorer.Instance.ScoreAsync(Ducks, "#### 18"),
            await Gsm8kScorer.Instance.ScoreAsync(Ducks, "#### 20"),
            await Gsm8kScorer.Instance.ScoreAsync(Ducks, "The answer is 20."),
            await Gsm8kScorer.Instance.ScoreAsync(Ducks, "So 9 × 2 = 18 dollars."),
        };

        var vote = MajorityVote.Score(members);

        Assert.Equal(0.5, vote.Score);
        Assert.Null(vote.ExtractedAnswer);
        Assert.Equal("tie between 18, 20 (2 votes each); 1 of 2 correct, credit 0.5", vote.Reason);
    }

    [Fact]
    public void Majority_vote_accuracy_is_not_an_oracle()
    {
        SampleScore S(string answer, double score) => new() { Score = score, ExtractedAnswer = answer, Reason = "r" };
        var questions = new[]
        {
            new[] { S("B", 1), S("B", 1), S("C", 0) },
            new[] { S("A", 0), S("D", 1), S("C", 0) },
        };

        var aggregate = Ensemble.MajorityVoteAccuracy(questions, "MMLU");

        Assert.False(aggregate.IsOracle);
        Assert.Equal("MMLU majority vote over 3 members", aggregate.Label);
        Assert.Equal((1 + 1.0 / 3) / 2, aggregate.Value, 12);
    }

    [Fact]
    public void Best_of_members_is_always_labelled_an_oracle()
    {
        var questions = new[]
        {
            new[] { new SampleScore { Score = 0, Reason = "r" }, new SampleScore { Score = 1, Reason = "r" } },
        };

        var aggregate = Ensemble.BestOfMembers(questions, "GSM8K", "accuracy");

        Assert.True(aggregate.IsOracle);
        Assert.Equal("GSM8K max-accuracy over ensemble members (oracle)", aggregate.Label);
        Assert.Equal(1, aggregate.Value);
    }

    [Fact]
    public void Ensemble_figures_need_questions_with_members()
    {
        var none = Assert.Throws<ArgumentException>(() => Ensemble.MajorityVoteAccuracy([], "GSM8K"));
        var empty = Assert.Throws<ArgumentException>(() => Ensemble.BestOfMembers([[]], "GSM8K"));
        var noScores = Assert.Throws<ArgumentException>(() => MajorityVote.Score([]));

        Assert.Contains("at least one question", none.Message, StringComparison.Ordinal);
        Assert.Contains("question 0 has no member score", empty.Message, StringComparison.Ordinal);
        Assert.Contains("at least one member score", noScores.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probability_average_takes_the_argmax_of_the_mean_distribution()
    {
        var vote = ProbabilityAverage.Combine([[0.6, 0.3, 0.1, 0.0], [0.2, 0.5, 0.2, 0.1], [0.1, 0.7, 0.1, 0.1]]);

        Assert.Equal([1], vote.Winners);
        Assert.Equal("B", vote.WinnerLetter);
        Assert.Equal(0.5, vote.Average[1], 12);
        Assert.Equal(1.0, vote.Average.Sum(), 12);
        Assert.Equal(1, vote.Credit(1));
        Assert.Equal(0, vote.Credit(0));
    }

    [Fact]
    public void Probability_rows_are_normalised_before_averaging_and_ties_share_credit()
    {
        // Member 1 gives raw weights 3:1 (0.75, 0.25), member 2 gives 0.25, 0.75: a tie.
        var vote = ProbabilityAverage.Combine([[3.0, 1.0], [0.25, 0.75]]);

        Assert.Equal([0, 1], vote.Winners);
        Assert.Null(vote.WinnerLetter);
        Assert.Equal(0.5, vote.Credit(1));
    }

    [Fact]
    public void Probability_average_rejects_malformed_rows_naming_the_member()
    {
        var lengths = Assert.Throws<ArgumentException>(() => ProbabilityAverage.Combine([[0.5, 0.5], [1.0]]));
        var negative = Assert.Throws<ArgumentException>(() => ProbabilityAverage.Combine([[0.5, 0.5], [1.2, -0.2]]));
        var zero = Assert.Throws<ArgumentException>(() => ProbabilityAverage.Combine([[0.0, 0.0]]));
        var nan = Assert.Throws<ArgumentException>(() => ProbabilityAverage.Combine([[double.NaN, 1.0]]));

        Assert.Contains("member 1 has 1 probabilities, member 0 has 2", lengths.Message, StringComparison.Ordinal);
        Assert.Contains("member 1 option 1 is -0.2", negative.Message, StringComparison.Ordinal);
        Assert.Contains("member 0's probabilities sum to 0", zero.Message, StringComparison.Ordinal);
        Assert.Contains("member 0 option 0 is NaN", nan.Message, StringComparison.Ordinal);
    }
}
