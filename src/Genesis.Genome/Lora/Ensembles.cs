using System.Numerics.Tensors;
using Genesis.Adapters;
using Genesis.Scoring;

namespace Genesis.Lora;

/// <summary>
/// Ensembles of adapters: a majority vote over the members' extracted answers (a tie earns 1/(number tied) when the
/// reference is among the tied answers), weighted over the tasks like the fitness; and, for evaluators that expose class
/// probabilities, probability averaging.
/// </summary>
public static class Ensembles
{
    /// <summary>Evaluates every member on validation and test and scores the ensemble on both.</summary>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="members">The members, at least one (for example the top-k of a population by validation score).</param>
    /// <param name="cancellationToken">Stops the evaluations.</param>
    /// <exception cref="ArgumentException">There are no members.</exception>
    public static async Task<EnsembleScores> ScoreAsync(IAdapterEvaluator evaluator, IReadOnlyList<LoraAdapter> members, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0)
        {
            throw new ArgumentException("Ensembles.ScoreAsync: there must be at least one member.", nameof(members));
        }

        var validation = new List<FitnessReport>();
        var test = new List<FitnessReport>();
        foreach (var member in members)
        {
            validation.Add(await evaluator.EvaluateAsync(member, EvaluationSplit.Validation, cancellationToken).ConfigureAwait(false));
            test.Add(await evaluator.EvaluateAsync(member, EvaluationSplit.Test, cancellationToken).ConfigureAwait(false));
        }

        return Score(evaluator, members, validation, test);
    }

    /// <summary>
    /// The majority-vote score of members' reports on one split: per task and sample, the vote over the members' extracted
    /// answers with tie credit; per task the mean over samples; then the tasks' weighted sum (the reports' weights).
    /// </summary>
    /// <param name="reports">One report per member, all over the same tasks and samples.</param>
    /// <exception cref="ArgumentException">There are no reports, or they differ in tasks or sample counts (the message says where).</exception>
    public static double Vote(IReadOnlyList<FitnessReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0)
        {
            throw new ArgumentException("Ensembles.Vote: there must be at least one report.", nameof(reports));
        }

        var first = reports[0];
        double total = 0;
        for (var t = 0; t < first.Tasks.Count; t++)
        {
            var task = first.Tasks[t];
            foreach (var report in reports)
            {
                if (report.Tasks.Count != first.Tasks.Count || report.Tasks[t].Name != task.Name || report.Tasks[t].Samples.Count != task.Samples.Count)
                {
                    throw new ArgumentException($"Ensembles.Vote: the members' reports differ at task {t} ('{task.Name}', {task.Samples.Count} samples); every member must be scored on the same tasks and samples.", nameof(reports));
                }
            }

            if (task.Samples.Count == 0)
            {
                continue;
            }

            var questions = new List<IReadOnlyList<SampleScore>>(task.Samples.Count);
            for (var i = 0; i < task.Samples.Count; i++)
            {
                questions.Add(reports.Select(r => r.Tasks[t].Samples[i]).ToList());
            }

            total += task.Weight * Ensemble.MajorityVoteAccuracy(questions, task.Name).Value;
        }

        return total;
    }

    /// <summary>Scores an ensemble from reports already made (the loop keeps every member's validation report).</summary>
    internal static EnsembleScores Score(IAdapterEvaluator evaluator, IReadOnlyList<LoraAdapter> members, IReadOnlyList<FitnessReport> validation, IReadOnlyList<FitnessReport> test)
    {
        double? probabilityValidation = null;
        double? probabilityTest = null;
        if (evaluator is IClassifierEvaluator classifier)
        {
            probabilityValidation = ProbabilityAccuracy(classifier, members, EvaluationSplit.Validation);
            probabilityTest = ProbabilityAccuracy(classifier, members, EvaluationSplit.Test);
        }

        return new EnsembleScores(members.Count, Vote(validation), Vote(test), probabilityValidation, probabilityTest);
    }

    private static double ProbabilityAccuracy(IClassifierEvaluator evaluator, IReadOnlyList<LoraAdapter> members, EvaluationSplit split)
    {
        var gold = evaluator.Labels(split);
        var classes = evaluator.ClassCount;
        var sum = new float[gold.Count * classes];
        foreach (var member in members)
        {
            var (_, probabilities) = evaluator.Predict(member, split);
            TensorPrimitives.Add(sum, probabilities.AsSpan(0, sum.Length), sum);
        }

        var correct = 0;
        for (var i = 0; i < gold.Count; i++)
        {
            correct += TensorPrimitives.IndexOfMax<float>(sum.AsSpan(i * classes, classes)) == gold[i] ? 1 : 0;
        }

        return gold.Count == 0 ? 0 : (double)correct / gold.Count;
    }
}
