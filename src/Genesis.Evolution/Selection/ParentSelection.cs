using Genesis.Selection;

namespace Genesis;

/// <summary>The built-in parent selectors, by the names ShinkaEvolve and OpenEvolve use for them.</summary>
public static class ParentSelection
{
    /// <summary>Power-law over rank, <c>p(r) ∝ r^(−alpha)</c>. See <see cref="PowerLawSelector"/>.</summary>
    /// <param name="alpha">The exponent, between 0 and 10.</param>
    public static IParentSelector PowerLaw(double alpha = 1.0) => new PowerLawSelector(alpha);

    /// <summary>Softmax over scores with a temperature relative to the score spread. See <see cref="FitnessWeightedSelector"/>.</summary>
    /// <param name="temperature">The relative temperature, between 0.001 and 1000.</param>
    public static IParentSelector FitnessWeighted(double temperature = FitnessWeightedSelector.DefaultTemperature) => new FitnessWeightedSelector(temperature);

    /// <summary>Always the best program, ties going to the latest. See <see cref="HillClimbingSelector"/>.</summary>
    public static IParentSelector HillClimbing() => new HillClimbingSelector();

    /// <summary>The best of <paramref name="size"/> programs drawn with replacement. See <see cref="TournamentSelector"/>.</summary>
    /// <param name="size">The number of contestants, between 1 and 1000.</param>
    public static IParentSelector Tournament(int size = 3) => new TournamentSelector(size);

    /// <summary>ShinkaEvolve's sigmoid-of-MAD weights divided by <c>1 + children</c>. See <see cref="WeightedSelector"/>.</summary>
    /// <param name="lambda">The sharpness of the sigmoid, between 0 and 1000.</param>
    public static IParentSelector Weighted(double lambda = 10) => new WeightedSelector(lambda);

    /// <summary>The best program with fewer than <paramref name="width"/> children. See <see cref="BeamSearchSelector"/>.</summary>
    /// <param name="width">The number of children per beam member, between 1 and 10000.</param>
    public static IParentSelector BeamSearch(int width = 5) => new BeamSearchSelector(width);

    /// <summary>Every program equally likely. See <see cref="UniformSelector"/>.</summary>
    public static IParentSelector Uniform() => new UniformSelector();
}
