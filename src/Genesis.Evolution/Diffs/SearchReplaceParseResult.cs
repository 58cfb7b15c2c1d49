using System.Text;

namespace Genesis.Diffs;

/// <summary>The well-formed edits of an answer and the malformed blocks it also contained.</summary>
public sealed class SearchReplaceParseResult
{
    internal SearchReplaceParseResult(IReadOnlyList<SearchReplaceEdit> edits, IReadOnlyList<SearchReplaceProblem> problems)
    {
        Edits = edits;
        Problems = problems;
    }

    /// <summary>The complete blocks, in the order they appear.</summary>
    public IReadOnlyList<SearchReplaceEdit> Edits { get; }

    /// <summary>The malformed blocks, in the order they appear. Their text is not part of <see cref="Edits"/>.</summary>
    public IReadOnlyList<SearchReplaceProblem> Problems { get; }

    /// <summary>Whether the answer ends inside a block, which usually means the model ran out of output tokens.</summary>
    public bool IsTruncated => Problems.Any(p => p.Kind == SearchReplaceProblemKind.Truncated);

    /// <summary>Whether the answer has at least one edit and no malformed block.</summary>
    public bool IsWellFormed => Edits.Count > 0 && Problems.Count == 0;

    /// <summary>
    /// A description of what is wrong with the answer's format, written to be sent back to the model; empty when
    /// <see cref="IsWellFormed"/>.
    /// </summary>
    public string DescribeProblems()
    {
        if (IsWellFormed)
        {
            return string.Empty;
        }

        if (Edits.Count == 0 && Problems.Count == 0)
        {
            return "The answer contains no SEARCH/REPLACE edit. Write each edit as a line `<<<<<<< SEARCH`, the lines to find, "
                + "a line `=======`, the new lines, and a line `>>>>>>> REPLACE`.";
        }

        var builder = new StringBuilder();
        builder.Append(Problems.Count == 1 ? "A SEARCH/REPLACE block is malformed:" : $"{Problems.Count} SEARCH/REPLACE blocks are malformed:");
        foreach (var problem in Problems)
        {
            builder.Append("\n- ").Append(problem.Message);
        }

        builder.Append('\n').Append(IsTruncated
            ? "The answer was cut off. Send fewer or shorter edits so that the whole answer fits."
            : "Each edit needs the three marker lines `<<<<<<< SEARCH`, `=======` and `>>>>>>> REPLACE`, in that order.");
        return builder.ToString();
    }
}
