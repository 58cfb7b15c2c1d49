using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Genesis.Diffs;

/// <summary>
/// The outcome of <see cref="PatchApplier.Apply"/>: the patched program, or every reason the patch was rejected. A
/// patch is all or nothing: when any edit fails, <see cref="Code"/> is <see langword="null"/>.
/// </summary>
public sealed class PatchResult
{
    private const int MaxShownLines = 15;

    // The program's editable lines ("lines 6-20 and 30-41"), or null without markers.
    private readonly string? _editableLines;

    // Whether a failing edit was evaluated after earlier edits had shifted the line numbers.
    private readonly bool _linesShifted;

    internal PatchResult(string? code, int editCount, int appliedCount, IReadOnlyList<PatchFailure> failures, string? editableLines, bool linesShifted)
    {
        Code = code;
        EditCount = editCount;
        AppliedCount = appliedCount;
        Failures = failures;
        _editableLines = editableLines;
        _linesShifted = linesShifted;
    }

    /// <summary>The patched program, or <see langword="null"/> when the patch failed.</summary>
    public string? Code { get; }

    /// <summary>Whether the patch applied: every edit matched inside an EVOLVE-BLOCK and the program changed.</summary>
    [MemberNotNullWhen(true, nameof(Code))]
    public bool Succeeded => Code is not null;

    /// <summary>Why the patch failed: one entry per failing edit, plus any failure of the whole patch. Empty on success.</summary>
    public IReadOnlyList<PatchFailure> Failures { get; }

    /// <summary>The number of edits in the patch.</summary>
    public int EditCount { get; }

    /// <summary>How many edits matched and were applied (on failure, to a working copy that is then discarded).</summary>
    public int AppliedCount { get; }


    /// <summary>
    /// Explains every failure, written to be sent back to the model as a retry turn: which edits failed and why, the SEARCH
    /// text, the closest lines inside the EVOLVE-BLOCKs with their line numbers and similarity, the first line that
    /// differs, and where the editable lines are. Empty when the patch succeeded.
    /// </summary>
    public string DescribeFailures()
    {
        if (Succeeded)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        var editFailures = Failures.Where(f => f.Index is not null).ToList();
        if (editFailures.Count == 0)
        {
            builder.Append("The patch was rejected. ").Append(Failures[0].Reason);
            foreach (var failure in Failures.Skip(1))
            {
                builder.Append(' ').Append(failure.Reason);
            }

            return builder.ToString();
        }

        builder.Append(EditCount == 1
            ? "The edit was not applied."
            : $"The patch was not applied: {editFailures.Count} of {EditCount} edits failed, so none was applied. "
              + $"Send all the edits again, with the failing ones corrected.");
        foreach (var failure in editFailures)
        {
            builder.Append("\n\n");
            AppendFailure(builder, failure);
        }

        builder.Append("\n\n");
        if (_editableLines is not null)
        {
            builder.Append("Only ").Append(_editableLines)
                .Append(" (between EVOLVE-BLOCK-START and EVOLVE-BLOCK-END) may change. ");
        }

        builder.Append("Copy each SEARCH exactly from the current program, indentation and comments included, ")
            .Append("and leave out the EVOLVE-BLOCK marker lines.");
        if (_linesShifted)
        {
            builder.Append(" Line numbers above count lines after the preceding edits of this patch were applied.");
        }

        return builder.ToString();
    }

    private void AppendFailure(StringBuilder builder, PatchFailure failure)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Edit {failure.Index + 1} of {EditCount} failed: {failure.Reason}");
        if (failure.Edit is null || failure.Kind == PatchFailureKind.NoChange)
        {
            return;
        }

        var search = TextLines.Split(failure.Edit.Search);
        builder.Append(CultureInfo.InvariantCulture, $"\nIts SEARCH ({Plural(search.Count, "line")}):\n```");
        AppendLines(builder, search, firstLineNumber: null);
        builder.Append("\n```");

        // Beside a match in the fixed lines, a weak resemblance inside the blocks is noise.
        if (failure.ClosestMatch is not { } closest
            || (failure.Kind == PatchFailureKind.OutsideBlocks && closest.Similarity < 0.5))
        {
            return;
        }

        var where = TextLines.Range(closest.LineNumber, closest.LineNumber + Math.Max(closest.Lines.Count, 1) - 1);
        var similarity = closest.Similarity.ToString("0.00", CultureInfo.InvariantCulture);
        builder.Append(closest.Similarity >= 0.5
            ? $"\nThe closest lines inside the EVOLVE-BLOCKs (similarity {similarity}) are {where}:"
            : $"\nNothing inside the EVOLVE-BLOCKs resembles it; the most similar lines (similarity {similarity}) are {where}:");
        AppendLines(builder, closest.Lines, closest.LineNumber);
        if (closest.FirstDifference is not null)
        {
            builder.Append('\n').Append(closest.FirstDifference);
        }
    }

    private static void AppendLines(StringBuilder builder, IReadOnlyList<string> lines, int? firstLineNumber)
    {
        var width = firstLineNumber is { } first ? (first + lines.Count).ToString(CultureInfo.InvariantCulture).Length : 0;
        for (var i = 0; i < Math.Min(lines.Count, MaxShownLines); i++)
        {
            builder.Append('\n');
            if (firstLineNumber is { } number)
            {
                builder.Append((number + i).ToString(CultureInfo.InvariantCulture).PadLeft(width)).Append(" | ");
            }

            builder.Append(lines[i].TrimEnd());
        }

        if (lines.Count > MaxShownLines)
        {
            builder.Append(CultureInfo.InvariantCulture, $"\n… ({Plural(lines.Count - MaxShownLines, "more line")})");
        }
    }

    private static string Plural(int count, string noun) =>
        count == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{count} {noun}s");
}
