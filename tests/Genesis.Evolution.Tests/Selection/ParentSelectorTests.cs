using FsCheck;
using FsCheck.Fluent;
using Genesis.Selection;
using static Genesis.Tests.Selection.TestCandidates;

namespace Genesis.Tests.Selection;

public sealed class ParentSelectorTests
{
    private const int Draws = 20_000;
    private const double Tolerance = 0.01;

    public static TheoryData<string> SelectorNames => ["power-law", "fitness", "hill", "tournament", "weighted", "beam", "uniform"];

    private static IParentSelector Create(string name) => name switch
    {
        "power-law" => ParentSelection.PowerLaw(1.5),
        "fitness" => ParentSelection.FitnessWeighted(),
        "hill" => ParentSelection.HillClimbing(),
        "tournament" => ParentSelection.Tournament(4),
        "weighted" => ParentSelection.Weighted(),
        "beam" => ParentSelection.BeamSearch(2),
        _ => ParentSelection.Uniform(),
    };

    /// <summary>Populations of 1 to 40 programs, scores drawn from a small set with ties, negatives, -inf and NaN; random child counts.</summary>
    private static Arbitrary<(double[] Scores, int[] Children, int Seed)> Populations()
    {
        var score = Gen.Elements(double.NegativeInfinity, double.NaN, -3.5, -1.0, 0.0, 0.0, 0.25, 1.0, 2.0, 1e9);
        var gen =
            from n in Gen.Choose(1, 40)
            from scores in Gen.ArrayOf(score, n)
            from children in Gen.ArrayOf(Gen.Choose(0, 4), n)
            from seed in Gen.Choose(0, int.MaxValue)
            select (scores, children, seed);
        return Arb.From(gen);
    }

    private static List<Candidate> Build(double[] scores) =>
        scores.Select((s, i) => FromScore(1000 - (i * 7), s)).ToList();

    [Theory]
    [MemberData(nameof(SelectorNames))]
    public void Every_selector_returns_a_member_of_the_population(string name)
    {
        var selector = Create(name);
        Prop.ForAll(Populations(), p =>
        {
            var population = Build(p.Scores);
            var random = new Random(p.Seed);
            var context = Context(population, random, id => p.Children[(1000 - (int)id) / 7]);
            for (var i = 0; i < 5; i++)
            {
                if (!population.Contains(selector.Select(context)))
                {
                    return false;
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [MemberData(nameof(SelectorNames))]
    public void A_single_candidate_is_always_chosen(string name)
    {
        foreach (var only in new[] { Scored(5, 1.0), Failed(6) })
        {
            Assert.Same(only, Create(name).Select(Context([only], new Random(1))));
        }
    }

    [Theory]
    [MemberData(nameof(SelectorNames))]
    public void An_all_failed_population_still_yields_a_parent(string name)
    {
        var population = Enumerable.Range(1, 5).Select(i => Failed(i)).ToList();
        var chosen = Create(name).Select(Context(population, new Random(3)));
        Assert.Contains(chosen, population);
    }

    [Theory]
    [MemberData(nameof(SelectorNames))]
    public void The_same_seed_gives_the_same_choices(string name)
    {
        var population = Enumerable.Range(1, 30).Select(i => Scored(i, (i * 37) % 11)).ToList();
        var first = new Random(42);
        var second = new Random(42);
        var selector = Create(name);
        for (var i = 0; i < 50; i++)
        {
            Assert.Same(selector.Select(Context(population, first)), selector.Select(Context(population, second)));
        }
    }

    [Fact]
    public void An_empty_population_is_a_callers_mistake()
    {
        var error = Assert.Throws<ArgumentException>(() => ParentSelection.Uniform().Select(Context([], new Random(1))));
        Assert.Contains("UniformSelector", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(0.0)]
    public void Power_law_matches_rank_probabilities(double alpha)
    {
        // Scores with a tie (ids break it) and a failure (ranked last); the list is deliberately out of order.
        var population = new List<Candidate>
        {
            Scored(7, 0.5), Failed(3), Scored(2, 3.0), Scored(9, 0.5), Scored(4, -2.0), Scored(1, 10.0), Scored(5, 3.0),
        };
        long[] rankedIds = [1, 2, 5, 7, 9, 4, 3];
        var weights = rankedIds.Select((_, r) => Math.Pow(r + 1, -alpha)).ToArray();
        var expected = rankedIds.Select((id, r) => (id, p: weights[r] / weights.Sum())).ToDictionary(x => x.id, x => x.p);

        AssertFrequencies(new PowerLawSelector(alpha), population, expected, _ => 0);
    }

    [Fact]
    public void Power_law_does_not_depend_on_the_input_order()
    {
        var population = Enumerable.Range(1, 50).Select(i => Scored(i, (i * 13) % 7)).ToList();
        var reversed = Enumerable.Reverse(population).ToList();
        var a = new Random(9);
        var b = new Random(9);
        var selector = ParentSelection.PowerLaw();
        for (var i = 0; i < 200; i++)
        {
            Assert.Same(selector.Select(Context(population, a)), selector.Select(Context(reversed, b)));
        }
    }

    [Fact]
    public void Tournament_matches_order_statistics()
    {
        var population = new List<Candidate> { Scored(4, 1.0), Scored(2, 5.0), Failed(8), Scored(6, 5.0), Scored(1, -1.0) };
        long[] rankedIds = [2, 6, 4, 1, 8];
        const int k = 3;
        double n = rankedIds.Length;
        var expected = rankedIds
            .Select((id, r) => (id, p: Math.Pow((n - r) / n, k) - Math.Pow((n - r - 1) / n, k)))
            .ToDictionary(x => x.id, x => x.p);

        AssertFrequencies(new TournamentSelector(k), population, expected, _ => 0);
    }

    [Fact]
    public void Weighted_matches_the_sigmoid_over_median_and_mad_divided_by_children()
    {
        double[] scores = [0.1, 0.4, 0.5, 0.55, 0.9, double.NegativeInfinity];
        int[] children = [0, 3, 1, 0, 5, 0];
        var population = scores.Select((s, i) => FromScore(i + 10, s)).ToList();
        const double lambda = 3.0;

        // By hand: the median of the five finite scores is 0.5; absolute deviations {0.4, 0.1, 0, 0.05, 0.4} → MAD 0.1.
        const double median = 0.5, mad = 0.1;
        var raw = scores.Select((s, i) => double.IsFinite(s) ? 1 / (1 + Math.Exp(-lambda * (s - median) / mad)) / (1 + children[i]) : 0).ToArray();
        var expected = population.Select((c, i) => (c.Id, p: raw[i] / raw.Sum())).ToDictionary(x => x.Id, x => x.p);

        AssertFrequencies(new WeightedSelector(lambda), population, expected, id => children[id - 10]);
    }

    [Fact]
    public void Weighted_with_zero_mad_still_prefers_the_better_minority()
    {
        var population = new List<Candidate> { Scored(1, 1.0), Scored(2, 1.0), Scored(3, 1.0), Scored(4, 5.0) };
        var counts = Count(new WeightedSelector(), population, _ => 0, 4000);
        Assert.True(counts[4] > counts[1] * 1.9, $"best chosen {counts[4]} times, a median program {counts[1]} times");
    }

    [Fact]
    public void Weighted_with_equal_scores_weights_by_children_alone()
    {
        var population = new List<Candidate> { Scored(1, 2.0), Scored(2, 2.0) };
        var expected = new Dictionary<long, double> { [1] = 0.75, [2] = 0.25 };
        AssertFrequencies(new WeightedSelector(), population, expected, id => id == 1 ? 0 : 2);
    }

    [Fact]
    public void Fitness_weighted_matches_the_relative_softmax_and_is_shift_invariant()
    {
        double[] scores = [-100.0, -101.0, -104.0, double.NegativeInfinity];
        var population = scores.Select((s, i) => FromScore(i + 1, s)).ToList();
        const double temperature = 0.5;
        var t = temperature * (scores[0] - scores[2]);
        var raw = scores.Select(s => double.IsFinite(s) ? Math.Exp((s - scores[0]) / t) : 0).ToArray();
        var expected = population.Select((c, i) => (c.Id, p: raw[i] / raw.Sum())).ToDictionary(x => x.Id, x => x.p);

        AssertFrequencies(new FitnessWeightedSelector(temperature), population, expected, _ => 0);
    }

    [Fact]
    public void Fitness_weighted_with_equal_scores_is_uniform()
    {
        var population = Enumerable.Range(1, 4).Select(i => Scored(i, 3.0)).ToList();
        AssertFrequencies(new FitnessWeightedSelector(), population, population.ToDictionary(c => c.Id, _ => 0.25), _ => 0);
    }

    [Fact]
    public void Uniform_is_uniform()
    {
        var population = new List<Candidate> { Scored(1, 3.0), Failed(2), Scored(3, -1.0), Scored(4, 100.0) };
        AssertFrequencies(new UniformSelector(), population, population.ToDictionary(c => c.Id, _ => 0.25), _ => 0);
    }

    [Fact]
    public void Hill_climbing_always_returns_the_best_and_the_latest_of_ties()
    {
        Prop.ForAll(Populations(), p =>
        {
            var population = Build(p.Scores);
            var chosen = ParentSelection.HillClimbing().Select(Context(population, new Random(p.Seed)));
            var best = population.Max(c => double.IsNaN(c.Score) ? double.NegativeInfinity : c.Score);
            var latestBest = population.Where(c => c.Score.Equals(best)).Max(c => c.Id);
            return chosen.Id == latestBest;
        }).QuickCheckThrowOnFailure();

        var tied = new List<Candidate> { Scored(3, 2.0), Scored(8, 2.0), Scored(5, 1.0) };
        Assert.Equal(8, ParentSelection.HillClimbing().Select(Context(tied, new Random(1))).Id);
    }

    [Fact]
    public void Beam_search_expands_the_best_until_it_has_width_children()
    {
        var population = new List<Candidate> { Scored(1, 1.0), Scored(2, 3.0), Scored(3, 2.0), Failed(4) };
        var children = new Dictionary<long, int>();
        var selector = new BeamSearchSelector(width: 3);
        var random = new Random(5);
        var picks = new List<long>();
        for (var i = 0; i < 9; i++)
        {
            var chosen = selector.Select(Context(population, random, id => children.GetValueOrDefault(id)));
            Assert.True(children.GetValueOrDefault(chosen.Id) < 3, "the beam never exceeds its width");
            children[chosen.Id] = children.GetValueOrDefault(chosen.Id) + 1;
            picks.Add(chosen.Id);
        }

        Assert.Equal([2, 2, 2, 3, 3, 3, 1, 1, 1], picks);

        // Every scored program is full: the fallback is power-law over everything, still a member.
        var fallback = selector.Select(Context(population, random, id => children.GetValueOrDefault(id)));
        Assert.Contains(fallback, population);
    }

    [Fact]
    public void Beam_search_respects_the_width_over_random_populations()
    {
        Prop.ForAll(Populations(), p =>
        {
            var population = Build(p.Scores);
            var chosen = new BeamSearchSelector(2).Select(Context(population, new Random(p.Seed), id => p.Children[(1000 - (int)id) / 7]));
            var room = population.Where(c => double.IsFinite(c.Score) && p.Children[(1000 - (int)c.Id) / 7] < 2).ToList();
            if (room.Count == 0)
            {
                return population.Contains(chosen);
            }

            var best = room.Max(c => c.Score);
            return room.Contains(chosen) && chosen.Score.Equals(best) && chosen.Id == room.Where(c => c.Score.Equals(best)).Min(c => c.Id);
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("power", "PowerLawSelector: alpha must be between 0 and 10, was -1.")]
    [InlineData("fitness", "FitnessWeightedSelector: temperature must be between 0.001 and 1000, was 0.")]
    [InlineData("tournament", "TournamentSelector: size must be between 1 and 1000, was 0.")]
    [InlineData("weighted", "WeightedSelector: lambda must be between 0 and 1000, was NaN.")]
    [InlineData("beam", "BeamSearchSelector: width must be between 1 and 10000, was 0.")]
    public void Invalid_options_name_the_selector_the_parameter_and_the_range(string which, string message)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => which switch
        {
            "power" => ParentSelection.PowerLaw(-1),
            "fitness" => ParentSelection.FitnessWeighted(0),
            "tournament" => ParentSelection.Tournament(0),
            "weighted" => ParentSelection.Weighted(double.NaN),
            _ => ParentSelection.BeamSearch(0),
        });
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_factory_builds_the_documented_selectors()
    {
        Assert.Equal(1.0, Assert.IsType<PowerLawSelector>(ParentSelection.PowerLaw()).Alpha);
        Assert.Equal(FitnessWeightedSelector.DefaultTemperature, Assert.IsType<FitnessWeightedSelector>(ParentSelection.FitnessWeighted()).Temperature);
        Assert.IsType<HillClimbingSelector>(ParentSelection.HillClimbing());
        Assert.Equal(3, Assert.IsType<TournamentSelector>(ParentSelection.Tournament()).Size);
        Assert.Equal(10, Assert.IsType<WeightedSelector>(ParentSelection.Weighted()).Lambda);
        Assert.Equal(5, Assert.IsType<BeamSearchSelector>(ParentSelection.BeamSearch()).Width);
        Assert.IsType<UniformSelector>(ParentSelection.Uniform());
    }

    [Fact]
    public void Selectors_handle_a_hundred_thousand_programs()
    {
        var population = Enumerable.Range(0, 100_000).Select(i => Scored(i, (i * 7919L) % 1000 / 10.0)).ToList();
        var random = new Random(11);
        foreach (var name in SelectorNames)
        {
            Assert.Contains(Create(name).Select(Context(population, random)), population);
        }
    }

    private static Dictionary<long, int> Count(IParentSelector selector, List<Candidate> population, Func<long, int> children, int draws)
    {
        var random = new Random(20240601);
        var counts = population.ToDictionary(c => c.Id, _ => 0);
        for (var i = 0; i < draws; i++)
        {
            counts[selector.Select(Context(population, random, children)).Id]++;
        }

        return counts;
    }

    private static void AssertFrequencies(IParentSelector selector, List<Candidate> population, Dictionary<long, double> expected, Func<long, int> children)
    {
        Assert.Equal(1.0, expected.Values.Sum(), 9);
        var counts = Count(selector, population, children, Draws);
        foreach (var (id, p) in expected)
        {
            var observed = counts[id] / (double)Draws;
            Assert.True(Math.Abs(observed - p) <= Tolerance, $"candidate {id}: expected {p:F4}, observed {observed:F4}");
        }
    }
}
