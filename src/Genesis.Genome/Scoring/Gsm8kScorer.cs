using System.Text.RegularExpressions;
using Genesis.Datasets;

namespace Genesis.Scoring;

/// <summary>
/// Scores grade-school maths answers (GSM8K) by their final number, compared numerically with the reference.
/// </summary>
/// <remarks>
/// <para>The final number is read, in this order of preference:</para>
/// <list type="number">
/// <item><description>after the last <c>####</c> (the GSM8K convention, also what the default prompt asks for);</description></item>
/// <item><description>after the last answer phrase: <c>The answer is N</c>, <c>Final answer: N</c>, <c>answer = N</c>,
/// <c>\boxed{N}</c>, with markdown, <c>$</c> and LaTeX around it allowed. When the rest of that sentence is a calculation
/// (<c>The answer is 3 * 6 = 18.</c>) the number after its last <c>=</c> is taken;</description></item>
/// <item><description>the last number anywhere in the output.</description></item>
/// </list>
/// <para>
/// Numbers are normalised: thousands commas, <c>$</c>, a trailing <c>%</c> or <c>.</c> dropped, decimals compared by value
/// (<c>3.50</c> = <c>3.5</c>, <c>1,000</c> = <c>1000</c>), fractions divided out (<c>3/4</c> = <c>0.75</c>, compared within a
/// relative 1e-6). A reference may be the number itself or a full GSM8K answer ending in <c>#### N</c>.
/// </para>
/// </remarks>
public sealed partial class Gsm8kScorer : ITaskScorer
{
    /// <summary>The scorer; it holds no state.</summary>
    public static Gsm8kScorer Instance { get; } = new();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The sample has no reference, or a reference holds no number.</exception>
    public ValueTask<SampleScore> ScoreAsync(TaskSample sample, string modelOutput, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(modelOutput);
        cancellationToken.ThrowIfCancellationRequested();
        var references = References(sample);
        var extraction = Extract(modelOutput);
        var shown = string.Join(" or ", references.Select(Numbers.Format));
        if (extraction.Answer is null)
        {
            return ValueTask.FromResult(new SampleScore { Score = 0, Reason = $"{extraction.How}; reference {shown}" });
        }

        var value = decimal.Parse(extraction.Answer, System.Globalization.CultureInfo.InvariantCulture);
        var correct = references.Exists(r => Numbers.Same(value, r));
        return ValueTask.FromResult(new SampleScore
        {
            Score = correct ? 1 : 0,
            ExtractedAnswer = extraction.Answer,
            Reason = $"extracted {extraction.Answer} ({extraction.How}); reference {shown}",
        });
    }

    /// <summary>Reads the final number of a model output (see the remarks for the order of rules).</summary>
    /// <param name="modelOutput">The model's reply.</param>
    /// <returns>The number in canonical form (<c>1000</c>, <c>3.5</c>, <c>-2</c>), or none with the reason.</returns>
    public static AnswerExtraction Extract(string modelOutput)
    {
        ArgumentNullException.ThrowIfNull(modelOutput);
        if (string.IsNullOrWhiteSpace(modelOutput))
        {
            return AnswerExtraction.None("the output is empty");
        }

        var marked = FromLast(HashesPattern().Matches(modelOutput), modelOutput);
        if (marked is not null)
        {
            return marked;
        }

        var phrased = FromLast(AnswerPhrasePattern().Matches(modelOutput), modelOutput);
        if (phrased is not null)
        {
            return phrased;
        }

        var all = Numbers.FindAll(modelOutput);
        if (all.Count == 0)
        {
            return AnswerExtraction.None("no number in the output");
        }

        return new AnswerExtraction { Answer = Numbers.Format(all[^1].Value), How = "last number in the output" };
    }

    private static AnswerExtraction? FromLast(MatchCollection matches, string text)
    {
        for (var i = matches.Count - 1; i >= 0; i--)
        {
            var match = matches[i];
            var start = match.Index + match.Length;
            var first = Numbers.At(text, start);
            if (first is not { } number)
            {
                continue;
            }

            // "The answer is 3 * 6 = 18." : the result of the calculation, not its first operand.
            var end = SentenceEnd(text, start);
            var sentence = text[start..end];
            var equals = sentence.LastIndexOf('=');
            if (equals >= 0)
            {
                var after = Numbers.FindAll(text[..end], start + equals + 1);
                if (after.Count > 0)
                {
                    number = after[^1];
                }
            }

            var shown = text[match.Index..Math.Max(number.Index + number.Length, start)];
            return new AnswerExtraction { Answer = Numbers.Format(number.Value), How = "'" + AnswerExtraction.Quote(shown) + "'" };
        }

        return null;
    }

    private static int SentenceEnd(string text, int start)
    {
        var match = SentenceEndPattern().Match(text, start);
        return match.Success ? match.Index : text.Length;
    }

    private static List<decimal> References(TaskSample sample)
    {
        if (sample.References.Count == 0)
        {
            throw new ArgumentException($"GSM8K sample '{sample.Id}' has no reference answer.", nameof(sample));
        }

        var values = new List<decimal>();
        foreach (var reference in sample.References)
        {
            var text = reference.Text;
            var marker = text.LastIndexOf("####", StringComparison.Ordinal);
            if (marker >= 0)
            {
                text = text[(marker + 4)..];
            }

            if (!Numbers.TryParseWhole(text, out var value))
            {
                throw new ArgumentException($"GSM8K sample '{sample.Id}' has a reference that is not a number: '{AnswerExtraction.Quote(reference.Text)}'.", nameof(sample));
            }

            values.Add(value);
        }

        return values;
    }

    [GeneratedRegex(@"####[\s*$]*(?:\\boxed\{\s*)?", RegexOptions.CultureInvariant)]
    private static partial Regex HashesPattern();

    // "answer is", "final answer:", "answer =", "answer would be", optionally in bold, then filler ($, **, \boxed{, \(, "approximately"...);
    // or a bare \boxed{.
    [GeneratedRegex(
        @"(?:\b(?i:answer)\b(?:\*\*|__)?\s*(?:(?i:is|would\s+be|will\s+be|should\s+be|comes\s+to|equals)\b\s*:?|[:=])|\\boxed\{)(?:\s|\*|_|\$|\\boxed\{|\\\(|\\\[|\\text\{|\\\$|\(|(?i:approximately|about|exactly|a\s+total\s+of|just|therefore|thus|so)\b)*",
        RegexOptions.CultureInvariant)]
    private static partial Regex AnswerPhrasePattern();

    [GeneratedRegex(@"\n|\.(?=\s|$)|\.\*|[!?]", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceEndPattern();
}
