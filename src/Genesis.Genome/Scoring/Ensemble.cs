namespace Genesis.Scoring;

/// <summary>Figures for an ensemble of models over a set of questions: the majority vote, and the labelled best-of-members oracle.</summary>
public static class Ensemble
{
    /// <summary>
    /// The majority-vote accuracy: per question, <see cref="MajorityVote.Score"/> over the members' scores (ties earn
    /// 1/(number tied) when the reference is among the tied answers), averaged over the questions.
    /// </summary>
    /// <param name="memberScores">Per question, every member's score of its own output.</param>
    /// <param name="task">The task's name, for the label.</param>
    /// <exception cref="ArgumentException">There are no questions, or a question has no member score.</exception>
    public static EnsembleAggregate MajorityVoteAccuracy(IReadOnlyList<IReadOnlyList<SampleScore>> memberScores, string task)
    {
        var members = Validate(memberScores, task, nameof(MajorityVoteAccuracy));
        var total = 0.0;
        foreach (var question in memberScores)
        {
            total += MajorityVote.Score(question).Score;
        }

        return new EnsembleAggregate
        {
            Value = total / memberScores.Count,
            Label = $"{task} majority vote over {members} members",
            IsOracle = false,
            Questions = memberScores.Count,
            Members = members,
        };
    }

    /// <summary>
    /// The best-of-members figure: per question, the highest member score, averaged over the questions. This is an oracle
    /// (choosing the best member needs the reference), and the result says so: <see cref="EnsembleAggregate.IsOracle"/> is
    /// set and the label reads <c>&lt;task&gt; max-&lt;metric&gt; over ensemble members (oracle)</c>. GENOME reports DROP this way.
    /// </summary>
    /// <param name="memberScores">Per question, every member's score.</param>
    /// <param name="task">The task's name, for the label.</param>
    /// <param name="metric">The metric's name, for the label (for example <c>EM</c>).</param>
    /// <param name="select">Which number of a score to maximise; <see langword="null"/> for <see cref="SampleScore.Score"/>.</param>
    /// <exception cref="ArgumentException">There are no questions, or a question has no member score.</exception>
    public static EnsembleAggregate BestOfMembers(
        IReadOnlyList<IReadOnlyList<SampleScore>> memberScores,
        string task,
        string metric = "score",
        Func<SampleScore, double>? select = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        var members = Validate(memberScores, task, nameof(BestOfMembers));
        select ??= static s => s.Score;
        var total = 0.0;
        foreach (var question in memberScores)
        {
            total += question.Max(select);
        }

        return new EnsembleAggregate
        {
            Value = total / memberScores.Count,
            Label = $"{task} max-{metric} over ensemble members (oracle)",
            IsOracle = true,
            Questions = memberScores.Count,
            Members = members,
        };
    }

    private static int Validate(IReadOnlyList<IReadOnlyList<SampleScore>> memberScores, string task, string method)
    {
        ArgumentNullException.ThrowIfNull(memberScores);
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        if (memberScores.Count == 0)
        {
            throw new ArgumentException($"Ensemble.{method}: there must be at least one question.", nameof(memberScores));
        }

        var members = 0;
        for (var i = 0; i < memberScores.Count; i++)
        {
            var question = memberScores[i] ?? throw new ArgumentException($"Ensemble.{method}: question {i} is null.", nameof(memberScores));
            if (question.Count == 0)
            {
                throw new ArgumentException($"Ensemble.{method}: question {i} has no member score.", nameof(memberScores));
            }

            members = Math.Max(members, question.Count);
        }

        return members;
    }
}
