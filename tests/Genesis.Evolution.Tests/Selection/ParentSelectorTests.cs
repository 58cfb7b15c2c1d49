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

    /// <summary>Every selector, fed the programs as they come (unranked) and ranked best first as the engine keeps an island.</summary>
    public static TheoryData<string, bool> SelectorsBothWays
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var name in SelectorNames)
            {
                data.Add(name, false);
                data.Add(name, true);
            }

            return data;
        }
    }

    public static TheoryData<bool> BothWays => [false, true];

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
    [MemberData(nameof(SelectorsBothWays))]
    public void Every_selector_returns_a_member_of_the_population(string name, bool ranked)
    {
        var selector = Create(name);
        Prop.ForAll(Populations(), p =>
        {
            var population = Build(p.Scores);
            var random = new Random(p.Seed);
            var context = Context(population, random, id => p.Children[(1000 - (int)id) / 7], ranked);
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
    [MemberData(nameof(SelectorsBothWays))]
    public void A_single_candidate_is_always_chosen(string name, bool ranked)
    {
        foreach (var only in new[] { Scored(5, 1.0), Failed(6), Scored(7, double.NaN), Scored(8, double.PositiveInfinity) })
        {
            Assert.Same(only, Create(name).Select(Context([only], new Random(1), null, ranked)));
        }
    }

    [Theory]
    [MemberData(nameof(SelectorsBothWays))]
    public void An_all_failed_population_still_yields_a_parent(string name, bool ranked)
    {
        var population = Enumerable.Range(1, 5).Select(i => Failed(i)).ToList();
        var chosen = Create(name).Select(Context(population, new Random(3), null, ranked));
        Assert.Contains(chosen, population);
    }

    [Theory]
    [MemberData(nameof(SelectorsBothWays))]
    public void The_same_seed_gives_the_same_choices(string name, bool ranked)
    {
        var population = Enumerable.Range(1, 30).Select(i => Scored(i, (i * 37) % 11)).ToList();
        var first = new Random(42);
        var second = new Random(42);
        var selector = Create(name);
        for (var i = 0; i < 50; i++)
        {
            var a = selector.Select(Context(population, first, id => (int)(id % 4), ranked));
            var b = selector.Select(Context(population, second, id => (int)(id % 4), ranked));
            Assert.Same(a, b);
            Assert.Contains(a, population);
        }
    }

    [Theory]
    [MemberData(nameof(SelectorsBothWays))]
    public void Every_selector_returns_a_member_when_scores_are_infinite_or_nan(string name, bool ranked)
    {
        var selector = Create(name);
        Prop.ForAll(WildPopulations(), p =>
        {
            var population = BuildWild(p.Scores);
            var random = new Random(p.Seed);
            var context = Context(population, random, id => p.Children[(int)id], ranked);
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
    [InlineData("power-law")]
    [InlineData("hill")]
    [InlineData("beam")]
    [InlineData("uniform")]
    public void Rules_that_draw_a_rank_choose_the_same_program_from_a_ranking_as_from_the_raw_list(string name)
    {
        // Power-law draws a rank from the same cumulative weights both ways, so the same seed picks the same program; hill
        // climbing and beam search are deterministic (beam's fallback is power-law). Uniform ignores the order altogether,
        // so it is compared over a population that is already in rank order.
        var selector = Create(name);
        Prop.ForAll(WildPopulations(), p =>
        {
            var population = BuildWild(p.Scores);
            if (name == "uniform")
            {
                population = Ranked(population);
            }

            var a = new Random(p.Seed);
            var b = new Random(p.Seed);
            for (var i = 0; i < 5; i++)
            {
                var unranked = selector.Select(Context(population, a, id => p.Children[(int)id], ranked: false));
                var ranked = selector.Select(Context(population, b, id => p.Children[(int)id], ranked: true));
                if (!ReferenceEquals(unranked, ranked))
                {
                    return false;
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void An_empty_population_is_a_callers_mistake()
    {
        var error = Assert.Throws<ArgumentException>(() => ParentSelection.Uniform().Select(Context([], new Random(1))));
        Assert.Contains("UniformSelector", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.0, false)]
    [InlineData(2.0, false)]
    [InlineData(0.0, false)]
    [InlineData(1.0, true)]
    [InlineData(2.0, true)]
    [InlineData(0.0, true)]
    public void Power_law_matches_rank_probabilities(double alpha, bool ranked)
    {
        // Scores with a tie (ids break it) and a failure (ranked last); the list is deliberately out of order.
        var population = new List<Candidate>
        {
            Scored(7, 0.5), Failed(3), Scored(2, 3.0), Scored(9, 0.5), Scored(4, -2.0), Scored(1, 10.0), Scored(5, 3.0),
        };
        long[] rankedIds = [1, 2, 5, 7, 9, 4, 3];
        var weights = rankedIds.Select((_, r) => Math.Pow(r + 1, -alpha)).ToArray();
        var expected = rankedIds.Select((id, r) => (id, p: weights[r] / weights.Sum())).ToDictionary(x => x.id, x => x.p);

        AssertFrequencies(new PowerLawSelector(alpha), population, expected, _ => 0, ranked);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    public void Power_law_rank_draws_equal_a_linear_walk_over_fresh_weights_as_the_population_grows_and_shrinks(double alpha)
    {
        // The cached prefix sums are extended and reused; each draw must be the rank a fresh sum-and-walk finds.
        var selector = new PowerLawSelector(alpha);
        var seed = 0;
        foreach (var count in new[] { 1, 2, 5, 1000, 999, 1024, 1025, 3000, 7, 2049, 70_000, 3 })
        {
            var cached = new Random(++seed);
            var fresh = new Random(seed);
            var weights = Enumerable.Range(0, count).Select(r => Math.Pow(r + 1, -alpha)).ToArray();
            for (var i = 0; i < 50; i++)
            {
                Assert.Equal(ScoreRanking.SampleProportional(weights, fresh), selector.SampleRank(count, cached));
            }
        }
    }

    [Fact]
    public void Power_law_can_be_called_concurrently_while_its_cache_grows()
    {
        var selector = new PowerLawSelector(1.2);
        var mismatches = 0;
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var count = 1 + ((i * 7919) % 20_000);
            var weights = Enumerable.Range(0, count).Select(r => Math.Pow(r + 1, -1.2)).ToArray();
            var cached = new Random(i);
            var fresh = new Random(i);
            for (var draw = 0; draw < 20; draw++)
            {
                if (selector.SampleRank(count, cached) != ScoreRanking.SampleProportional(weights, fresh))
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        });

        Assert.Equal(0, mismatches);
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

    [Theory]
    [MemberData(nameof(BothWays))]
    public void Tournament_matches_order_statistics(bool ranked)
    {
        var population = new List<Candidate> { Scored(4, 1.0), Scored(2, 5.0), Failed(8), Scored(6, 5.0), Scored(1, -1.0) };
        long[] rankedIds = [2, 6, 4, 1, 8];
        const int k = 3;
        double n = rankedIds.Length;
        var expected = rankedIds
            .Select((id, r) => (id, p: Math.Pow((n - r) / n, k) - Math.Pow((n - r - 1) / n, k)))
            .ToDictionary(x => x.id, x => x.p);

        AssertFrequencies(new TournamentSelector(k), population, expected, _ => 0, ranked);
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public void Weighted_matches_the_sigmoid_over_median_and_mad_divided_by_children(bool ranked)
    {
        double[] scores = [0.1, 0.4, 0.5, 0.55, 0.9, double.NegativeInfinity];
        int[] children = [0, 3, 1, 0, 5, 0];
        var population = scores.Select((s, i) => FromScore(i + 10, s)).ToList();
        const double lambda = 3.0;

        // By hand: the median of the five finite scores is 0.5; absolute deviations {0.4, 0.1, 0, 0.05, 0.4} → MAD 0.1.
        const double median = 0.5, mad = 0.1;
        var raw = scores.Select((s, i) => double.IsFinite(s) ? 1 / (1 + Math.Exp(-lambda * (s - median) / mad)) / (1 + children[i]) : 0).ToArray();
        var expected = population.Select((c, i) => (c.Id, p: raw[i] / raw.Sum())).ToDictionary(x => x.Id, x => x.p);

        AssertFrequencies(new WeightedSelector(lambda), population, expected, id => children[id - 10], ranked);
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public void Weighted_falls_back_to_the_exact_draw_when_every_proposal_is_unlikely(bool ranked)
    {
        // A million children per program make every weight about 1e-6, so the ranked path's rejection sampler gives up and
        // draws exactly; the odds between programs must not change.
        double[] scores = [0.1, 0.4, 0.5, 0.55, 0.9, double.NegativeInfinity];
        int[] children = [1_000_000, 3_000_000, 1_000_000, 2_000_000, 500_000, 0];
        var population = scores.Select((s, i) => FromScore(i + 10, s)).ToList();
        const double lambda = 3.0, median = 0.5, mad = 0.1;
        var raw = scores.Select((s, i) => double.IsFinite(s) ? 1 / (1 + Math.Exp(-lambda * (s - median) / mad)) / (1 + children[i]) : 0).ToArray();
        var expected = population.Select((c, i) => (c.Id, p: raw[i] / raw.Sum())).ToDictionary(x => x.Id, x => x.p);

        AssertFrequencies(new WeightedSelector(lambda), population, expected, id => children[id - 10], ranked);
    }

    [Fact]
    public void Weighted_centre_of_a_ranking_equals_the_sorted_centre_exactly()
    {
        Prop.ForAll(WildPopulations(), p =>
        {
            var population = BuildWild(p.Scores);
            var ranked = Ranked(population);
            var (start, end) = ScoreRanking.FiniteRange(ranked);
            var sorted = WeightedSelector.CentreOf(population);
            var fast = WeightedSelector.CentreOfRanked(ranked, start, end);
            // Equal as numbers: a median of 0 may be −0 one way and +0 the other (sorting does not order the two zeros),
            // which changes no weight.
            return sorted.Finite == fast.Finite && sorted.Median.Equals(fast.Median) && sorted.Scale.Equals(fast.Scale);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Finite_range_of_a_ranking_skips_positive_infinity_in_front_and_failures_behind()
    {
        var ranked = Ranked([Scored(1, double.PositiveInfinity), Scored(2, 3.0), Scored(3, double.NaN), Failed(4), Scored(5, 1.0), Scored(6, double.PositiveInfinity)]);
        Assert.Equal((2, 4), ScoreRanking.FiniteRange(ranked));
        Assert.Equal((0, 0), ScoreRanking.FiniteRange(Ranked([Failed(1), Scored(2, double.NaN)])));
        Assert.Equal((1, 1), ScoreRanking.FiniteRange(Ranked([Failed(1), Scored(2, double.PositiveInfinity)])));
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public void Weighted_with_zero_mad_still_prefers_the_better_minority(bool ranked)
    {
        var population = new List<Candidate> { Scored(1, 1.0), Scored(2, 1.0), Scored(3, 1.0), Scored(4, 5.0) };
        var counts = Count(new WeightedSelector(), population, _ => 0, 4000, ranked);
        Assert.True(counts[4] > counts[1] * 1.9, $"best chosen {counts[4]} times, a median program {counts[1]} times");
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public void Weighted_with_equal_scores_weights_by_children_alone(bool ranked)
    {
        var population = new List<Candidate> { Scored(1, 2.0), Scored(2, 2.0) };
        var expected = new Dictionary<long, double> { [1] = 0.75, [2] = 0.25 };
        AssertFrequencies(new WeightedSelector(), population, expected, id => id == 1 ? 0 : 2, ranked);
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public void Weighted_without_any_finite_score_weights_by_children_alone(bool ranked)
    {
        var population = new List<Candidate> { Failed(1), Scored(2, double.NaN), Scored(3, double.PositiveInfinity) };
        var expected = new Dictionary<long, double> { [1] = 0.5 / 1.75, [2] = 0.25 / 1.75, [3] = 1.0 / 1.75 };
        AssertFrequencies(new WeightedSelector(), population, expected, id => id switch { 1 => 1, 2 => 3, _ => 0 }, ranked);
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public void Fitness_weighted_matches_the_relative_softmax_and_is_shift_invariant(bool ranked)
    {
        double[] scores = [-100.0, -101.0, -104.0, double.NegativeInfinity];
        var population = scores.Select((s, i) => FromScore(i + 1, s)).ToList();
        const double temperature = 0.5;
        var t = temperature * (scores[0] - scores[2]);
        var raw = scores.Select(s => double.IsFinite(s) ? Math.Exp((s - scores[0]) / t) : 0).ToArray();
        var expected = population.Select((c, i) => (c.Id, p: raw[i] / raw.Sum())).ToDictionary(x => x.Id, x => x.p);

        AssertFrequencies(new FitnessWeightedSelector(temperature), population, expected, _ => 0, ranked);
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public void Fitness_weighted_with_a_cold_temperature_falls_back_to_the_exact_draw(bool ranked)
    {
        // 2,000 distinct scores at temperature 0.001: only the top few have a noticeable weight, so almost every ranked call
        // exhausts its proposals and draws exactly.
        var population = Enumerable.Range(1, 2000).Select(i => Scored(i, i)).ToList();
        const double temperature = 0.001;
        var t = temperature * 1999;
        var raw = population.Select(c => Math.Exp((c.Score - 2000) / t)).ToArray();
        var expected = population.Select((c, i) => (c.Id, p: raw[i] / raw.Sum())).ToDictionary(x => x.Id, x => x.p);

        AssertFrequencies(new FitnessWeightedSelector(temperature), population, expected, _ => 0, ranked);
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public void Fitness_weighted_with_equal_scores_is_uniform(bool ranked)
    {
        var population = Enumerable.Range(1, 4).Select(i => Scored(i, 3.0)).ToList();
        AssertFrequencies(new FitnessWeightedSelector(), population, population.ToDictionary(c => c.Id, _ => 0.25), _ => 0, ranked);
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public void Fitness_weighted_ignores_infinite_and_nan_scores_while_one_is_finite(bool ranked)
    {
        var population = new List<Candidate> { Scored(1, double.PositiveInfinity), Scored(2, 4.0), Scored(3, double.NaN), Failed(4), Scored(5, 2.0) };
        var far = Math.Exp(-1 / FitnessWeightedSelector.DefaultTemperature);
        var expected = new Dictionary<long, double> { [1] = 0, [2] = 1 / (1 + far), [3] = 0, [4] = 0, [5] = far / (1 + far) };
        AssertFrequencies(new FitnessWeightedSelector(), population, expected, _ => 0, ranked);
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public void Uniform_is_uniform(bool ranked)
    {
        var population = new List<Candidate> { Scored(1, 3.0), Failed(2), Scored(3, -1.0), Scored(4, 100.0) };
        AssertFrequencies(new UniformSelector(), population, population.ToDictionary(c => c.Id, _ => 0.25), _ => 0, ranked);
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public void Hill_climbing_always_returns_the_best_and_the_latest_of_ties(bool ranked)
    {
        Prop.ForAll(Populations(), p =>
        {
            var population = Build(p.Scores);
            var chosen = ParentSelection.HillClimbing().Select(Context(population, new Random(p.Seed), null, ranked));
            var best = population.Max(c => double.IsNaN(c.Score) ? double.NegativeInfinity : c.Score);
            var latestBest = population.Where(c => c.Score.Equals(best)).Max(c => c.Id);
            return chosen.Id == latestBest;
        }).QuickCheckThrowOnFailure();

        var tied = new List<Candidate> { Scored(3, 2.0), Scored(8, 2.0), Scored(5, 1.0) };
        Assert.Equal(8, ParentSelection.HillClimbing().Select(Context(tied, new Random(1), null, ranked)).Id);
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public void Beam_search_expands_the_best_until_it_has_width_children(bool ranked)
    {
        var population = new List<Candidate> { Scored(1, 1.0), Scored(2, 3.0), Scored(3, 2.0), Failed(4) };
        var children = new Dictionary<long, int>();
        var selector = new BeamSearchSelector(width: 3);
        var random = new Random(5);
        var picks = new List<long>();
        for (var i = 0; i < 9; i++)
        {
            var chosen = selector.Select(Context(population, random, id => children.GetValueOrDefault(id), ranked));
            Assert.True(children.GetValueOrDefault(chosen.Id) < 3, "the beam never exceeds its width");
            children[chosen.Id] = children.GetValueOrDefault(chosen.Id) + 1;
            picks.Add(chosen.Id);
        }

        Assert.Equal([2, 2, 2, 3, 3, 3, 1, 1, 1], picks);

        // Every scored program is full: the fallback is power-law over everything, still a member.
        var fallback = selector.Select(Context(population, random, id => children.GetValueOrDefault(id), ranked));
        Assert.Contains(fallback, population);
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public void Beam_search_respects_the_width_over_random_populations(bool ranked)
    {
        Prop.ForAll(Populations(), p =>
        {
            var population = Build(p.Scores);
            var chosen = new BeamSearchSelector(2).Select(Context(population, new Random(p.Seed), id => p.Children[(1000 - (int)id) / 7], ranked));
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

    [Theory]
    [MemberData(nameof(BothWays))]
    public void Selectors_handle_a_hundred_thousand_programs(bool ranked)
    {
        var population = Enumerable.Range(0, 100_000).Select(i => Scored(i, (i * 7919L) % 1000 / 10.0)).ToList();
        var list = ranked ? Ranked(population) : population;
        var random = new Random(11);
        foreach (var name in SelectorNames)
        {
            var context = new ParentSelectionContext { Candidates = list, IsRanked = ranked, Random = random, ChildCount = id => (int)(id % 3) };
            Assert.Contains(Create(name).Select(context), population);
        }
    }

    /// <summary>Populations of 1 to 60 programs whose scores include NaN and positive infinity from successful evaluations.</summary>
    private static Arbitrary<(double[] Scores, int[] Children, int Seed)> WildPopulations()
    {
        var special = Gen.Elements(double.NegativeInfinity, double.NaN, double.PositiveInfinity, 0.0, -0.0, 1e308, -1e308, 5e-324, 1.0, 1.0);
        var ordinary = Gen.Choose(-400, 400).Select(i => i / 8.0);
        var score = Gen.Frequency((1, special), (3, ordinary));
        var gen =
            from n in Gen.Choose(1, 60)
            from scores in Gen.ArrayOf(score, n)
            from children in Gen.ArrayOf(Gen.Choose(0, 6), n)
            from seed in Gen.Choose(0, int.MaxValue)
            select (scores, children, seed);
        return Arb.From(gen);
    }

    /// <summary>Ids 0 … n − 1; negative infinity makes a failed program, NaN and +inf successful ones with those scores.</summary>
    private static List<Candidate> BuildWild(double[] scores) =>
        scores.Select((s, i) => double.IsNegativeInfinity(s) ? Failed(i) : Scored(i, s)).ToList();

    private static Dictionary<long, int> Count(IParentSelector selector, List<Candidate> population, Func<long, int> children, int draws, bool ranked)
    {
        var random = new Random(20240601);
        var list = ranked ? Ranked(population) : population;
        var counts = population.ToDictionary(c => c.Id, _ => 0);
        for (var i = 0; i < draws; i++)
        {
            var context = new ParentSelectionContext { Candidates = list, IsRanked = ranked, Random = random, ChildCount = children };
            counts[selector.Select(context).Id]++;
        }

        return counts;
    }

    private static void AssertFrequencies(IParentSelector selector, List<Candidate> population, Dictionary<long, double> expected, Func<long, int> children, bool ranked)
    {
        Assert.Equal(1.0, expected.Values.Sum(), 9);
        var counts = Count(selector, population, children, Draws, ranked);
        foreach (var (id, p) in expected)
        {
            var observed = counts[id] / (double)Draws;
            Assert.True(Math.Abs(observed - p) <= Tolerance, $"candidate {id}: expected {p:F4}, observed {observed:F4}");
        }
    }
}
