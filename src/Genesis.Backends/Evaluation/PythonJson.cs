using System.Text;
using System.Text.Json;

namespace Genesis.Execution;

/// <summary>
/// Parses JSON as Python's <c>json</c> module writes it. Python writes non-finite floats as the bare tokens
/// <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c>, which are not JSON; they are turned into the strings
/// <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c> first, so a non-finite value can be reported by name
/// instead of failing the whole document.
/// </summary>
internal static class PythonJson
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    /// <summary>Parses <paramref name="text"/>; throws <see cref="JsonException"/> when it is not JSON even after the rewrite.</summary>
    public static JsonDocument Parse(string text) => JsonDocument.Parse(QuoteNonFiniteLiterals(text), Options);

    /// <summary>Rewrites the bare tokens <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> outside strings as JSON strings.</summary>
    public static string QuoteNonFiniteLiterals(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        StringBuilder? result = null;
        var copiedUpTo = 0;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (c == '"')
            {
                inString = true;
                continue;
            }

            if (i > 0 && (char.IsAsciiLetterOrDigit(text[i - 1]) || text[i - 1] is '_' or '.' or '+'))
            {
                continue;
            }

            var token = Match(text, i, "-Infinity") ?? Match(text, i, "Infinity") ?? Match(text, i, "NaN");
            if (token is null)
            {
                continue;
            }

            result ??= new StringBuilder(text.Length + 16);
            result.Append(text, copiedUpTo, i - copiedUpTo).Append('"').Append(token).Append('"');
            i += token.Length - 1;
            copiedUpTo = i + 1;
        }

        if (result is null)
        {
            return text;
        }

        return result.Append(text, copiedUpTo, text.Length - copiedUpTo).ToString();
    }

    private static string? Match(string text, int start, string token)
    {
        if (string.CompareOrdinal(text, start, token, 0, token.Length) != 0)
        {
            return null;
        }

        var end = start + token.Length;
        return end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_') ? null : token;
    }
}
