using System.Text.RegularExpressions;

namespace Genesis.Scoring;

/// <summary>Pulls Python code out of a model's reply.</summary>
/// <remarks>
/// <para>Fenced blocks (<c>```python</c>, <c>```py</c> or a bare <c>```</c>) are collected; blocks in other languages
/// (<c>```bash</c>, <c>```text</c>, <c>```output</c>) are skipped; a block left open by a truncated reply runs to the end.
/// Of the Python blocks, the last one that defines the function the tests call is taken; when none does, all Python
/// blocks are joined in order.</para>
/// <para>Without fences, the code starts at the first line that begins with <c>def</c>, <c>class</c>, <c>import</c>,
/// <c>from</c> or <c>@</c>, and ends at the last line before trailing prose (an unindented line that does not look like
/// Python). With no such line, the whole reply is taken.</para>
/// </remarks>
public static partial class CodeExtraction
{
    private static readonly HashSet<string> PythonTags = new(StringComparer.OrdinalIgnoreCase) { string.Empty, "python", "py", "python3", "py3" };

    private static readonly HashSet<string> NotEntryPoints = new(StringComparer.Ordinal)
    {
        "set", "sorted", "list", "tuple", "len", "abs", "round", "str", "int", "float", "dict", "frozenset", "any", "all",
        "sum", "max", "min", "isinstance", "type", "bool", "isclose", "math", "repr", "print", "map", "filter", "zip", "range",
    };

    /// <summary>The code to run from a reply (see the remarks).</summary>
    /// <param name="modelOutput">The model's reply.</param>
    /// <param name="entryPoint">The function the tests call, or <see langword="null"/> if unknown.</param>
    /// <returns>The code, and how it was chosen.</returns>
    public static (string Code, string How) Extract(string modelOutput, string? entryPoint)
    {
        ArgumentNullException.ThrowIfNull(modelOutput);
        var blocks = FencedBlocks(modelOutput);
        var python = blocks.Where(b => PythonTags.Contains(b.Language)).ToList();
        if (python.Count > 0)
        {
            if (entryPoint is not null)
            {
                var defining = python.FindLastIndex(b => DefinesPattern(entryPoint).IsMatch(b.Code));
                if (defining >= 0)
                {
                    var how = python.Count == 1 ? "the fenced block" : $"fenced block {defining + 1} of {python.Count}, which defines {entryPoint}";
                    return (python[defining].Code, python[defining].Closed ? how : how + " (unclosed)");
                }
            }

            return python.Count == 1
                ? (python[0].Code, python[0].Closed ? "the fenced block" : "the fenced block (unclosed)")
                : (string.Join("\n\n", python.Select(b => b.Code)), $"all {python.Count} fenced blocks joined");
        }

        if (blocks.Count > 0)
        {
            return (modelOutput, $"the whole reply (its fenced blocks are {string.Join(", ", blocks.Select(b => b.Language).Distinct())}, not Python)");
        }

        var lines = modelOutput.Split('\n');
        var start = Array.FindIndex(lines, l => CodeStartPattern().IsMatch(l));
        if (start < 0)
        {
            return (modelOutput, "the whole reply");
        }

        var end = start;
        for (var i = start + 1; i < lines.Length; i++)
        {
            if (LooksLikeCode(lines[i]))
            {
                end = i;
            }
            else
            {
                break;
            }
        }

        return (string.Join('\n', lines[start..(end + 1)]).TrimEnd(), "unfenced code in the reply");
    }

    /// <summary>The first function the asserts call that is not a built-in, for example <c>remove_Occ</c> in <c>assert remove_Occ("hello","l") == "heo"</c>.</summary>
    /// <param name="tests">The asserts.</param>
    public static string? EntryPoint(IEnumerable<string> tests)
    {
        ArgumentNullException.ThrowIfNull(tests);
        foreach (var test in tests)
        {
            foreach (Match call in CallPattern().Matches(test))
            {
                var name = call.Groups[1].Value;
                if (!NotEntryPoints.Contains(name) && name != "assert" && name != "not")
                {
                    return name;
                }
            }
        }

        return null;
    }

    private static bool LooksLikeCode(string line) =>
        line.Length == 0 || char.IsWhiteSpace(line[0]) || CodeLinePattern().IsMatch(line);

    private static List<(string Language, string Code, bool Closed)> FencedBlocks(string text)
    {
        var blocks = new List<(string, string, bool)>();
        var lines = text.Split('\n');
        string? language = null;
        var body = new List<string>();
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\r');
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                if (language is null)
                {
                    language = trimmed[3..].Trim();
                    body.Clear();
                }
                else
                {
                    blocks.Add((language, string.Join('\n', body), true));
                    language = null;
                }

                continue;
            }

            if (language is not null)
            {
                body.Add(line);
            }
        }

        if (language is not null && body.Count > 0)
        {
            blocks.Add((language, string.Join('\n', body), false));
        }

        return blocks;
    }

    private static Regex DefinesPattern(string name) =>
        new(@"^\s*def\s+" + Regex.Escape(name) + @"\s*\(", RegexOptions.Multiline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"\b([A-Za-z_]\w*)\s*\(", RegexOptions.CultureInvariant)]
    private static partial Regex CallPattern();

    [GeneratedRegex(@"^(?:def|class|import|from|async\s+def)\s|^@\w", RegexOptions.CultureInvariant)]
    private static partial Regex CodeStartPattern();

    [GeneratedRegex(
        @"^(?:def|class|import|from|return|if|elif|else|for|while|try|except|finally|with|assert|print|raise|pass|async|lambda|global|nonlocal|del|yield|@|#)\b|^[A-Za-z_][\w.,\[\] ]*\s*[+\-*/%&|^]?=[^=]|^[A-Za-z_][\w.]*\(.*\)\s*$|^[)\]}]",
        RegexOptions.CultureInvariant)]
    private static partial Regex CodeLinePattern();
}
