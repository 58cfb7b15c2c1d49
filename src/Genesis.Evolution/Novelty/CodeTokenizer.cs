namespace Genesis.Novelty;

/// <summary>
/// Splits UTF-8 source into the tokens the n-gram embedding hashes: identifiers and keywords (any non-ASCII byte counts as
/// a letter, so Unicode names stay whole), numbers (<c>12</c>, <c>0.5</c>, <c>1e-3</c>, <c>0x1F</c>, <c>2.0f</c>),
/// operators (longest of the common two- and three-character ones, else one character). Whitespace separates tokens and
/// is dropped; comments and strings are tokenised like code, which is what a reader of the code sees too.
/// </summary>
internal static class CodeTokenizer
{
    private static readonly string[] ThreeCharOperators = ["**=", "//=", ">>=", "<<=", "...", "===", "!==", "<=>", ">>>"];

    private static readonly string[] TwoCharOperators =
    [
        "==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
        "**", "//", "<<", ">>", "->", "=>", "::", "??", "?.", ":=", "..", "/*", "*/",
    ];

    /// <summary>The tokens of <paramref name="utf8"/> as (start, length) byte ranges, in order.</summary>
    public static List<(int Start, int Length)> Tokenize(ReadOnlySpan<byte> utf8)
    {
        var tokens = new List<(int, int)>(utf8.Length / 3);
        var i = 0;
        while (i < utf8.Length)
        {
            var b = utf8[i];
            if (b <= (byte)' ')
            {
                i++;
                continue;
            }

            var start = i;
            if (IsIdentifierStart(b))
            {
                i++;
                while (i < utf8.Length && IsIdentifierPart(utf8[i]))
                {
                    i++;
                }
            }
            else if (IsDigit(b) || (b == (byte)'.' && i + 1 < utf8.Length && IsDigit(utf8[i + 1])))
            {
                i = ScanNumber(utf8, i);
            }
            else
            {
                i += OperatorLength(utf8[i..]);
            }

            tokens.Add((start, i - start));
        }

        return tokens;
    }

    private static int ScanNumber(ReadOnlySpan<byte> utf8, int i)
    {
        var hex = utf8[i] == (byte)'0' && i + 1 < utf8.Length && (utf8[i + 1] | 0x20) == (byte)'x';
        i++;
        while (i < utf8.Length)
        {
            var c = utf8[i];
            if (IsIdentifierPart(c))
            {
                i++;
            }
            else if (c == (byte)'.' && i + 1 < utf8.Length && IsDigit(utf8[i + 1]))
            {
                i++;
            }
            else if ((c == (byte)'+' || c == (byte)'-') && !hex && (utf8[i - 1] | 0x20) == (byte)'e')
            {
                i++;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    private static int OperatorLength(ReadOnlySpan<byte> rest)
    {
        foreach (var op in ThreeCharOperators)
        {
            if (StartsWith(rest, op))
            {
                return 3;
            }
        }

        foreach (var op in TwoCharOperators)
        {
            if (StartsWith(rest, op))
            {
                return 2;
            }
        }

        return 1;
    }

    private static bool StartsWith(ReadOnlySpan<byte> rest, string op)
    {
        if (rest.Length < op.Length)
        {
            return false;
        }

        for (var k = 0; k < op.Length; k++)
        {
            if (rest[k] != (byte)op[k])
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool IsIdentifierStart(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or (byte)'_' or >= 0x80;

    private static bool IsIdentifierPart(byte b) => IsIdentifierStart(b) || IsDigit(b);
}
