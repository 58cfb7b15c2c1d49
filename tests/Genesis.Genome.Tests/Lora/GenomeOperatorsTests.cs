using Genesis.Adapters;
using Genesis.Lora;

namespace Genesis.GenomeTests.Lora;

public sealed class GenomeOperatorsTests
{
    [Fact]
    public void Roulette_picks_in_proportion_to_fitness()
    {
        double[] fitness = [1, 2, 3, 4];
        var counts = new int[4];
        var random = new Random(7);
        const int draws = 40_000;
        for (var i = 0; i < draws; i++)
        {
            counts[GenomeOperators.Roulette(fitness, random.NextDouble())]++;
        }

        for (var i = 0; i < 4; i++)
        {
            // Expected share (i+1)/10; 5 standard deviations of a binomial with n = 40000 is below 0.011.
            Assert.InRange(counts[i] / (double)draws, ((i + 1) / 10.0) - 0.011, ((i + 1) / 10.0) + 0.011);
        }
    }

    [Fact]
    public void Roulette_with_zero_fitness_is_uniform()
    {
        Assert.Equal(0, GenomeOperators.Roulette([0.0, 0.0], 0.2));
        Assert.Equal(1, GenomeOperators.Roulette([0.0, 0.0], 0.7));
    }

    [Fact]
    public void Tournament_returns_the_fittest_entrant()
    {
        var draws = new Queue<double>([0.1, 0.9, 0.5]);
        Assert.Equal(2, GenomeOperators.Tournament([5.0, 1.0, 9.0], 3, draws.Dequeue));
    }

    [Fact]
    public void Mutation_touches_about_the_gene_rate_fraction_and_is_reproducible()
    {
        var values = new float[100_000];
        var touched = GenomeOperators.Mutate(values, 0.1, 0.5, new RandomKey(3, 4));
        var changed = values.Count(v => v != 0);
        Assert.Equal(touched, changed);
        Assert.InRange(changed / 100_000.0, 0.097, 0.103);
        var again = new float[100_000];
        GenomeOperators.Mutate(again, 0.1, 0.5, new RandomKey(3, 4));
        Assert.Equal(values, again);
    }

    [Fact]
    public void Lambda_decays_per_generation()
    {
        Assert.Equal(0.5, GenomeOperators.LambdaAt(0.5, 0.95, 0));
        Assert.Equal(0.5 * 0.95 * 0.95, GenomeOperators.LambdaAt(0.5, 0.95, 2), 12);
    }

    [Fact]
    public void Succession_moves_toward_the_personal_best_even_at_the_global_best()
    {
        float[] x = [0, 0];
        float[] v = [0, 0];
        float[] personal = [1, 1];
        var options = new SuccessionOptions { Inertia = 0, Cognitive = 1, Social = 0, Repel = 0 };
        GenomeOperators.SuccessionStep(x, v, personal, x.ToArray(), x.ToArray(), options, 0.5, [1.0, 1.0, 1.0, 1.0]);
        Assert.Equal([0.5f, 0.5f], x);
        Assert.Equal([1f, 1f], v);
    }

    [Fact]
    public void Personal_best_is_a_copy_not_an_alias()
    {
        var config = LoraAdapterConfig.ForModules(["m"], 1, 1);
        var adapter = LoraAdapter.FromMatrices("a", config, [(new LoraModuleShape("m", 1, 2, 2), new float[] { 1, 2 }, new float[] { 3, 4 })]);
        var member = new GenomeIndividual(0, adapter);
        member.InitSwarm(adapter.Values);
        member.Evaluated(TestEvaluators.Report(1), 0);
        adapter.Values[0] = 100;
        Assert.Equal(1f, member.PersonalBest[0]);
        member.Evaluated(TestEvaluators.Report(0.5), 1);
        Assert.Equal(1f, member.PersonalBest[0]);
        member.Evaluated(TestEvaluators.Report(2), 2);
        Assert.Equal(100f, member.PersonalBest[0]);
        Assert.Equal(2, member.PersonalBestFitness);
    }

    [Fact]
    public void Rank_selection_picks_each_rank_in_proportion_to_its_rank()
    {
        // Fitness in scrambled order; the ranks (1 = worst) are 3, 1, 5, 2, 4, so the probabilities are rank / 15.
        double[] fitness = [0.3, -2, 9, 0.1, 0.5];
        int[] rank = [3, 1, 5, 2, 4];
        const int Draws = 150_000;
        var counts = new int[fitness.Length];
        for (var k = 0; k < Draws; k++)
        {
            counts[GenomeOperators.Rank(fitness, (k + 0.5) / Draws)]++;
        }

        for (var i = 0; i < fitness.Length; i++)
        {
            // A uniform sweep of the unit interval: each index gets its exact share, up to one draw at each boundary.
            Assert.InRange(counts[i], (rank[i] * Draws / 15) - 1, (rank[i] * Draws / 15) + 1);
        }
    }

    [Fact]
    public void Rank_selection_breaks_ties_by_index()
    {
        double[] fitness = [1, 1, 1];
        Assert.Equal(0, GenomeOperators.Rank(fitness, 0.0));
        Assert.Equal(2, GenomeOperators.Rank(fitness, 0.99));
    }
}
