using Genesis.Lora;

namespace Genesis;

/// <summary>Entry point of GENOME/GENOME+: gradient-free evolution of a population of LoRA adapters.</summary>
public static class Genome
{
    /// <summary>A builder scoring adapters with <paramref name="evaluator"/>.</summary>
    /// <param name="evaluator">Scores an adapter on validation and test.</param>
    public static GenomeBuilder For(IAdapterEvaluator evaluator) => new GenomeBuilder().WithEvaluator(evaluator);

    /// <summary>A builder whose evaluator is set later with <see cref="GenomeBuilder.WithEvaluator"/>.</summary>
    public static GenomeBuilder Create() => new();
}
