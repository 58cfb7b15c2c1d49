namespace Genesis.Execution;

/// <summary>One stage of a cascade evaluation: an evaluator, and the score a candidate needs to go on to the next stage.</summary>
/// <param name="Name">The stage's name; its metrics are kept as <c>&lt;name&gt;.&lt;metric&gt;</c> and its score as <c>&lt;name&gt;.score</c>.</param>
/// <param name="Evaluator">What the stage runs.</param>
/// <param name="Threshold">The score at or above which a correct candidate goes on; ignored for the last stage.</param>
public sealed record CascadeStage(string Name, IEvaluator Evaluator, double Threshold = 0)
{
    internal void Validate(int index)
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.IndexOfAny(['/', '\\', '.']) >= 0)
        {
            throw new ArgumentException($"Evaluators.Cascade: stage {index + 1} needs a name without '/', '\\' or '.', was '{Name}'.");
        }

        ArgumentNullException.ThrowIfNull(Evaluator, $"stage '{Name}' evaluator");
        if (!double.IsFinite(Threshold))
        {
            throw new ArgumentException($"Evaluators.Cascade: stage '{Name}' threshold must be finite, was {Threshold}.");
        }
    }
}
