using System.Globalization;

namespace Genesis.Mutation;

/// <summary>A numeric literal found in source: where it is and how to rewrite it.</summary>
/// <param name="Line">The 0-based line in the block's lines.</param>
/// <param name="Column">The 0-based column of its first character.</param>
/// <param name="Core">The number without its type suffix, for example <c>0.5</c>, <c>1e-3</c>, <c>42</c>.</param>
/// <param name="Suffix">The type suffix as written (<c>f</c>, <c>UL</c>, <c>f32</c>, ...), or empty.</param>
/// <param name="IsInteger">Whether it is an integer literal (no decimal point, exponent or float suffix).</param>
/// <param name="Value">Its value (never negative: a leading minus is an operator, not part of the literal).</param>
internal readonly record struct NumericLiteral(int Line, int Column, string Core, string Suffix, bool IsInteger, double Value)
{
    /// <summary>The literal's full length in characters.</summary>
    public int Length => Core.Length + Suffix.Length;

    /// <summary>Whether the literal is written with an exponent.</summary>
    public bool HasExponent => Core.Contains('e', StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Finds the numeric literals a constant-perturbation mutation may change, using simple lexical rules that hold across
/// the languages Genesis evolves: digits inside identifiers (<c>x2</c>), member and tuple access (<c>t.0</c>), text in
/// strings (<c>'…'</c>, <c>"…"</c>, triple-quoted and backtick strings spanning lines) and comments (the language's line
/// comment, and <c>/* … */</c> where the line comment is <c>//</c>) are skipped. Hexadecimal, binary and octal literals,
/// literals with digit separators or leading zeros, and unknown suffixes are recognised but reported as not changeable.
/// </summary>
internal static class NumericLiteralScanner
{
    private static readonly HashSet<string> FloatSuffixes = new(StringComparer.Ordinal) { "f", "F", "d", "D", "m", "M", "f32", "f64" };

    private static readonly HashSet<string> IntegerSuffixes = new(StringComparer.Ordinal)
    {
        "u", "U", "l", "L", "ul", "UL", "uL", "Ul", "lu", "LU", "ll", "LL", "ull", "ULL", "n",
        "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
    };

    private enum State
    {
        Code,
        BlockComment,
        TripleString,
        Backtick,
    }

    /// <summary>The changeable literals of <paramref name="lines"/>, in reading order.</summary>
    /// <param name="lines">The lines of one region of code (one EVOLVE-BLOCK); strings and comments do not carry in from outside.</param>
    /// <param name="lineComment">The language's line-comment token, for example <c>#</c> or <c>//</c>.</param>
    public static List<NumericLiteral> Scan(IReadOnlyList<string> lines, string lineComment)
    {
        var found = new List<NumericLiteral>();
        var blockComments = lineComment == "//";
        var state = State.Code;
        var tripleQuote = '"';
        for (var l = 0; l < lines.Count; l++)
        {
            var line = lines[l];
            var i = 0;
            while (i < line.Length)
            {
                switch (state)
                {
                    case State.BlockComment:
                        var close = line.IndexOf("*/", i, StringComparison.Ordinal);
                        (state, i) = close < 0 ? (state, line.Length) : (State.Code, close + 2);
                        continue;
                    case State.TripleString:
                        var end = FindUnescaped(line, i, new string(tripleQuote, 3));
                        (state, i) = end < 0 ? (state, line.Length) : (State.Code, end + 3);
                        continue;
                    case State.Backtick:
                        var tick = FindUnescaped(line, i, "`");
                        (state, i) = tick < 0 ? (state, line.Length) : (State.Code, tick + 1);
                        continue;
                }

                var c = line[i];
                if (lineComment.Length > 0 && string.CompareOrdinal(line, i, lineComment, 0, lineComment.Length) == 0)
                {
                    break;
                }

                if (blockComments && c == '/' && i + 1 < line.Length && line[i + 1] == '*')
                {
                    state = State.BlockComment;
                    i += 2;
                }
                else if (c is '"' or '\'')
                {
                    if (i + 2 < line.Length && line[i + 1] == c && line[i + 2] == c)
                    {
                        state = State.TripleString;
                        tripleQuote = c;
                        i += 3;
                    }
                    else
                    {
                        // An unclosed quote (a Rust lifetime, an apostrophe) is just a character.
                        var closing = FindUnescaped(line, i + 1, c.ToString());
                        i = closing < 0 ? i + 1 : closing + 1;
                    }
                }
                else if (c == '`')
                {
                    state = State.Backtick;
                    i++;
                }
                else if (IsIdentifierPart(c) && !char.IsAsciiDigit(c))
                {
                    while (i < line.Length && IsIdentifierPart(line[i]))
                    {
                        i++;
                    }
                }
                else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < line.Length && char.IsAsciiDigit(line[i + 1]) && !FollowsOperand(line, i) && (i == 0 || line[i - 1] != '.')))
                {
                    var memberAccess = c != '.' && i >= 2 && line[i - 1] == '.' && FollowsOperand(line, i - 1);
                    var next = ScanNumber(line, i, out var literal);
                    if (literal is { } value && !memberAccess)
                    {
                        found.Add(value with { Line = l });
                    }

                    i = next;
                }
                else
                {
                    i++;
                }
            }
        }

        return found;
    }

    /// <summary>Formats an integer literal's new value, keeping its suffix.</summary>
    public static string FormatInteger(long value, NumericLiteral literal) =>
        value.ToString(CultureInfo.InvariantCulture) + literal.Suffix;

    /// <summary>
    /// Formats a float literal's new value with one more significant digit than the original (at least 4), keeping a
    /// decimal point, the exponent style (<c>e</c> or <c>E</c>, explicit <c>+</c>) and the suffix.
    /// </summary>
    public static string FormatFloat(double value, NumericLiteral literal)
    {
        var significant = Math.Clamp(SignificantDigits(literal.Core) + 1, 4, 15);
        string core;
        if (literal.HasExponent && value != 0)
        {
            var exponent = (int)Math.Floor(Math.Log10(value));
            var mantissa = Math.Round(value / Math.Pow(10, exponent), significant - 1, MidpointRounding.AwayFromZero);
            if (mantissa >= 10)
            {
                mantissa /= 10;
                exponent++;
            }

            var e = literal.Core[literal.Core.IndexOfAny(['e', 'E'])];
            var plus = literal.Core.Contains('+', StringComparison.Ordinal) && exponent >= 0 ? "+" : string.Empty;
            core = WithPoint(mantissa.ToString("F" + (significant - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture))
                + e + plus + exponent.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            var magnitude = value == 0 ? 0 : (int)Math.Floor(Math.Log10(value));
            var decimals = Math.Clamp(significant - 1 - magnitude, 1, 15);
            core = WithPoint(value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
        }

        return core + literal.Suffix;
    }

    private static string WithPoint(string fixedText)
    {
        var point = fixedText.IndexOf('.', StringComparison.Ordinal);
        if (point < 0)
        {
            return fixedText + ".0";
        }

        var last = fixedText.Length - 1;
        while (last > point + 1 && fixedText[last] == '0')
        {
            last--;
        }

        return fixedText[..(last + 1)];
    }

    private static int SignificantDigits(string core)
    {
        var mantissa = core.AsSpan(0, core.IndexOfAny(['e', 'E']) is var e and >= 0 ? e : core.Length);
        var count = 0;
        var leading = true;
        foreach (var ch in mantissa)
        {
            if (!char.IsAsciiDigit(ch))
            {
                continue;
            }

            if (leading && ch == '0')
            {
                continue;
            }

            leading = false;
            count++;
        }

        return Math.Max(1, count);
    }

    /// <summary>Scans the number at <paramref name="start"/>; returns the index after it and the literal if it may be changed.</summary>
    private static int ScanNumber(string line, int start, out NumericLiteral? literal)
    {
        literal = null;
        var i = start;
        var changeable = true;
        if (line[i] == '0' && i + 1 < line.Length && line[i + 1] is 'x' or 'X' or 'b' or 'B' or 'o' or 'O')
        {
            i += 2;
            while (i < line.Length && IsIdentifierPart(line[i]))
            {
                i++;
            }

            return i;
        }

        var isInteger = true;
        i = SkipDigits(line, i, ref changeable);
        if (i < line.Length && line[i] == '.')
        {
            var afterPoint = i + 1 < line.Length ? line[i + 1] : ' ';
            if (char.IsAsciiDigit(afterPoint))
            {
                isInteger = false;
                i = SkipDigits(line, i + 1, ref changeable);
            }
            else if (afterPoint != '.' && !IsIdentifierPart(afterPoint) && i > start)
            {
                isInteger = false;
                i++;
            }
        }

        if (i < line.Length && line[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < line.Length && line[j] is '+' or '-')
            {
                j++;
            }

            if (j < line.Length && char.IsAsciiDigit(line[j]))
            {
                isInteger = false;
                i = SkipDigits(line, j, ref changeable);
            }
        }

        var coreEnd = i;
        while (i < line.Length && IsIdentifierPart(line[i]))
        {
            i++;
        }

        var core = line[start..coreEnd];
        var suffix = line[coreEnd..i];
        if (suffix.Length > 0)
        {
            if (FloatSuffixes.Contains(suffix))
            {
                isInteger = false;
            }
            else if (!IntegerSuffixes.Contains(suffix) || !isInteger)
            {
                changeable = false;
            }
        }

        if (isInteger && core.Length > 1 && core[0] == '0')
        {
            changeable = false; // octal in C, an error in Python 3: leave it alone
        }

        if (!changeable)
        {
            return i;
        }

        if (isInteger)
        {
            if (long.TryParse(core, NumberStyles.None, CultureInfo.InvariantCulture, out var whole))
            {
                literal = new NumericLiteral(0, start, core, suffix, true, whole);
            }
        }
        else if (double.TryParse(core, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            literal = new NumericLiteral(0, start, core, suffix, false, real);
        }

        return i;
    }

    private static int SkipDigits(string line, int i, ref bool changeable)
    {
        while (i < line.Length && (char.IsAsciiDigit(line[i]) || (line[i] == '_' && i + 1 < line.Length && char.IsAsciiDigit(line[i + 1]))))
        {
            if (line[i] == '_')
            {
                changeable = false; // digit separators: rewriting would lose the author's grouping
            }

            i++;
        }

        return i;
    }

    /// <summary>Whether the character before <paramref name="dot"/> ends an operand, making the dot member access.</summary>
    private static bool FollowsOperand(string line, int dot) =>
        dot > 0 && (IsIdentifierPart(line[dot - 1]) || line[dot - 1] is ')' or ']' or '}');

    private static int FindUnescaped(string line, int from, string token)
    {
        for (var i = from; i <= line.Length - token.Length; i++)
        {
            if (line[i] == '\\')
            {
                i++;
                continue;
            }

            if (string.CompareOrdinal(line, i, token, 0, token.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';
}
