using Genesis.Randomness;

namespace Genesis.Lora;

/// <summary>The GENOME operators as pure functions of their random draws, so each can be tested alone.</summary>
public static class GenomeOperators
{
    /// <summary>Fitness-proportional roulette: index i with probability f_i / Σf (negative fitness counts as 0; all zero → uniform).</summary>
    /// <param name="fitness">The fitness values, at least one.</param>
    /// <param name="uniform">A uniform draw in [0, 1).</param>
    public static int Roulette(ReadOnlySpan<double> fitness, double uniform)
    {
        if (fitness.IsEmpty)
        {
            throw new ArgumentException("Roulette: needs at least one fitness value.", nameof(fitness));
        }

        double total = 0;
        foreach (var f in fitness)
        {
            total += Math.Max(0, f);
        }

        if (total <= 0)
        {
            return Math.Min(fitness.Length - 1, (int)(uniform * fitness.Length));
        }

        var target = uniform * total;
        double running = 0;
        for (var i = 0; i < fitness.Length; i++)
        {
            running += Math.Max(0, fitness[i]);
            if (target < running)
            {
                return i;
            }
        }

        return fitness.Length - 1;
    }

    /// <summary>Tournament: the fittest of <paramref name="size"/> uniformly drawn entrants (with replacement).</summary>
    /// <param name="fitness">The fitness values.</param>
    /// <param name="size">Entrants, at least 1.</param>
    /// <param name="next">Uniform draws in [0, 1).</param>
    public static int Tournament(IReadOnlyList<double> fitness, int size, Func<double> next)
    {
        ArgumentNullException.ThrowIfNull(fitness);
        ArgumentNullException.ThrowIfNull(next);
        var best = -1;
        for (var k = 0; k < size; k++)
        {
            var i = Math.Min(fitness.Count - 1, (int)(next() * fitness.Count));
            if (best < 0 || fitness[i] > fitness[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Linear rank selection: the worst has weight 1, the best weight n.</summary>
    /// <param name="fitness">The fitness values.</param>
    /// <param name="uniform">A uniform draw in [0, 1).</param>
    public static int Rank(IReadOnlyList<double> fitness, double uniform)
    {
        ArgumentNullException.ThrowIfNull(fitness);
        var order = Enumerable.Range(0, fitness.Count).OrderBy(i => fitness[i]).ThenBy(i => i).ToArray();
        var weights = new double[order.Length];
        for (var r = 0; r < order.Length; r++)
        {
            weights[r] = r + 1;
        }

        return order[Roulette(weights, uniform)];
    }

    /// <summary>
    /// Mutation x' = x + m⊙ε with m ~ Bernoulli(<paramref name="geneRate"/>) and ε ~ N(0, σ²), drawn only for the selected
    /// parameters (skip sampling, see <see cref="CounterRandom.AddBernoulliNoise"/>): a pure function of the key and the
    /// element index. Returns the number of parameters perturbed.
    /// </summary>
    /// <param name="values">The parameters, changed in place.</param>
    /// <param name="geneRate">Per-parameter probability, 0 to 1.</param>
    /// <param name="sigma">Noise standard deviation, finite and at least 0.</param>
    /// <param name="key">The child's random key.</param>
    public static int Mutate(Span<float> values, double geneRate, double sigma, RandomKey key) =>
        CounterRandom.AddBernoulliNoise(values, geneRate, sigma, key);

    /// <summary>The step size after <paramref name="generation"/> completed generations: λ₀·φ^generation (per generation, not per individual).</summary>
    /// <param name="lambda">λ₀.</param>
    /// <param name="decay">φ_λ.</param>
    /// <param name="generation">Completed generations, non-negative.</param>
    public static double LambdaAt(double lambda, double decay, int generation) => lambda * Math.Pow(decay, generation);

    /// <summary>
    /// One GENOME+ succession step: v ← (1/C)·[r1·φ_v·v + r2·φ_c·(p − x) + r3·φ_s·(g − x) − r4·φ_r·(w − x)], C = Σ r_k·φ_k,
    /// then x ← x + λ·v. The r's are drawn per individual per step by the caller.
    /// </summary>
    /// <param name="x">The position, changed in place.</param>
    /// <param name="velocity">The velocity, changed in place.</param>
    /// <param name="personalBest">The individual's own best position (a copy, never <paramref name="x"/> itself).</param>
    /// <param name="globalBest">The population's best.</param>
    /// <param name="globalWorst">The population's worst.</param>
    /// <param name="options">The weights φ.</param>
    /// <param name="lambda">The current step size.</param>
    /// <param name="r">Four uniform draws.</param>
    public static void SuccessionStep(Span<float> x, Span<float> velocity, ReadOnlySpan<float> personalBest, ReadOnlySpan<float> globalBest, ReadOnlySpan<float> globalWorst, SuccessionOptions options, double lambda, ReadOnlySpan<double> r)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cv = r[0] * options.Inertia;
        var cc = r[1] * options.Cognitive;
        var cs = r[2] * options.Social;
        var cr = r[3] * options.Repel;
        var c = cv + cc + cs + cr;
        if (c <= 0)
        {
            return;
        }

        for (var i = 0; i < x.Length; i++)
        {
            var v = ((cv * velocity[i]) + (cc * (personalBest[i] - x[i])) + (cs * (globalBest[i] - x[i])) - (cr * (globalWorst[i] - x[i]))) / c;
            velocity[i] = (float)v;
            x[i] += (float)(lambda * v);
        }
    }
}

/// <summary>A counter-based stream of uniforms: draw n of key k is <c>CounterRandom.Uniform(k, n)</c>.</summary>
internal sealed class UniformStream(RandomKey key, long counter = 0)
{
    public RandomKey Key { get; } = key;

    /// <summary>The index of the next draw; a stream restored with it continues where this one stopped.</summary>
    public long Counter { get; private set; } = counter;

    public double Next() => CounterRandom.Uniform(Key, Counter++);
}
