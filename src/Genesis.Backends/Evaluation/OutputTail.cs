using System.Text;

namespace Genesis.Execution;

/// <summary>The end of a process's output, short enough for a prompt.</summary>
internal static class OutputTail
{
    /// <summary>The most lines a tail keeps.</summary>
    public const int MaxLines = 40;

    /// <summary>The most UTF-8 bytes a tail keeps.</summary>
    public const int MaxBytes = 4096;

    /// <summary>The last <paramref name="maxLines"/> lines of <paramref name="text"/>, cut further to at most <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    public static string Of(string text, int maxLines = MaxLines, int maxBytes = MaxBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.TrimEnd('\r', '\n', ' ', '\t');
        var start = trimmed.Length;
        for (var lines = 0; start > 0 && lines < maxLines; lines++)
        {
            var newline = trimmed.LastIndexOf('\n', start - 1);
            start = newline < 0 ? 0 : newline;
        }

        var tail = trimmed.AsSpan(start).TrimStart('\n');
        if (Encoding.UTF8.GetByteCount(tail) <= maxBytes)
        {
            return tail.ToString();
        }

        // Keep whole characters from the end until the byte budget is spent.
        var bytes = 0;
        var cut = tail.Length;
        while (cut > 0)
        {
            var width = cut >= 2 && char.IsSurrogatePair(tail[cut - 2], tail[cut - 1]) ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(tail.Slice(cut - width, width));
            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            cut -= width;
        }

        return tail[cut..].ToString();
    }
}
