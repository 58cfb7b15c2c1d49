namespace Genesis.Prompts;

/// <summary>
/// The texts the LLM mutator sends. Override any of them with <c>with</c> and pass the result to
/// <c>EvolutionBuilder.WithPromptTemplates</c>. Placeholders in braces are replaced: <c>{language}</c>,
/// <c>{task_description}</c> (system), <c>{error}</c> (retry turn).
/// </summary>
public sealed record PromptTemplates
{
    /// <summary>The system message.</summary>
    public string System { get; init; } =
        """
        You are an expert {language} programmer taking part in an evolutionary search for better programs.
        Each program you write is run and scored automatically; higher scores are better.
        Only the code between the EVOLVE-BLOCK-START and EVOLVE-BLOCK-END markers may change; everything else is fixed.

        The task:
        {task_description}
        """;

    /// <summary>Asks for SEARCH/REPLACE diffs.</summary>
    public string DiffInstructions { get; init; } =
        """
        Propose one focused improvement to the current program as one or more SEARCH/REPLACE edits in exactly this format:

        <<<<<<< SEARCH
        lines copied exactly from the current program, inside an EVOLVE-BLOCK
        =======
        the new lines
        >>>>>>> REPLACE

        Rules: each SEARCH must match the current program exactly (whitespace included) and lie inside an EVOLVE-BLOCK;
        keep SEARCH sections short but unique; do not include the EVOLVE-BLOCK marker lines. Explain the idea in one or two
        sentences before the edits.
        """;

    /// <summary>Asks for a full rewrite of the blocks.</summary>
    public string FullRewriteInstructions { get; init; } =
        """
        Rewrite the program to improve its score. Answer with the complete new program in a single fenced code block
        (```{language} ... ```), keeping the EVOLVE-BLOCK-START and EVOLVE-BLOCK-END markers and every line outside them
        unchanged. Explain the idea in one or two sentences before the code.
        """;

    /// <summary>Asks for a crossover of the current program with the second parent (the first inspiration).</summary>
    public string CrossoverInstructions { get; init; } =
        """
        Combine the best ideas of the current program and of the second parent shown above into one better program.
        Answer with the complete new program in a single fenced code block (```{language} ... ```), keeping the
        EVOLVE-BLOCK-START and EVOLVE-BLOCK-END markers and every line outside them unchanged.
        """;

    /// <summary>Added while no correct program exists yet (repair mode).</summary>
    public string RepairInstructions { get; init; } =
        "No correct program has been found yet. The current program is incorrect: fix the problems its feedback describes first.";

    /// <summary>The retry turn after an answer that could not be applied.</summary>
    public string RetryTurn { get; init; } =
        """
        The previous answer could not be applied:
        {error}
        Try again with the same instructions, and answer in the required format.
        """;

    internal void Validate()
    {
        foreach (var (name, value) in new[]
        {
            (nameof(System), System), (nameof(DiffInstructions), DiffInstructions), (nameof(FullRewriteInstructions), FullRewriteInstructions),
            (nameof(CrossoverInstructions), CrossoverInstructions), (nameof(RepairInstructions), RepairInstructions), (nameof(RetryTurn), RetryTurn),
        })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"WithPromptTemplates: {name} must not be empty.");
            }
        }

        if (!RetryTurn.Contains("{error}", StringComparison.Ordinal))
        {
            throw new ArgumentException("WithPromptTemplates: RetryTurn must contain the {error} placeholder, or the model never learns why its answer failed.");
        }
    }
}
