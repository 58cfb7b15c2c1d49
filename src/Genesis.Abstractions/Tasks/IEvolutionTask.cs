namespace Genesis;

/// <summary>
/// A code-evolution task: the program to start from, the language it is written in, and how a candidate is scored.
/// </summary>
/// <remarks>
/// Implement this on a class with a public parameterless constructor and pass it to <c>Evolution.For&lt;TTask&gt;()</c>.
/// Only the code between the <c>EVOLVE-BLOCK-START</c> and <c>EVOLVE-BLOCK-END</c> markers of
/// <see cref="InitialProgram"/> is changed by mutations; a program without markers is evolvable as a whole.
/// </remarks>
public interface IEvolutionTask
{
    /// <summary>A short name for logs and the run folder.</summary>
    string Name => GetType().Name;

    /// <summary>The language of <see cref="InitialProgram"/>.</summary>
    ProgramLanguage Language { get; }

    /// <summary>The source text of the program evolution starts from.</summary>
    string InitialProgram { get; }

    /// <summary>What the program must do and how it is scored, in words for the LLM. May be empty.</summary>
    string Description => string.Empty;

    /// <summary>Scores a candidate program.</summary>
    IEvaluator Evaluator { get; }

    /// <summary>
    /// The best score a correct program can reach, when known (for example a proven optimum). A reported score above it
    /// is treated as a gamed evaluator and the candidate is invalid. <see langword="null"/> when unknown.
    /// </summary>
    double? MaxScore => null;

    /// <summary>The metrics that span the MAP-Elites grid. Empty means the archive keeps the best programs by score only.</summary>
    IReadOnlyList<FeatureDimension> FeatureDimensions => [];
}
