namespace Genesis.Scoring;

/// <summary>The result of averaging members' probabilities over the options.</summary>
public sealed record ProbabilityVote
{
    /// <summary>The averaged distribution, one probability per option, summing to 1.</summary>
    public required IReadOnlyList<double> Average { get; init; }

    /// <summary>The options with the highest average (several only on an exact tie), in index order.</summary>
    public required IReadOnlyList<int> Winners { get; init; }

    /// <summary>The winner as a letter (<c>A</c> for option 0), or <see langword="null"/> on a tie.</summary>
    public string? WinnerLetter => Winners.Count == 1 && Winners[0] < 26 ? ((char)('A' + Winners[0])).ToString() : null;

    /// <summary>The credit: 1/(number of winners) when <paramref name="correctIndex"/> is among them, else 0 (the same tie rule as <see cref="VoteOutcome.Credit"/>).</summary>
    /// <param name="correctIndex">The index of the correct option.</param>
    public double Credit(int correctIndex) => Winners.Contains(correctIndex) ? 1.0 / Winners.Count : 0;
}

/// <summary>Ensembles models that expose per-option probabilities: average the distributions, take the argmax.</summary>
public static class ProbabilityAverage
{
    /// <summary>
    /// Averages the members' distributions over the options. Each member's row is first normalised to sum to 1 (so raw,
    /// unnormalised probabilities such as the exponentiated log-probabilities of the option letters are accepted) and all
    /// members weigh the same.
    /// </summary>
    /// <param name="memberProbabilities">One row per member, one non-negative entry per option; every row the same length.</param>
    /// <exception cref="ArgumentException">No member, no option, rows of different lengths, a negative or non-finite entry, or a row summing to 0; the message names the member.</exception>
    public static ProbabilityVote Combine(IReadOnlyList<IReadOnlyList<double>> memberProbabilities)
    {
        ArgumentNullException.ThrowIfNull(memberProbabilities);
        if (memberProbabilities.Count == 0)
        {
            throw new ArgumentException("ProbabilityAverage.Combine: there must be at least one member.", nameof(memberProbabilities));
        }

        var options = memberProbabilities[0]?.Count ?? 0;
        if (options == 0)
        {
            throw new ArgumentException("ProbabilityAverage.Combine: member 0 has no option probabilities.", nameof(memberProbabilities));
        }

        var average = new double[options];
        for (var m = 0; m < memberProbabilities.Count; m++)
        {
            var row = memberProbabilities[m];
            if (row is null || row.Count != options)
            {
                throw new ArgumentException($"ProbabilityAverage.Combine: member {m} has {row?.Count ?? 0} probabilities, member 0 has {options}.", nameof(memberProbabilities));
            }

            var sum = 0.0;
            for (var i = 0; i < options; i++)
            {
                var p = row[i];
                if (!double.IsFinite(p) || p < 0)
                {
                    throw new ArgumentException($"ProbabilityAverage.Combine: member {m} option {i} is {p}; probabilities must be finite and non-negative.", nameof(memberProbabilities));
                }

                sum += p;
            }

            if (sum <= 0)
            {
                throw new ArgumentException($"ProbabilityAverage.Combine: member {m}'s probabilities sum to 0.", nameof(memberProbabilities));
            }

            for (var i = 0; i < options; i++)
            {
                average[i] += row[i] / sum / memberProbabilities.Count;
            }
        }

        var best = average.Max();
        var winners = Enumerable.Range(0, options).Where(i => average[i] == best).ToArray();
        return new ProbabilityVote { Average = average, Winners = winners };
    }
}
