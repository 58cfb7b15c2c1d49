using System.Globalization;
using System.Text;

namespace Genesis.Scoring;

/// <summary>The result of a vote: the answers with the most votes (several on a tie) and the counts.</summary>
public sealed record VoteOutcome
{
    /// <summary>The answers with the most votes, in the order they were first cast; empty when every member abstained.</summary>
    public required IReadOnlyList<string> Winners { get; init; }

    /// <summary>How many votes each winner got.</summary>
    public required int WinningVotes { get; init; }

    /// <summary>How many members cast a vote (gave an answer).</summary>
    public required int Votes { get; init; }

    /// <summary>How many members gave no answer.</summary>
    public required int Abstentions { get; init; }

    /// <summary>Whether two or more answers share the most votes.</summary>
    public bool IsTie => Winners.Count > 1;

    /// <summary>
    /// The credit of the vote: the share of the winners that are correct. One winner: 1 or 0. A tie of k answers: 1/k when
    /// one of them is the reference (GENOME gives 0.5 for a two-way tie that includes the reference; this is the same rule
    /// for any k). No winner: 0.
    /// </summary>
    /// <param name="isCorrect">Whether an answer is correct.</param>
    public double Credit(Func<string, bool> isCorrect)
    {
        ArgumentNullException.ThrowIfNull(isCorrect);
        return Winners.Count == 0 ? 0 : (double)Winners.Count(isCorrect) / Winners.Count;
    }
}

/// <summary>Majority vote over the answers members of an ensemble extracted, with tie credit.</summary>
public static class MajorityVote
{
    /// <summary>Counts the votes. A <see langword="null"/> answer is an abstention.</summary>
    /// <param name="answers">One answer per member, as extracted (so that <c>18</c> and <c>$18.00</c> are already the same text).</param>
    /// <param name="comparer">How answers are compared; default ordinal.</param>
    public static VoteOutcome Tally(IEnumerable<string?> answers, IEqualityComparer<string>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var counts = new Dictionary<string, int>(comparer ?? StringComparer.Ordinal);
        var order = new List<string>();
        var abstentions = 0;
        foreach (var answer in answers)
        {
            if (answer is null)
            {
                abstentions++;
                continue;
            }

            if (counts.TryGetValue(answer, out var count))
            {
                counts[answer] = count + 1;
            }
            else
            {
                counts[answer] = 1;
                order.Add(answer);
            }
        }

        var most = counts.Count == 0 ? 0 : counts.Values.Max();
        return new VoteOutcome
        {
            Winners = order.Where(a => counts[a] == most).ToArray(),
            WinningVotes = most,
            Votes = order.Sum(a => counts[a]),
            Abstentions = abstentions,
        };
    }

    /// <summary>
    /// The ensemble's score on one question from its members' scores: members vote with their
    /// <see cref="SampleScore.ExtractedAnswer"/> (no answer abstains); the score is the mean, over the winning answers, of the
    /// score that answer earned (so with right-or-wrong scorers a tie of k answers earns 1/k when the reference is among them).
    /// </summary>
    /// <param name="memberScores">Every member's score on the question.</param>
    /// <returns>The vote's score, the single winner (or <see langword="null"/> on a tie or when all abstained), and the tally as the reason.</returns>
    /// <exception cref="ArgumentException"><paramref name="memberScores"/> is empty.</exception>
    public static SampleScore Score(IReadOnlyList<SampleScore> memberScores)
    {
        ArgumentNullException.ThrowIfNull(memberScores);
        if (memberScores.Count == 0)
        {
            throw new ArgumentException("MajorityVote.Score: there must be at least one member score.", nameof(memberScores));
        }

        var vote = Tally(memberScores.Select(s => s.ExtractedAnswer));
        if (vote.Winners.Count == 0)
        {
            return new SampleScore { Score = 0, Reason = $"no member gave an answer ({vote.Abstentions} abstained)" };
        }

        var earned = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var winner in vote.Winners)
        {
            earned[winner] = memberScores.Where(s => s.ExtractedAnswer == winner).Average(s => s.Score);
        }

        var score = vote.Winners.Average(w => earned[w]);
        var reason = new StringBuilder();
        if (vote.IsTie)
        {
            reason.Append(CultureInfo.InvariantCulture, $"tie between {string.Join(", ", vote.Winners)} ({vote.WinningVotes} votes each)");
            var right = vote.Winners.Count(w => earned[w] >= 1.0);
            reason.Append(CultureInfo.InvariantCulture, $"; {right} of {vote.Winners.Count} correct, credit {score:0.###}");
        }
        else
        {
            reason.Append(CultureInfo.InvariantCulture, $"{vote.Winners[0]} won with {vote.WinningVotes} of {vote.Votes} votes");
            reason.Append(earned[vote.Winners[0]] >= 1.0 ? ", correct" : ", wrong");
        }

        if (vote.Abstentions > 0)
        {
            reason.Append(CultureInfo.InvariantCulture, $"; {vote.Abstentions} abstained");
        }

        return new SampleScore
        {
            Score = score,
            ExtractedAnswer = vote.IsTie ? null : vote.Winners[0],
            Reason = reason.ToString(),
        };
    }
}
