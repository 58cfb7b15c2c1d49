using System.Text;
using Genesis.Blocks;

namespace Genesis.Diffs;

/// <summary>Line helpers shared by the diff and patch code: splitting, joining and indentation.</summary>
internal static class TextLines
{
    /// <summary>Splits <paramref name="text"/> into lines; unlike <see cref="EvolveBlockLayout.SplitLines"/>, the empty string has no lines.</summary>
    public static List<string> Split(string text) => text.Length == 0 ? [] : [.. EvolveBlockLayout.SplitLines(text)];

    /// <summary>Whether the text ends with a line terminator.</summary>
    public static bool EndsWithNewline(string text) => text.Length > 0 && text[^1] is '\n' or '\r';

    /// <summary>Joins lines with <c>\n</c>, adding a final <c>\n</c> when <paramref name="trailingNewline"/> is set.</summary>
    public static string Join(IReadOnlyList<string> lines, bool trailingNewline)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('\n');
            }

            builder.Append(lines[i]);
        }

        if (trailingNewline && lines.Count > 0)
        {
            builder.Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>The leading whitespace of a line.</summary>
    public static string Indentation(string line)
    {
        var end = 0;
        while (end < line.Length && char.IsWhiteSpace(line[end]))
        {
            end++;
        }

        return line[..end];
    }

    /// <summary>Whether the line is empty or whitespace only.</summary>
    public static bool IsBlank(string line) => string.IsNullOrWhiteSpace(line);

    /// <summary>Formats 1-based line numbers <paramref name="first"/> to <paramref name="last"/> as "line 4" or "lines 4-9".</summary>
    public static string Range(int first, int last) => first == last ? $"line {first}" : $"lines {first}-{last}";
}
