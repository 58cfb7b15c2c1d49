using System.Globalization;
using System.Text.RegularExpressions;

namespace Genesis.Scoring;

/// <summary>A number found in text, with where it was and how it was written.</summary>
/// <param name="Value">The value; commas, <c>$</c> and <c>%</c> removed, a fraction divided out.</param>
/// <param name="Index">Where the number's text starts.</param>
/// <param name="Length">How long the number's text is.</param>
internal readonly record struct NumberMatch(decimal Value, int Index, int Length);

/// <summary>Finds, parses and prints numbers the way GSM8K answers write them: <c>1,000</c>, <c>$3.50</c>, <c>-2</c>, <c>45%</c>, <c>3/4</c>.</summary>
internal static partial class Numbers
{
    /// <summary>The relative tolerance of <see cref="Same"/>, which only matters for fractions such as <c>1/3</c>.</summary>
    private const decimal Tolerance = 0.000001m;

    /// <summary>Every number in <paramref name="text"/>, in order. Digit runs too long for <see cref="decimal"/> are skipped.</summary>
    public static List<NumberMatch> FindAll(string text, int start = 0)
    {
        var found = new List<NumberMatch>();
        for (var match = NumberPattern().Match(text, start); match.Success; match = match.NextMatch())
        {
            if (TryValue(match, out var value))
            {
                found.Add(new NumberMatch(value, match.Index, match.Length));
            }
        }

        return found;
    }

    /// <summary>The first number starting exactly at <paramref name="index"/>, if there is one.</summary>
    public static NumberMatch? At(string text, int index)
    {
        var match = NumberPattern().Match(text, index);
        return match.Success && match.Index == index && TryValue(match, out var value) ? new NumberMatch(value, match.Index, match.Length) : null;
    }

    /// <summary>Parses text that should be one number and nothing else (surrounding spaces, <c>$</c>, <c>**</c>, a final <c>.</c> allowed).</summary>
    public static bool TryParseWhole(string text, out decimal value)
    {
        value = 0;
        var trimmed = text.Trim().Trim('*', ' ').TrimEnd('.').Trim();
        var match = NumberPattern().Match(trimmed);
        return match.Success && match.Index == 0 && match.Length == trimmed.Length && TryValue(match, out value);
    }

    /// <summary>Whether two values are the same answer: equal, or within a relative 1e-6 (for fractions such as 1/3).</summary>
    public static bool Same(decimal a, decimal b)
    {
        if (a == b)
        {
            return true;
        }

        var scale = Math.Max(1m, Math.Max(Math.Abs(a), Math.Abs(b)));
        return Math.Abs(a - b) <= Tolerance * scale;
    }

    /// <summary>The shortest plain form: <c>1000</c>, <c>3.5</c>, <c>-0.25</c>, never an exponent or trailing zeros.</summary>
    public static string Format(decimal value) =>
        value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static bool TryValue(Match match, out decimal value)
    {
        value = 0;
        var digits = match.Groups["num"].Value.Replace(",", string.Empty, StringComparison.Ordinal);
        if (!decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        if (match.Groups["den"].Success)
        {
            if (!decimal.TryParse(match.Groups["den"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var denominator) || denominator == 0)
            {
                return false;
            }

            number /= denominator;
        }

        value = match.Groups["sign"].Success ? -number : number;
        return true;
    }

    // A sign only when it does not follow a word character ("3-4" is 3 and 4); an optional $; thousands groups of three
    // digits, or plain digits, with decimals; an optional "/denominator"; a % after.
    [GeneratedRegex(
        @"(?<![\w.])(?<sign>[-−])?\$?(?<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d+|\.\d+)(?:\s*/\s*(?<den>\d+)(?!\d|[.,]\d))?%?",
        RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
