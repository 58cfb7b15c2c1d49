namespace Genesis;

/// <summary>What one model (or offline mutator) of the ensemble did in a run.</summary>
/// <param name="Model">The model's name; offline mutators are listed as <c>offline</c>.</param>
/// <param name="Proposals">Proposals it made, failed ones included.</param>
/// <param name="FailedProposals">Proposals that produced no usable program.</param>
/// <param name="Evaluated">Its children that were evaluated.</param>
/// <param name="Improvements">Its children that scored above their parent.</param>
/// <param name="InputTokens">Prompt tokens it used.</param>
/// <param name="OutputTokens">Completion tokens it used.</param>
/// <param name="Cost">Money it cost at the configured prices.</param>
public sealed record ModelStatistics(string Model, int Proposals, int FailedProposals, int Evaluated, int Improvements, long InputTokens, long OutputTokens, double Cost);
