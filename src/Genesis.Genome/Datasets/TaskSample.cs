namespace Genesis.Datasets;

/// <summary>
/// One question of a task, ready to send to a model and to score: the prompt built from the task's template, the gold
/// answers, and what the scorers of some tasks need besides (the options of a multiple-choice question, the asserts of
/// a coding problem).
/// </summary>
public sealed record TaskSample
{
    /// <summary>The identifier: the record's own id field when it has one, otherwise <c>&lt;split&gt;-&lt;index&gt;</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The text sent to the model.</summary>
    public required string Prompt { get; init; }

    /// <summary>
    /// The acceptable answers; matching any one counts. GSM8K: the final number; multiple choice: the letter;
    /// DROP: every annotated answer; MBPP: empty (the <see cref="Tests"/> decide).
    /// </summary>
    public IReadOnlyList<GoldAnswer> References { get; init; } = [];

    /// <summary>The options of a multiple-choice question, in order; the first is labelled <c>A</c>, the next <c>B</c>, and so on. Empty for other tasks.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>The Python <c>assert</c> statements a coding answer must pass (MBPP's <c>test_list</c>). Empty for other tasks.</summary>
    public IReadOnlyList<string> Tests { get; init; } = [];

    /// <summary>Python run after the answer's code and before the <see cref="Tests"/> (MBPP's <c>test_setup_code</c>). Empty by default.</summary>
    public string TestSetupCode { get; init; } = string.Empty;

    /// <summary>Everything else worth keeping: the MMLU subject, the GSM8K rationale, the MBPP reference code, the source line.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = EmptyMetadata;

    private static readonly IReadOnlyDictionary<string, string> EmptyMetadata = new Dictionary<string, string>(StringComparer.Ordinal);
}
