using System.Text.RegularExpressions;

namespace Genesis.Datasets;

/// <summary>
/// How to read one task's JSONL records and turn them into prompts: the record layout (<see cref="Kind"/>), a display
/// name, and the prompt template. Use a preset (<see cref="Gsm8k"/>, <see cref="Mmlu"/>, <see cref="ArcChallenge"/>,
/// <see cref="CommonsenseQa"/>, <see cref="Drop"/>, <see cref="Mbpp"/>) and change the template with a
/// <see langword="with"/> expression if you prompt differently.
/// </summary>
/// <remarks>
/// <para>Fields read for each kind (the first name found wins; everything else on the record is ignored):</para>
/// <list type="bullet">
/// <item><description><see cref="TaskKind.Gsm8k"/>: <c>question</c>; <c>answer</c>, whose final <c>#### N</c> is the reference
/// (an answer that is just a number is taken as it is). The rationale before <c>####</c> goes to the metadata.</description></item>
/// <item><description><see cref="TaskKind.MultipleChoice"/>: <c>question</c> (a string, or an object with <c>stem</c> and
/// <c>choices</c> as in the original ARC and CommonsenseQA files); <c>choices</c> as a list of strings, an object
/// <c>{"label": [...], "text": [...]}</c>, an object of label to text (<c>{"A": "...", "B": "..."}</c>), or a list of
/// <c>{"label", "text"}</c> objects; <c>answer</c> or <c>answerKey</c> as a 0-based index (MMLU), a letter, or one of the
/// labels (ARC's <c>"1"</c>…<c>"4"</c>). Options are relabelled <c>A</c>, <c>B</c>, … in order, and the reference with
/// them. <c>subject</c> goes to the metadata.</description></item>
/// <item><description><see cref="TaskKind.Drop"/>: <c>passage</c>, <c>question</c>; answers from <c>answers_spans</c>
/// (<c>{"spans": [...]}</c>, each span an alternative answer, as in the Hugging Face copy), <c>answers</c> (a list) or
/// <c>answer</c>. An answer may be a string, a number, a list of spans (one multi-span answer), or an original DROP answer
/// object (<c>number</c>, <c>spans</c>, <c>date</c>). A <c>ref_text</c> string with alternatives separated by <c>|</c> is
/// read too.</description></item>
/// <item><description><see cref="TaskKind.Mbpp"/>: <c>text</c> or <c>prompt</c>; <c>test_list</c> (required, non-empty);
/// <c>test_setup_code</c> and <c>test_imports</c> (optional, run before the asserts); <c>code</c> (the reference solution,
/// kept in the metadata).</description></item>
/// </list>
/// <para>An id is read from <c>id</c>, <c>task_id</c>, <c>query_id</c> or <c>question_id</c> when present.</para>
/// </remarks>
public sealed partial record TaskFormat
{
    /// <summary>The record layout and the scorer family.</summary>
    public required TaskKind Kind { get; init; }

    /// <summary>The display name, used in messages and labels (for example <c>GSM8K</c>).</summary>
    public required string Name { get; init; }

    /// <summary>
    /// The prompt, with placeholders in braces. GSM8K: <c>{question}</c>. Multiple choice: <c>{question}</c>,
    /// <c>{choices}</c> (one <c>A. text</c> line per option), <c>{letters}</c> (<c>A, B, C or D</c>), <c>{subject}</c>.
    /// DROP: <c>{passage}</c>, <c>{question}</c>. MBPP: <c>{text}</c>, <c>{tests}</c> (the asserts, one a line).
    /// Any other <c>{name}</c> is an error when the dataset is loaded.
    /// </summary>
    public required string PromptTemplate { get; init; }

    /// <summary>GSM8K: asks for step-by-step work and a final <c>#### N</c> line.</summary>
    public static TaskFormat Gsm8k { get; } = new()
    {
        Kind = TaskKind.Gsm8k,
        Name = "GSM8K",
        PromptTemplate =
            "Solve the following math problem. Reason step by step, then give the final answer as a number on its own line, in the form \"#### <number>\".\n\n" +
            "Problem: {question}",
    };

    /// <summary>MMLU (four options, A–D).</summary>
    public static TaskFormat Mmlu { get; } = MultipleChoice("MMLU");

    /// <summary>ARC-Challenge (mostly four options; a few have three or five).</summary>
    public static TaskFormat ArcChallenge { get; } = MultipleChoice("ARC-C");

    /// <summary>CommonsenseQA (five options, A–E).</summary>
    public static TaskFormat CommonsenseQa { get; } = MultipleChoice("CSQA");

    /// <summary>DROP: asks for a final <c>Answer: ...</c> line.</summary>
    public static TaskFormat Drop { get; } = new()
    {
        Kind = TaskKind.Drop,
        Name = "DROP",
        PromptTemplate =
            "Read the passage and answer the question. Finish with a line of the form \"Answer: <answer>\".\n\n" +
            "Passage: {passage}\n\nQuestion: {question}",
    };

    /// <summary>MBPP: the problem statement and the asserts the function must pass.</summary>
    public static TaskFormat Mbpp { get; } = new()
    {
        Kind = TaskKind.Mbpp,
        Name = "MBPP",
        PromptTemplate =
            "You are an expert Python programmer. {text}\n\nYour code should pass these tests:\n{tests}\n\n" +
            "Write the complete function in one ```python code block.",
    };

    /// <summary>Throws when the name is empty or the template uses a placeholder this kind does not fill.</summary>
    /// <exception cref="ArgumentException">The message names the field and the problem.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"TaskFormat.Kind must be one of {string.Join(", ", Enum.GetNames<TaskKind>())}, was {(int)Kind}.", nameof(Kind));
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("TaskFormat.Name must not be empty.", nameof(Name));
        }

        if (string.IsNullOrWhiteSpace(PromptTemplate))
        {
            throw new ArgumentException($"TaskFormat.PromptTemplate of {Name} must not be empty.", nameof(PromptTemplate));
        }

        var known = Placeholders(Kind);
        foreach (Match match in PlaceholderPattern().Matches(PromptTemplate))
        {
            var name = match.Groups[1].Value;
            if (!known.Contains(name))
            {
                throw new ArgumentException(
                    $"TaskFormat.PromptTemplate of {Name} uses {{{name}}}, which a {Kind} record does not fill; use {string.Join(", ", known.Select(k => "{" + k + "}"))}.",
                    nameof(PromptTemplate));
            }
        }
    }

    /// <summary>Fills the template's placeholders.</summary>
    internal string Render(IReadOnlyDictionary<string, string> values) =>
        PlaceholderPattern().Replace(PromptTemplate, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    private static string[] Placeholders(TaskKind kind) => kind switch
    {
        TaskKind.Gsm8k => ["question"],
        TaskKind.MultipleChoice => ["question", "choices", "letters", "subject"],
        TaskKind.Drop => ["passage", "question"],
        _ => ["text", "tests"],
    };

    private static TaskFormat MultipleChoice(string name) => new()
    {
        Kind = TaskKind.MultipleChoice,
        Name = name,
        PromptTemplate =
            "Answer the following multiple-choice question. Think it through, then finish with a line of the form \"Answer: <letter>\", where <letter> is {letters}.\n\n" +
            "Question: {question}\n\n{choices}",
    };

    [GeneratedRegex(@"\{([a-z_]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();
}
