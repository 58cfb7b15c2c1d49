using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Genesis.Execution;

/// <summary>
/// Turns an evaluator run (its process outcome and the <c>metrics.json</c> / <c>correct.json</c> it wrote, in
/// ShinkaEvolve's shape) into an <see cref="EvaluationResult"/>. Every failure is data: a status and a reason.
/// </summary>
/// <remarks>
/// <c>metrics.json</c>: <c>combined_score</c> (a finite number, required), <c>public</c> and <c>private</c> (objects of
/// metrics), <c>text_feedback</c> (a string), and optional extra top-level numeric keys, which become public metrics.
/// Booleans count as 1 and 0; other non-numeric metric values are dropped; a non-finite value (including Python's
/// bare <c>NaN</c>/<c>Infinity</c> tokens and the strings <c>"NaN"</c>/<c>"Infinity"</c>) makes the result invalid.
/// <c>correct.json</c>: <c>{"correct": bool, "error": str|null}</c>; when absent the program is correct, since the
/// process exited with 0 and its metrics are valid.
/// </remarks>
internal static class MetricsReader
{
    /// <summary>The metrics file's name inside the results folder.</summary>
    public const string MetricsFileName = "metrics.json";

    /// <summary>The correctness file's name inside the results folder.</summary>
    public const string CorrectFileName = "correct.json";

    private const string ScoreKey = "combined_score";
    private const string PublicKey = "public";
    private const string PrivateKey = "private";
    private const string FeedbackKey = "text_feedback";

    /// <summary>Reads the result of one evaluator run.</summary>
    /// <param name="resultsDirectory">The folder the evaluator wrote its files to.</param>
    /// <param name="outcome">How the evaluator process ended.</param>
    /// <param name="timeout">The wall-clock limit the process ran under, for the timeout message.</param>
    /// <param name="duration">How long the evaluation took, copied into the result.</param>
    public static EvaluationResult Read(string resultsDirectory, ProcessOutcome outcome, TimeSpan timeout, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(resultsDirectory);
        ArgumentNullException.ThrowIfNull(outcome);
        var report = Report.Load(resultsDirectory);

        if (outcome.StartError is not null)
        {
            return Failure(EvaluationStatus.Crashed, $"the evaluator could not start: {outcome.StartError}", report, outcome, duration);
        }

        if (outcome.TimedOut)
        {
            return Failure(EvaluationStatus.TimedOut, $"killed after {FormatSeconds(timeout)} s", report, outcome, duration);
        }

        if (outcome.ExitCode != 0)
        {
            return Failure(EvaluationStatus.Crashed, $"the evaluator exited with code {outcome.ExitCode}", report, outcome, duration);
        }

        if (report.Problem is not null)
        {
            return Failure(EvaluationStatus.Invalid, report.Problem, report, outcome, duration);
        }

        var correct = report.Correct ?? true;
        var feedback = report.TextFeedback;
        if (!correct)
        {
            feedback = report.CorrectError is { Length: > 0 } error
                ? feedback.Contains(error, StringComparison.Ordinal) ? feedback : Join(feedback, $"The program is not correct: {error}")
                : Join(feedback, "The program is not correct.");
        }

        return EvaluationResult.Success(report.Score, correct, feedback, report.Public, report.Private) with { Duration = duration };
    }

    /// <summary>Formats a limit in seconds without noise: 30, 0.5, 1.25.</summary>
    internal static string FormatSeconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static EvaluationResult Failure(EvaluationStatus status, string reason, Report report, ProcessOutcome outcome, TimeSpan duration)
    {
        var feedback = reason;
        feedback = Join(feedback, report.TextFeedback);
        if (report.CorrectError is { Length: > 0 } error && !feedback.Contains(error, StringComparison.Ordinal))
        {
            feedback = Join(feedback, $"Reported error: {error}");
        }

        var (label, text) = outcome.StandardError.Length > 0
            ? ("Standard error (last lines):", outcome.StandardError)
            : ("Standard output (last lines):", outcome.StandardOutput);
        var tail = OutputTail.Of(text);
        if (tail.Length > 0)
        {
            feedback = Join(feedback, $"{label}\n{tail}");
        }

        return EvaluationResult.Failure(status, reason, feedback) with { Duration = duration };
    }

    private static string Join(string first, string second) =>
        second.Length == 0 ? first : first.Length == 0 ? second : $"{first}\n\n{second}";

    /// <summary>What the evaluator's files say, or why they cannot be used.</summary>
    private sealed class Report
    {
        public string? Problem { get; private set; }

        public double Score { get; private set; }

        public bool? Correct { get; private set; }

        public string? CorrectError { get; private set; }

        public string TextFeedback { get; private set; } = string.Empty;

        public Dictionary<string, double> Public { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, double> Private { get; } = new(StringComparer.Ordinal);

        public static Report Load(string resultsDirectory)
        {
            var report = new Report();
            report.LoadCorrect(Path.Combine(resultsDirectory, CorrectFileName));
            var problem = report.LoadMetrics(Path.Combine(resultsDirectory, MetricsFileName));
            report.Problem = problem ?? report.Problem;
            return report;
        }

        private string? LoadMetrics(string path)
        {
            if (!File.Exists(path))
            {
                return $"{MetricsFileName} is missing";
            }

            JsonDocument document;
            try
            {
                document = PythonJson.Parse(File.ReadAllText(path, Encoding.UTF8));
            }
            catch (JsonException e)
            {
                return $"{MetricsFileName} is not valid JSON: {e.Message}";
            }
            catch (IOException e)
            {
                return $"{MetricsFileName} could not be read: {e.Message}";
            }
            catch (UnauthorizedAccessException e)
            {
                return $"{MetricsFileName} could not be read: {e.Message}";
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return $"{MetricsFileName} must hold a JSON object, was {Describe(root)}";
                }

                if (root.TryGetProperty(FeedbackKey, out var feedback) && feedback.ValueKind != JsonValueKind.Null)
                {
                    TextFeedback = feedback.ValueKind == JsonValueKind.String ? feedback.GetString() ?? string.Empty : feedback.GetRawText();
                }

                if (!root.TryGetProperty(ScoreKey, out var score))
                {
                    return $"{MetricsFileName} has no {ScoreKey}";
                }

                switch (Classify(score, out var value))
                {
                    case Kind.Number when score.ValueKind == JsonValueKind.Number:
                        Score = value;
                        break;
                    case Kind.NonFinite:
                        return $"{ScoreKey} is {Describe(score)}, not a finite number";
                    default:
                        return $"{ScoreKey} must be a number, was {Describe(score)}";
                }

                return ReadMetrics(root, PublicKey, Public)
                    ?? ReadMetrics(root, PrivateKey, Private)
                    ?? ReadExtras(root);
            }
        }

        private string? ReadExtras(JsonElement root)
        {
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is ScoreKey or PublicKey or PrivateKey or FeedbackKey || Public.ContainsKey(property.Name))
                {
                    continue;
                }

                switch (Classify(property.Value, out var value))
                {
                    case Kind.Number:
                        Public[property.Name] = value;
                        break;
                    case Kind.NonFinite:
                        return $"metric '{property.Name}' is {Describe(property.Value)}, not a finite number";
                }
            }

            return null;
        }

        private static string? ReadMetrics(JsonElement root, string key, Dictionary<string, double> target)
        {
            if (!root.TryGetProperty(key, out var metrics) || metrics.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var property in metrics.EnumerateObject())
            {
                switch (Classify(property.Value, out var value))
                {
                    case Kind.Number:
                        target[property.Name] = value;
                        break;
                    case Kind.NonFinite:
                        return $"{key} metric '{property.Name}' is {Describe(property.Value)}, not a finite number";
                }
            }

            return null;
        }

        private void LoadCorrect(string path)
        {
            if (!File.Exists(path))
            {
                return;
            }

            try
            {
                using var document = PythonJson.Parse(File.ReadAllText(path, Encoding.UTF8));
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    Problem = $"{CorrectFileName} must hold a JSON object, was {Describe(root)}";
                    return;
                }

                // ShinkaEvolve reads correct.get("correct", False): anything but a true value is incorrect.
                Correct = root.TryGetProperty("correct", out var correct) && correct.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.Number => correct.TryGetDouble(out var number) && number != 0,
                    _ => false,
                };
                if (root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
                {
                    CorrectError = error.ValueKind == JsonValueKind.String ? error.GetString() : error.GetRawText();
                }
            }
            catch (JsonException e)
            {
                Problem = $"{CorrectFileName} is not valid JSON: {e.Message}";
            }
            catch (IOException e)
            {
                Problem = $"{CorrectFileName} could not be read: {e.Message}";
            }
            catch (UnauthorizedAccessException e)
            {
                Problem = $"{CorrectFileName} could not be read: {e.Message}";
            }
        }
    }

    private enum Kind
    {
        Number,
        NonFinite,
        Other,
    }

    private static Kind Classify(JsonElement element, out double value)
    {
        value = 0;
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                if (element.TryGetDouble(out value) && double.IsFinite(value))
                {
                    return Kind.Number;
                }

                return Kind.NonFinite;
            case JsonValueKind.True:
                value = 1;
                return Kind.Number;
            case JsonValueKind.False:
                value = 0;
                return Kind.Number;
            case JsonValueKind.String:
                return IsNonFiniteName(element.GetString()) ? Kind.NonFinite : Kind.Other;
            default:
                return Kind.Other;
        }
    }

    private static bool IsNonFiniteName(string? text) =>
        text?.Trim().ToUpperInvariant() is "NAN" or "-NAN" or "INFINITY" or "-INFINITY" or "+INFINITY" or "INF" or "-INF" or "+INF";

    private static string Describe(JsonElement element)
    {
        var text = element.ValueKind switch
        {
            JsonValueKind.String => element.GetString() is { } s && IsNonFiniteName(s) ? s : element.GetRawText(),
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            _ => element.GetRawText(),
        };
        return text.Length > 80 ? string.Concat(text.AsSpan(0, 77), "...") : text;
    }
}
