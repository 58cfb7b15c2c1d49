using System.Globalization;
using System.Text;

namespace Genesis.Diffs;

/// <summary>Unified diffs (<c>@@ -a,b +c,d @@</c> hunks) between two versions of a program, to record what a mutation changed.</summary>
public static class UnifiedDiff
{
    /// <summary>The marker <c>diff</c> and <c>patch</c> use after a last line that has no line terminator.</summary>
    public const string NoNewlineMarker = "\\ No newline at end of file";

    /// <summary>The unified diff from <paramref name="before"/> to <paramref name="after"/>, labelled <c>before</c> and <c>after</c>.</summary>
    /// <inheritdoc cref="Create(string, string, string, string, int)"/>
    public static string Create(string before, string after, int context = 3) => Create(before, after, "before", "after", context);

    /// <summary>
    /// The unified diff from <paramref name="before"/> to <paramref name="after"/>: <c>---</c> and <c>+++</c> header
    /// lines, then hunks with <paramref name="context"/> unchanged lines around each change; the empty string when the
    /// texts have the same lines. Lines are compared without their terminators (<c>\r\n</c>, <c>\n</c> and <c>\r</c> are
    /// equal); a missing final terminator is a difference, marked as <see cref="NoNewlineMarker"/>. The diff is minimal
    /// (Myers' algorithm, O((N+M)·D) time, linear space) and uses <c>\n</c>.
    /// </summary>
    /// <param name="before">The old text.</param>
    /// <param name="after">The new text.</param>
    /// <param name="beforeLabel">The name on the <c>---</c> line.</param>
    /// <param name="afterLabel">The name on the <c>+++</c> line.</param>
    /// <param name="context">How many unchanged lines to show around each change; at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="context"/> is negative.</exception>
    public static string Create(string before, string after, string beforeLabel, string afterLabel, int context = 3)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(beforeLabel);
        ArgumentNullException.ThrowIfNull(afterLabel);
        ArgumentOutOfRangeException.ThrowIfNegative(context);

        var a = TextLines.Split(before);
        var b = TextLines.Split(after);
        var aEndsOpen = before.Length > 0 && !TextLines.EndsWithNewline(before);
        var bEndsOpen = after.Length > 0 && !TextLines.EndsWithNewline(after);
        var ids = new Dictionary<(string, bool), int>();
        var aIds = Ids(a, aEndsOpen, ids);
        var bIds = Ids(b, bEndsOpen, ids);
        var (keptA, keptB) = MyersDiff.Compute(aIds, bIds);
        var ops = Script(keptA, keptB);
        if (ops.TrueForAll(op => op.Kind == ' '))
        {
            return string.Empty;
        }

        var output = new StringBuilder();
        output.Append("--- ").Append(beforeLabel).Append('\n');
        output.Append("+++ ").Append(afterLabel).Append('\n');
        var index = 0;
        while (index < ops.Count)
        {
            var firstChange = ops.FindIndex(index, op => op.Kind != ' ');
            if (firstChange < 0)
            {
                break;
            }

            var lastChange = firstChange;
            for (var i = firstChange + 1; i < ops.Count; i++)
            {
                if (ops[i].Kind == ' ')
                {
                    continue;
                }

                if (i - lastChange - 1 > 2 * context)
                {
                    break;
                }

                lastChange = i;
            }

            var start = Math.Max(index, firstChange - context);
            var end = Math.Min(ops.Count, lastChange + context + 1);
            AppendHunk(output, ops, start, end, a, b, aEndsOpen, bEndsOpen);
            index = end;
        }

        return output.ToString();
    }

    private static int[] Ids(List<string> lines, bool endsOpen, Dictionary<(string, bool), int> ids)
    {
        var result = new int[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            var key = (lines[i], endsOpen && i == lines.Count - 1);
            if (!ids.TryGetValue(key, out var id))
            {
                id = ids.Count;
                ids[key] = id;
            }

            result[i] = id;
        }

        return result;
    }

    /// <summary>The edit script: kept lines as ' ', deletions before insertions within each change.</summary>
    private static List<(char Kind, int A, int B)> Script(bool[] keptA, bool[] keptB)
    {
        var ops = new List<(char Kind, int A, int B)>(keptA.Length + keptB.Length);
        int i = 0, j = 0;
        while (i < keptA.Length || j < keptB.Length)
        {
            if (i < keptA.Length && !keptA[i])
            {
                ops.Add(('-', i++, j));
            }
            else if (j < keptB.Length && !keptB[j])
            {
                ops.Add(('+', i, j++));
            }
            else
            {
                ops.Add((' ', i++, j++));
            }
        }

        return ops;
    }

    private static void AppendHunk(
        StringBuilder output,
        List<(char Kind, int A, int B)> ops,
        int start,
        int end,
        List<string> a,
        List<string> b,
        bool aEndsOpen,
        bool bEndsOpen)
    {
        var aCount = 0;
        var bCount = 0;
        for (var i = start; i < end; i++)
        {
            aCount += ops[i].Kind == '+' ? 0 : 1;
            bCount += ops[i].Kind == '-' ? 0 : 1;
        }

        // A range of zero lines names the line before it, as diff does.
        var aStart = aCount == 0 ? ops[start].A : ops[start].A + 1;
        var bStart = bCount == 0 ? ops[start].B : ops[start].B + 1;
        output.Append(CultureInfo.InvariantCulture, $"@@ -{Range(aStart, aCount)} +{Range(bStart, bCount)} @@\n");
        for (var i = start; i < end; i++)
        {
            var (kind, ai, bi) = ops[i];
            var text = kind == '+' ? b[bi] : a[ai];
            output.Append(kind).Append(text).Append('\n');
            var open = kind == '+' ? bEndsOpen && bi == b.Count - 1 : aEndsOpen && ai == a.Count - 1;
            if (open)
            {
                output.Append(NoNewlineMarker).Append('\n');
            }
        }
    }

    private static string Range(int start, int count) =>
        count == 1 ? start.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{start},{count}");
}
