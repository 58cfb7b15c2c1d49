using System.Text;
using System.Text.Json;

namespace Genesis.Execution;

/// <summary>
/// Reads the report of a program that scores itself: one JSON object on the last non-blank line of its standard
/// output, in ShinkaEvolve's <c>metrics.json</c> shape (<c>combined_score</c>, <c>public</c>, <c>private</c>,
/// <c>text_feedback</c>), optionally with <c>correct</c> (a boolean) and <c>error</c> (a string) as in <c>correct.json</c>.
/// The line is stored as <c>metrics.json</c> (and <c>correct.json</c>) in the results folder and read by
/// <see cref="MetricsReader"/>, so both contracts are validated the same way.
/// </summary>
internal static class ProgramReport
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Turns the program's run into a result, writing the report files into <paramref name="resultsDirectory"/>.</summary>
    public static EvaluationResult Read(string resultsDirectory, ProcessOutcome outcome, TimeSpan timeout, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!outcome.Succeeded)
        {
            return MetricsReader.Read(resultsDirectory, outcome, timeout, duration);
        }

        var line = LastLine(outcome.StandardOutput);
        if (line is null)
        {
            return Invalid("the program printed nothing: its last line of standard output must be a JSON object with combined_score", outcome, duration);
        }

        JsonDocument document;
        try
        {
            document = PythonJson.Parse(line);
        }
        catch (JsonException e)
        {
            return Invalid($"the last line of the program's standard output is not JSON: {Shorten(line)} ({e.Message})", outcome, duration);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Invalid($"the last line of the program's standard output must be a JSON object with combined_score, was {Shorten(line)}", outcome, duration);
            }

            File.WriteAllText(Path.Combine(resultsDirectory, MetricsReader.MetricsFileName), line, Utf8);
            if (root.TryGetProperty("correct", out var correct))
            {
                var error = root.TryGetProperty("error", out var message) ? message.GetRawText() : "null";
                File.WriteAllText(
                    Path.Combine(resultsDirectory, MetricsReader.CorrectFileName),
                    $"{{\"correct\": {correct.GetRawText()}, \"error\": {error}}}",
                    Utf8);
            }
        }

        return MetricsReader.Read(resultsDirectory, outcome, timeout, duration);
    }

    private static string? LastLine(string text)
    {
        foreach (var line in text.Split('\n').Reverse())
        {
            if (line.Trim().Length > 0)
            {
                return line.Trim();
            }
        }

        return null;
    }

    private static EvaluationResult Invalid(string reason, ProcessOutcome outcome, TimeSpan duration)
    {
        var feedback = reason;
        foreach (var (label, text) in new[] { ("Standard output (last lines):", outcome.StandardOutput), ("Standard error (last lines):", outcome.StandardError) })
        {
            var tail = OutputTail.Of(text, maxLines: 20, maxBytes: 2048);
            if (tail.Length > 0)
            {
                feedback += $"\n\n{label}\n{tail}";
            }
        }

        return EvaluationResult.Failure(EvaluationStatus.Invalid, reason, feedback) with { Duration = duration };
    }

    private static string Shorten(string text) => text.Length > 80 ? string.Concat(text.AsSpan(0, 77), "...") : text;
}
