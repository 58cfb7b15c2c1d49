using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Genesis.Scoring;

/// <summary>
/// DROP's answer metrics: exact match and token F1 over bags of spans, after DROP's normalisation. Written from the
/// metric's definition in Dua et al. (2019): tokens split on spaces and hyphens; each token lower-cased, stripped of
/// punctuation unless it is a number, numbers printed in one canonical form, articles removed; a span's tokens form a
/// set; spans of the prediction and of the gold answer are paired by an optimal assignment on F1; a pair scores 0 when
/// the gold span holds numbers and the predicted span holds none of them.
/// </summary>
public static partial class DropMetrics
{
    /// <summary>Normalises one span the DROP way: <c>"The 1,000 Yards!"</c> becomes <c>"1000 yards"</c>.</summary>
    /// <param name="text">The span.</param>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<string>();
        foreach (var raw in text.Split(' ', '-'))
        {
            var token = raw.ToLowerInvariant();
            if (!IsNumber(token))
            {
                token = RemovePunctuation(token);
            }

            if (IsNumber(token))
            {
                token = double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
            }

            token = ArticlePattern().Replace(token, " ");
            token = string.Join(' ', token.Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
            if (token.Length > 0)
            {
                parts.Add(token);
            }
        }

        return string.Join(' ', parts);
    }

    /// <summary>
    /// Exact match and F1 of a predicted answer against one gold answer, each a list of spans (one span for most answers).
    /// F1 is rounded to two decimals, as DROP's official evaluation does.
    /// </summary>
    /// <param name="predicted">The predicted spans.</param>
    /// <param name="gold">The gold spans.</param>
    /// <returns>Exact match (0 or 1) and F1 (between 0 and 1).</returns>
    public static (double ExactMatch, double F1) Compare(IReadOnlyList<string> predicted, IReadOnlyList<string> gold)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(gold);
        var predictedSpans = predicted.Select(Normalize).ToList();
        var goldSpans = gold.Select(Normalize).ToList();
        var exact = predictedSpans.Count == goldSpans.Count
            && new HashSet<string>(predictedSpans, StringComparer.Ordinal).SetEquals(goldSpans) ? 1.0 : 0.0;

        var predictedBags = predictedSpans.ConvertAll(Bag);
        var goldBags = goldSpans.ConvertAll(Bag);
        var size = Math.Max(predictedBags.Count, goldBags.Count);
        if (size == 0)
        {
            return (exact, 0);
        }

        var scores = new double[size, size];
        for (var g = 0; g < goldBags.Count; g++)
        {
            for (var p = 0; p < predictedBags.Count; p++)
            {
                scores[g, p] = NumbersAgree(goldBags[g], predictedBags[p]) ? BagF1(predictedBags[p], goldBags[g]) : 0;
            }
        }

        var assignment = Assignment.Maximize(scores);
        var total = 0.0;
        for (var row = 0; row < size; row++)
        {
            total += scores[row, assignment[row]];
        }

        return (exact, Math.Round(total / size, 2, MidpointRounding.ToEven));
    }

    private static HashSet<string> Bag(string normalized) =>
        new(normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    private static double BagF1(HashSet<string> predicted, HashSet<string> gold)
    {
        var common = predicted.Count(gold.Contains);
        var precision = predicted.Count == 0 ? 1.0 : (double)common / predicted.Count;
        var recall = gold.Count == 0 ? 1.0 : (double)common / gold.Count;
        return precision == 0 && recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    private static bool NumbersAgree(HashSet<string> gold, HashSet<string> predicted)
    {
        var goldNumbers = gold.Where(IsNumber).ToList();
        return goldNumbers.Count == 0 || predicted.Where(IsNumber).Any(goldNumbers.Contains);
    }

    private static bool IsNumber(string token) => NumberTokenPattern().IsMatch(token);

    private static string RemovePunctuation(string token)
    {
        var builder = new StringBuilder(token.Length);
        foreach (var c in token)
        {
            if (!(char.IsAscii(c) && char.IsPunctuation(c)) && !(char.IsAscii(c) && char.IsSymbol(c)))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"\b(a|an|the)\b", RegexOptions.CultureInvariant)]
    private static partial Regex ArticlePattern();

    [GeneratedRegex(@"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberTokenPattern();
}
