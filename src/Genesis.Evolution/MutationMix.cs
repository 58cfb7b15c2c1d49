namespace Genesis;

/// <summary>
/// How often each LLM mutation is asked for (ShinkaEvolve's default 0.6 / 0.3 / 0.1). Probabilities are normalised, so
/// only their ratios matter. Without an LLM the offline mutators run instead: constant perturbation and block crossover.
/// </summary>
/// <param name="Diff">Weight of SEARCH/REPLACE diffs.</param>
/// <param name="FullRewrite">Weight of full rewrites of the blocks.</param>
/// <param name="Crossover">Weight of crossovers of two programs.</param>
public sealed record MutationMix(double Diff = 0.6, double FullRewrite = 0.3, double Crossover = 0.1)
{
    internal void Validate()
    {
        foreach (var (name, value) in new[] { ("diff", Diff), ("fullRewrite", FullRewrite), ("crossover", Crossover) })
        {
            if (!double.IsFinite(value) || value < 0 || value > 1)
            {
                throw new ArgumentOutOfRangeException(name, value, $"WithMutationMix: {name} must be between 0 and 1, was {value}.");
            }
        }

        if (Diff + FullRewrite + Crossover <= 0)
        {
            throw new ArgumentException("WithMutationMix: at least one of diff, fullRewrite and crossover must be above 0.");
        }
    }

    internal MutationKind Sample(Random random)
    {
        var total = Diff + FullRewrite + Crossover;
        var u = random.NextDouble() * total;
        if (u < Diff)
        {
            return MutationKind.Diff;
        }

        return u < Diff + FullRewrite ? MutationKind.FullRewrite : MutationKind.Crossover;
    }
}
