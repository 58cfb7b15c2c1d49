using System.Globalization;
using System.Text.RegularExpressions;
using Genesis.Datasets;

namespace Genesis.Scoring;

/// <summary>Which DROP metric is a <see cref="DropScorer"/>'s <see cref="SampleScore.Score"/>.</summary>
public enum DropMetric
{
    /// <summary>Exact match after normalisation (GENOME's fitness for DROP).</summary>
    ExactMatch,

    /// <summary>Token F1 over bags of spans.</summary>
    F1,
}

/// <summary>
/// Scores DROP answers by exact match and token F1 (<see cref="DropMetrics"/>), taking the best over the sample's gold
/// answers. Both figures go to <see cref="SampleScore.Metrics"/> as <c>em</c> and <c>f1</c>; <see cref="SampleScore.Score"/>
/// is the one chosen by <see cref="Metric"/>.
/// </summary>
/// <remarks>
/// <para>The answer is read from the last <c>Answer: ...</c> in the output (the default prompt asks for one), else from
/// the last <c>the answer is ...</c> up to the end of its sentence, else the last non-empty line. Markdown emphasis,
/// quotes and a final period are stripped.</para>
/// <para>Against a gold answer of several spans, the prediction is split into spans at <c>;</c>, <c>|</c>, <c>&amp;</c>,
/// <c>and</c>, line breaks and commas (a comma between digits, as in <c>1,000</c>, does not split).</para>
/// <para>A figure that takes, per question, the best member of an ensemble is an oracle (it peeks at the answer to choose);
/// build it with <see cref="Oracle"/>, which labels it so.</para>
/// </remarks>
public sealed partial class DropScorer : ITaskScorer
{
    /// <summary>Creates a scorer.</summary>
    /// <param name="metric">The metric reported as the score. Default: <see cref="DropMetric.ExactMatch"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="metric"/> is not a defined value.</exception>
    public DropScorer(DropMetric metric = DropMetric.ExactMatch)
    {
        if (!Enum.IsDefined(metric))
        {
            throw new ArgumentOutOfRangeException(nameof(metric), metric, $"DropScorer: metric must be ExactMatch or F1, was {(int)metric}.");
        }

        Metric = metric;
    }

    /// <summary>The metric reported as the score.</summary>
    public DropMetric Metric { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The sample has no gold answer.</exception>
    public ValueTask<SampleScore> ScoreAsync(TaskSample sample, string modelOutput, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(modelOutput);
        cancellationToken.ThrowIfCancellationRequested();
        if (sample.References.Count == 0)
        {
            throw new ArgumentException($"DROP sample '{sample.Id}' has no gold answer.", nameof(sample));
        }

        var extraction = Extract(modelOutput);
        if (extraction.Answer is null)
        {
            return ValueTask.FromResult(new SampleScore
            {
                Score = 0,
                Reason = extraction.How,
                Metrics = new Dictionary<string, double>(StringComparer.Ordinal) { ["em"] = 0, ["f1"] = 0 },
            });
        }

        double bestExact = 0, bestF1 = 0;
        GoldAnswer best = sample.References[0];
        foreach (var gold in sample.References)
        {
            IReadOnlyList<string> predicted = gold.Spans.Count > 1 ? SplitSpans(extraction.Answer) : [extraction.Answer];
            var (exact, f1) = DropMetrics.Compare(predicted, gold.Spans);
            if (exact > bestExact || (exact == bestExact && f1 > bestF1))
            {
                best = gold;
            }

            bestExact = Math.Max(bestExact, exact);
            bestF1 = Math.Max(bestF1, f1);
        }

        var score = Metric == DropMetric.ExactMatch ? bestExact : bestF1;
        return ValueTask.FromResult(new SampleScore
        {
            Score = score,
            ExtractedAnswer = extraction.Answer,
            Reason = string.Create(
                CultureInfo.InvariantCulture,
                $"extracted '{AnswerExtraction.Quote(extraction.Answer)}' ({extraction.How}); EM {bestExact:0}, F1 {bestF1:0.00}; closest gold '{AnswerExtraction.Quote(best.Text)}' of {sample.References.Count}"),
            Metrics = new Dictionary<string, double>(StringComparer.Ordinal) { ["em"] = bestExact, ["f1"] = bestF1 },
        });
    }

    /// <summary>Reads the answer of a DROP output (see the remarks).</summary>
    /// <param name="modelOutput">The model's reply.</param>
    public static AnswerExtraction Extract(string modelOutput)
    {
        ArgumentNullException.ThrowIfNull(modelOutput);
        if (string.IsNullOrWhiteSpace(modelOutput))
        {
            return AnswerExtraction.None("the output is empty");
        }

        var marked = AnswerLinePattern().Matches(modelOutput);
        for (var i = marked.Count - 1; i >= 0; i--)
        {
            var text = Clean(marked[i].Groups["a"].Value);
            if (text.Length > 0)
            {
                return new AnswerExtraction { Answer = text, How = "'" + AnswerExtraction.Quote(marked[i].Value.Trim()) + "'" };
            }
        }

        var phrased = AnswerIsPattern().Matches(modelOutput);
        for (var i = phrased.Count - 1; i >= 0; i--)
        {
            var text = Clean(phrased[i].Groups["a"].Value);
            if (text.Length > 0)
            {
                return new AnswerExtraction { Answer = text, How = "'" + AnswerExtraction.Quote(phrased[i].Value.Trim()) + "'" };
            }
        }

        var lines = modelOutput.Split('\n').Select(Clean).Where(l => l.Length > 0).ToList();
        return lines.Count == 0
            ? AnswerExtraction.None("no answer text in the output")
            : new AnswerExtraction { Answer = lines[^1], How = "last line" };
    }

    /// <summary>
    /// The oracle figure of an ensemble: per question, the best member's exact match (or F1), averaged over the questions.
    /// Labelled <c>DROP max-EM over ensemble members (oracle)</c> (or max-F1), because choosing the best member needs the answer.
    /// </summary>
    /// <param name="memberScores">Per question, the score of every member (as returned by a <see cref="DropScorer"/>).</param>
    /// <param name="metric">Which metric to take the maximum of.</param>
    /// <exception cref="ArgumentException">A question has no member score, or a score lacks the metric.</exception>
    public static EnsembleAggregate Oracle(IReadOnlyList<IReadOnlyList<SampleScore>> memberScores, DropMetric metric = DropMetric.ExactMatch)
    {
        var key = metric == DropMetric.ExactMatch ? "em" : "f1";
        return Ensemble.BestOfMembers(memberScores, "DROP", metric == DropMetric.ExactMatch ? "EM" : "F1", s =>
            s.Metrics.TryGetValue(key, out var value)
                ? value
                : throw new ArgumentException($"DropScorer.Oracle: a member score has no '{key}' metric; score with DropScorer.", nameof(memberScores)));
    }

    private static List<string> SplitSpans(string answer) =>
        SpanSeparatorPattern().Split(answer).Select(Clean).Where(s => s.Length > 0).DefaultIfEmpty(answer).ToList();

    private static string Clean(string text)
    {
        var trimmed = text.Trim().Replace("**", string.Empty, StringComparison.Ordinal).Replace("__", string.Empty, StringComparison.Ordinal);
        trimmed = trimmed.Trim(' ', '\t', '\r', '`', '"', '\'', '*', '_', '“', '”');
        return trimmed.TrimEnd('.').Trim();
    }

    [GeneratedRegex(@"\b(?i:answer)\b(?:\*\*|__)?\s*:(?<a>[^\n]*)", RegexOptions.CultureInvariant)]
    private static partial Regex AnswerLinePattern();

    [GeneratedRegex(@"\b(?i:the\s+(?:final\s+)?answer\s+is)\b\s*:?(?<a>[^\n]*?)(?=\.\s|\.$|\n|$)", RegexOptions.CultureInvariant)]
    private static partial Regex AnswerIsPattern();

    [GeneratedRegex(@"\s*(?:;|\||&|\n|\band\b|,(?!\d)|(?<!\d),)\s*", RegexOptions.CultureInvariant)]
    private static partial Regex SpanSeparatorPattern();
}
