namespace Genesis.Diffs;

/// <summary>A malformed SEARCH/REPLACE block found while parsing a model's answer.</summary>
/// <param name="Line">The 1-based line of the answer where the malformed block starts.</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Message">A sentence describing the problem, written to be sent back to the model.</param>
public sealed record SearchReplaceProblem(int Line, SearchReplaceProblemKind Kind, string Message);
