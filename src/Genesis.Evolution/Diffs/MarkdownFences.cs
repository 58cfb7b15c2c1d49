using System.Text.RegularExpressions;

namespace Genesis.Diffs;

/// <summary>Finds the fenced code blocks (<c>```</c> or <c>~~~</c>, three or more) of a Markdown answer, as CommonMark does.</summary>
internal static partial class MarkdownFences
{
    /// <summary>The fenced blocks of <paramref name="lines"/>, in order; the last one may be unclosed.</summary>
    public static List<FencedBlock> Scan(IReadOnlyList<string> lines)
    {
        var blocks = new List<FencedBlock>();
        for (var i = 0; i < lines.Count; i++)
        {
            var open = Opening().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }

            var fence = open.Groups["fence"].Value;
            var tag = open.Groups["tag"].Value.Trim('{', '}', '.').ToLowerInvariant();
            var content = new List<string>();
            var closed = false;
            for (i++; i < lines.Count; i++)
            {
                if (IsClosing(lines[i], fence))
                {
                    closed = true;
                    break;
                }

                content.Add(lines[i]);
            }

            blocks.Add(new FencedBlock(tag, content, closed));
        }

        return blocks;
    }

    private static bool IsClosing(string line, string fence)
    {
        var trimmed = line.AsSpan().Trim();
        if (trimmed.Length < fence.Length)
        {
            return false;
        }

        foreach (var c in trimmed)
        {
            if (c != fence[0])
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex(@"^\s*(?<fence>`{3,}|~{3,})\s*(?<tag>[^\s`]*)[^`]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Opening();
}
