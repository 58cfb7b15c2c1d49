using System.Text;

namespace Genesis.Diffs;

/// <summary>Renders edits in the canonical SEARCH/REPLACE format, for prompts and records.</summary>
/// <remarks>
/// <see cref="SearchReplaceParser.Parse"/> reads the output back into equal edits (line terminators become <c>\n</c>),
/// provided no line of an edit is itself a marker line (<c>&lt;&lt;&lt;&lt;&lt;&lt;&lt; SEARCH</c>, <c>=======</c>,
/// <c>&gt;&gt;&gt;&gt;&gt;&gt;&gt; REPLACE</c>) and no section both starts and ends with a <c>```</c> fence line.
/// </remarks>
public static class SearchReplaceWriter
{
    /// <summary>The line that opens a block.</summary>
    public const string SearchMarker = "<<<<<<< SEARCH";

    /// <summary>The line between the SEARCH and REPLACE sections.</summary>
    public const string Divider = "=======";

    /// <summary>The line that closes a block.</summary>
    public const string ReplaceMarker = ">>>>>>> REPLACE";

    /// <summary>Renders one edit, ending with a line terminator.</summary>
    public static string Format(SearchReplaceEdit edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var builder = new StringBuilder();
        Append(builder, edit);
        return builder.ToString();
    }

    /// <summary>Renders the edits in order, separated by a blank line.</summary>
    public static string Format(IEnumerable<SearchReplaceEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(edits);
        var builder = new StringBuilder();
        foreach (var edit in edits)
        {
            ArgumentNullException.ThrowIfNull(edit, nameof(edits));
            if (builder.Length > 0)
            {
                builder.Append('\n');
            }

            Append(builder, edit);
        }

        return builder.ToString();
    }

    private static void Append(StringBuilder builder, SearchReplaceEdit edit)
    {
        builder.Append(SearchMarker).Append('\n');
        AppendSection(builder, edit.Search);
        builder.Append(Divider).Append('\n');
        AppendSection(builder, edit.Replace);
        builder.Append(ReplaceMarker).Append('\n');
    }

    private static void AppendSection(StringBuilder builder, string text)
    {
        if (text.Length > 0)
        {
            builder.Append(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')).Append('\n');
        }
    }
}
