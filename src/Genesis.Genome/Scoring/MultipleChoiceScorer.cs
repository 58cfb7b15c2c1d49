using System.Text;
using System.Text.RegularExpressions;
using Genesis.Datasets;

namespace Genesis.Scoring;

/// <summary>
/// Scores multiple-choice answers (MMLU, ARC-Challenge, CommonsenseQA) by the letter the output commits to.
/// </summary>
/// <remarks>
/// <para>Rules, strongest first; the first rule that finds anything decides:</para>
/// <list type="number">
/// <item><description>Assertions: <c>The answer is (B)</c>, <c>Answer: C</c>, <c>**Answer:** D</c>, <c>The correct option is A</c>,
/// <c>(B) is the correct answer</c>, <c>\boxed{B}</c>. Mentions that are not assertions (<c>not C</c>, <c>option C is wrong</c>)
/// do not count, so <c>I think the answer is B, not C</c> is B.</description></item>
/// <item><description>A bold letter: <c>**B**</c>, <c>**(B)**</c>, <c>**B) Paris**</c>.</description></item>
/// <item><description>A standalone letter: the whole output (<c>B</c>, <c>(B)</c>, <c>B.</c>), the last line, or a first line
/// such as <c>B) Paris</c> when no other line starts with an option marker (a list of options is not an answer).</description></item>
/// <item><description>The text of an option, matching exactly (case, surrounding punctuation and markdown ignored): the whole
/// output or its last line.</description></item>
/// </list>
/// <para>
/// When a rule finds two different letters (<c>The answer is B. ... Actually, the answer is C.</c>) the output is
/// ambiguous and scores 0, with both letters in the reason. Letters are upper case. The letters allowed are those of the
/// sample's options (A for the first, B for the second, ...) when it has any, and otherwise the scorer's letter set; an
/// asserted letter outside them is ignored, and said so in the reason when nothing else is found.
/// </para>
/// </remarks>
public sealed partial class MultipleChoiceScorer : ITaskScorer
{
    private readonly string _letters;

    /// <summary>Creates a scorer for samples without options, whose answers are among <paramref name="letters"/>.</summary>
    /// <param name="letters">The allowed letters, upper case, for example <c>ABCD</c> (the default) or <c>ABCDE</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="letters"/> is empty, holds a character other than A–Z, or repeats one.</exception>
    public MultipleChoiceScorer(string letters = "ABCD")
    {
        ArgumentNullException.ThrowIfNull(letters);
        if (letters.Length == 0 || !letters.All(char.IsAsciiLetterUpper) || letters.Distinct().Count() != letters.Length)
        {
            throw new ArgumentException($"MultipleChoiceScorer: letters must be distinct upper-case letters A to Z, was '{letters}'.", nameof(letters));
        }

        _letters = letters;
    }

    /// <summary>A scorer for four options, A to D (MMLU, most of ARC-Challenge).</summary>
    public static MultipleChoiceScorer AToD { get; } = new("ABCD");

    /// <summary>A scorer for five options, A to E (CommonsenseQA).</summary>
    public static MultipleChoiceScorer AToE { get; } = new("ABCDE");

    /// <summary>The letters allowed for samples without options.</summary>
    public string Letters => _letters;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The sample has no reference, or a reference is not one of the allowed letters.</exception>
    public ValueTask<SampleScore> ScoreAsync(TaskSample sample, string modelOutput, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(modelOutput);
        cancellationToken.ThrowIfCancellationRequested();
        var letters = sample.Choices.Count > 0
            ? new string(Enumerable.Range(0, Math.Min(sample.Choices.Count, 26)).Select(i => (char)('A' + i)).ToArray())
            : _letters;
        if (sample.References.Count == 0)
        {
            throw new ArgumentException($"Multiple-choice sample '{sample.Id}' has no reference answer.", nameof(sample));
        }

        var references = sample.References.Select(r => r.Text.Trim().ToUpperInvariant()).ToList();
        var bad = references.Find(r => r.Length != 1 || !letters.Contains(r[0], StringComparison.Ordinal));
        if (bad is not null)
        {
            throw new ArgumentException($"Multiple-choice sample '{sample.Id}' has reference '{bad}', which is not one of {letters}.", nameof(sample));
        }

        var extraction = Extract(modelOutput, letters, sample.Choices);
        var shown = string.Join(" or ", references);
        if (extraction.Answer is null)
        {
            return ValueTask.FromResult(new SampleScore { Score = 0, Reason = $"{extraction.How}; reference {shown}" });
        }

        var correct = references.Contains(extraction.Answer);
        return ValueTask.FromResult(new SampleScore
        {
            Score = correct ? 1 : 0,
            ExtractedAnswer = extraction.Answer,
            Reason = $"extracted {extraction.Answer} ({extraction.How}); reference {shown}",
        });
    }

    /// <summary>Reads the letter an output commits to (see the remarks for the rules).</summary>
    /// <param name="modelOutput">The model's reply.</param>
    /// <param name="letters">The allowed letters, for example <c>ABCD</c>.</param>
    /// <param name="choices">The options' texts, in letter order, for matching an answer written out in full; may be empty.</param>
    /// <returns>The letter, or none with the reason (nothing found, or two different letters asserted).</returns>
    public static AnswerExtraction Extract(string modelOutput, string letters, IReadOnlyList<string>? choices = null)
    {
        ArgumentNullException.ThrowIfNull(modelOutput);
        ArgumentException.ThrowIfNullOrEmpty(letters);
        if (string.IsNullOrWhiteSpace(modelOutput))
        {
            return AnswerExtraction.None("the output is empty");
        }

        var outside = new SortedSet<char>();
        var asserted = Collect(modelOutput, letters, outside, AnswerIsPattern(), CorrectOptionIsPattern(), LetterIsCorrectPattern());
        if (asserted.Count > 0)
        {
            return Decide(asserted, "asserted");
        }

        var bold = Collect(modelOutput, letters, outside, BoldLetterPattern());
        if (bold.Count > 0)
        {
            return Decide(bold, "in bold");
        }

        var standalone = Standalone(modelOutput, letters);
        if (standalone is not null)
        {
            return standalone;
        }

        var byText = ByOptionText(modelOutput, choices ?? []);
        if (byText is not null)
        {
            return byText;
        }

        return outside.Count > 0
            ? AnswerExtraction.None($"the output asserts {string.Join(", ", outside)}, which is not one of {letters}")
            : AnswerExtraction.None("no answer letter found");
    }

    private static List<(char Letter, string Snippet)> Collect(string text, string letters, SortedSet<char> outside, params Regex[] patterns)
    {
        var found = new List<(int Index, char Letter, string Snippet)>();
        foreach (var pattern in patterns)
        {
            foreach (Match match in pattern.Matches(text))
            {
                var letter = match.Groups["l"].Value[0];
                if (letters.Contains(letter, StringComparison.Ordinal))
                {
                    found.Add((match.Index, letter, match.Value));
                }
                else
                {
                    outside.Add(letter);
                }
            }
        }

        found.Sort((a, b) => a.Index.CompareTo(b.Index));
        return found.ConvertAll(f => (f.Letter, f.Snippet));
    }

    private static AnswerExtraction Decide(List<(char Letter, string Snippet)> found, string how)
    {
        var distinct = found.Select(f => f.Letter).Distinct().ToList();
        if (distinct.Count == 1)
        {
            return new AnswerExtraction { Answer = distinct[0].ToString(), How = $"{how}: '{AnswerExtraction.Quote(found[^1].Snippet)}'" };
        }

        var quotes = new StringBuilder();
        foreach (var letter in distinct)
        {
            var first = found.Find(f => f.Letter == letter);
            if (quotes.Length > 0)
            {
                quotes.Append(", ");
            }

            quotes.Append('\'').Append(AnswerExtraction.Quote(first.Snippet)).Append('\'');
        }

        return AnswerExtraction.None($"ambiguous: {how} {string.Join(" and ", distinct)} ({quotes})");
    }

    private static AnswerExtraction? Standalone(string text, string letters)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var whole = BareLetterPattern().Match(string.Join(' ', lines));
        if (whole.Success && InSet(whole, letters))
        {
            return new AnswerExtraction { Answer = whole.Groups["l"].Value, How = "the whole output" };
        }

        var last = BareLetterPattern().Match(lines[^1]);
        if (last.Success && InSet(last, letters))
        {
            return new AnswerExtraction { Answer = last.Groups["l"].Value, How = $"standalone last line '{AnswerExtraction.Quote(lines[^1])}'" };
        }

        var first = OptionLinePattern().Match(lines[0]);
        if (first.Success && InSet(first, letters))
        {
            var listed = lines.Skip(1).Count(l => OptionLinePattern().IsMatch(l));
            if (listed == 0)
            {
                return new AnswerExtraction { Answer = first.Groups["l"].Value, How = $"first line '{AnswerExtraction.Quote(lines[0])}'" };
            }
        }

        return null;
    }

    private static AnswerExtraction? ByOptionText(string text, IReadOnlyList<string> choices)
    {
        if (choices.Count == 0)
        {
            return null;
        }

        var normalized = choices.Select(Normalize).ToList();
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        foreach (var candidate in new[] { text, lines[^1] })
        {
            var index = normalized.IndexOf(Normalize(candidate));
            if (index >= 0 && index < 26)
            {
                return new AnswerExtraction { Answer = ((char)('A' + index)).ToString(), How = $"the text of option {(char)('A' + index)}: '{AnswerExtraction.Quote(candidate)}'" };
            }
        }

        return null;
    }

    private static string Normalize(string text)
    {
        var words = text.Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words).Trim('*', '_', '`', '"', '\'', '.', '!', ' ').ToLowerInvariant();
    }

    private static bool InSet(Match match, string letters) => letters.Contains(match.Groups["l"].Value[0], StringComparison.Ordinal);

    // "answer is (B)", "answer: C", "**Answer:** D", "answer would be option B", "The final answer is $\boxed{B}$", "\boxed{B}".
    [GeneratedRegex(
        @"(?:\b(?i:answer)\b(?:\*\*|__)?\s*(?:(?i:is|would\s+be|should\s+be|must\s+be|will\s+be)\b\s*:?|[:=])|\\boxed\{)[\s*_$]*(?:(?i:option|choice|letter)\s+)?[\s*_$]*(?:\\boxed\{\s*|\\text\{\s*|\\textbf\{\s*)*[(\[]?(?<l>[A-Z])[)\]]?(?![A-Za-z0-9'])",
        RegexOptions.CultureInvariant)]
    private static partial Regex AnswerIsPattern();

    // "The correct option is A", "the best choice is (C)".
    [GeneratedRegex(
        @"\b(?i:correct|right|best)\s+(?i:option|choice|letter)\s+(?i:is)\b\s*:?[\s*_]*[(\[]?(?<l>[A-Z])[)\]]?(?![A-Za-z0-9'])",
        RegexOptions.CultureInvariant)]
    private static partial Regex CorrectOptionIsPattern();

    // "(B) is the correct answer", "Option C is correct", "**D** is the best choice". Not "A is incorrect".
    [GeneratedRegex(
        @"(?<![A-Za-z0-9])[(\[]?(?<l>[A-Z])[)\]]?(?:\*\*)?\s+(?i:is)\s+(?i:the\s+)?(?i:correct|right|best)\b",
        RegexOptions.CultureInvariant)]
    private static partial Regex LetterIsCorrectPattern();

    // "**B**", "**(B)**", "**B)** Paris", "**B. Paris**".
    [GeneratedRegex(@"\*\*\s*[(\[]?(?<l>[A-Z])(?:[)\].:]|\*\*|\s*$)", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex BoldLetterPattern();

    // A line or output that is only a letter: "B", "(B)", "B.", "B)", "[B]", "> B".
    [GeneratedRegex(@"^[\s>#*_-]*[(\[]?(?<l>[A-Z])[)\]]?[.:]?[\s*_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex BareLetterPattern();

    // A line starting with an option marker: "B) Paris", "B. Paris", "(B) Paris", "B: Paris".
    [GeneratedRegex(@"^[\s>*_-]*(?:\((?<l>[A-Z])\)|(?<l>[A-Z])[).:])(?:\s|$)", RegexOptions.CultureInvariant)]
    private static partial Regex OptionLinePattern();
}
