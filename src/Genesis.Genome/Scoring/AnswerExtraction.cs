namespace Genesis.Scoring;

/// <summary>What an extractor read from a model output, and how.</summary>
public sealed record AnswerExtraction
{
    /// <summary>The answer in canonical form, or <see langword="null"/> when none (or no single one) was found.</summary>
    public string? Answer { get; init; }

    /// <summary>How the answer was found (for example <c>'#### 18'</c> or <c>last number in the output</c>), or why none was.</summary>
    public required string How { get; init; }

    /// <summary>Whether an answer was found.</summary>
    public bool Found => Answer is not null;

    /// <summary>An extraction that found nothing, with the reason.</summary>
    /// <param name="why">Why nothing was found.</param>
    public static AnswerExtraction None(string why) => new() { How = why };

    /// <summary>Cuts <paramref name="text"/> to one line of at most <paramref name="max"/> characters, for reasons.</summary>
    internal static string Quote(string text, int max = 80)
    {
        var flat = string.Join(' ', text.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return flat.Length <= max ? flat : flat[..(max - 3)] + "...";
    }
}
