using System.Text;

namespace Genesis.Execution;

/// <summary>Shapes a compiler's messages for a prompt: joined, made relative, and capped with the first error kept.</summary>
internal static class CompilerOutput
{
    private const int MarkerReserve = 160;

    /// <summary>Joins the non-blank parts with a newline, each trimmed at its end.</summary>
    public static string Combine(params string?[] parts)
    {
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            var trimmed = part?.TrimEnd();
            if (string.IsNullOrEmpty(trimmed) || trimmed.Trim().Length == 0)
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append('\n');
            }

            builder.Append(trimmed);
        }

        return builder.ToString();
    }

    /// <summary>Removes the prefix <c>&lt;folder&gt;/</c> of each of <paramref name="folders"/> from <paramref name="text"/>.</summary>
    public static string MakeRelative(string text, params string[] folders)
    {
        foreach (var folder in folders.OrderByDescending(f => f.Length))
        {
            var prefix = Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar;
            text = text.Replace(prefix, string.Empty, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The first line that mentions an error, or the first line; at most 200 characters.</summary>
    public static string FirstErrorLine(string text)
    {
        var lines = text.Split('\n');
        var line = lines.FirstOrDefault(IsErrorLine) ?? lines.FirstOrDefault(l => l.Trim().Length > 0) ?? string.Empty;
        line = line.Trim();
        return line.Length > 200 ? string.Concat(line.AsSpan(0, 197), "...") : line;
    }

    /// <summary>
    /// Cuts <paramref name="text"/> to at most <paramref name="maxBytes"/> UTF-8 bytes, keeping whole lines from just before
    /// the first error on (the first error is the one that matters; later ones often follow from it) and saying what was left out.
    /// </summary>
    public static string Cap(string text, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.TrimEnd();
        var total = Encoding.UTF8.GetByteCount(text);
        if (total <= maxBytes)
        {
            return text;
        }

        var lines = text.Split('\n');
        var firstError = Array.FindIndex(lines, IsErrorLine);
        var start = firstError < 0 ? 0 : Math.Max(0, firstError - 2);
        var budget = Math.Max(0, maxBytes - MarkerReserve);
        var kept = new StringBuilder();
        var keptBytes = 0;
        var end = start;
        for (; end < lines.Length; end++)
        {
            var size = Encoding.UTF8.GetByteCount(lines[end]) + 1;
            if (keptBytes + size > budget)
            {
                if (end == start)
                {
                    // A single line longer than the budget: keep its beginning.
                    var cut = Truncate(lines[end], budget);
                    kept.Append(cut).Append('\n');
                    keptBytes += Encoding.UTF8.GetByteCount(cut) + 1;
                    end++;
                }

                break;
            }

            kept.Append(lines[end]).Append('\n');
            keptBytes += size;
        }

        var result = new StringBuilder();
        if (start > 0)
        {
            result.Append("[... ").Append(start).Append(" line(s) before the first error left out]\n");
        }

        result.Append(kept);
        var left = total - keptBytes - Encoding.UTF8.GetByteCount(string.Join('\n', lines[..start]));
        if (end < lines.Length || left > 0)
        {
            result.Append("[... ").Append(Math.Max(left, 0)).Append(" more byte(s) of compiler output left out]");
        }

        return result.ToString().TrimEnd();
    }

    private static bool IsErrorLine(string line) => line.Contains("error", StringComparison.OrdinalIgnoreCase);

    private static string Truncate(string line, int maxBytes)
    {
        var length = Math.Min(line.Length, maxBytes);
        while (length > 0 && Encoding.UTF8.GetByteCount(line.AsSpan(0, length)) > maxBytes)
        {
            length--;
        }

        if (length > 0 && char.IsHighSurrogate(line[length - 1]))
        {
            length--;
        }

        return line[..length];
    }
}
