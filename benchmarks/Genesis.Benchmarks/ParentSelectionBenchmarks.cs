using BenchmarkDotNet.Attributes;
using Genesis.Selection;

namespace Genesis.Benchmarks;

/// <summary>
/// Choosing a parent (and the inspirations shown next to it) on an island of 100,000 correct programs that the engine keeps
/// ranked best first. Reference: one naive full sort of the island by score, what an engine that does not keep a ranking
/// pays on every proposal before it can even start choosing.
/// </summary>
/// <remarks>
/// Child counts come from the same kind of run: 100,000 parents drawn by power-law (alpha 1) over the ranking, so the top
/// ranks have thousands of children, about 2,000 programs have at least 5, and beam search with width 5 walks past the
/// first 668 before it finds one with room.
/// The child counts are read through a dictionary, as the engine keeps them.
/// </remarks>
[Config(typeof(ShortRunConfig))]
[MemoryDiagnoser]
public class ParentSelectionBenchmarks
{
    private const int Programs = 100_000;
    private const int TopInspirations = 3;
    private const int DiverseInspirations = 2;

    private readonly IParentSelector _powerLaw = ParentSelection.PowerLaw();
    private readonly IParentSelector _weighted = ParentSelection.Weighted();
    private readonly IParentSelector _tournament = ParentSelection.Tournament();
    private readonly IParentSelector _beam = ParentSelection.BeamSearch();
    private readonly IParentSelector _fitness = ParentSelection.FitnessWeighted();
    private readonly Random _random = new(7);
    private readonly Dictionary<long, int> _children = [];
    private List<Candidate> _ranked = [];
    private List<Candidate> _unranked = [];
    private List<Candidate> _top = [];
    private List<Candidate> _elites = [];
    private Candidate _runBest = null!;
    private Func<long, int> _childCount = _ => 0;

    [GlobalSetup]
    public void Setup()
    {
        // 64 distinct programs of 1-2 KB shared by the 100,000 candidates: selection never reads the code, and 100,000
        // distinct copies would only measure the machine's memory.
        var codes = Enumerable.Range(0, 64).Select(v => Fixtures.PythonProgram(40 + (v % 24), 24 + (v % 12), v)).ToArray();
        var random = new Random(1);
        var candidates = new List<Candidate>(Programs);
        for (var id = 0; id < Programs; id++)
        {
            // Scores on a 1e-4 grid: realistic ties between programs that reach the same objective value.
            var score = Math.Round(2.0 + (0.6 * Math.Sqrt(random.NextDouble())), 4);
            candidates.Add(Fixtures.Evaluated(id, score, codes[id % codes.Length], id % 97));
        }

        _unranked = candidates;
        _ranked = [.. candidates];
        _ranked.Sort(static (a, b) => ScoreRanking.RanksBefore(a, b) ? -1 : ScoreRanking.RanksBefore(b, a) ? 1 : 0);

        var simulate = new PowerLawSelector(1.0);
        for (var i = 0; i < Programs; i++)
        {
            var parent = _ranked[simulate.SampleRank(Programs, random)];
            _children[parent.Id] = _children.GetValueOrDefault(parent.Id) + 1;
        }

        _childCount = id => _children.GetValueOrDefault(id);
        _top = _ranked.Take(TopInspirations + 1).ToList();
        _runBest = Fixtures.Evaluated(Programs, 2.7, codes[0]);
        _elites = _ranked.Where((_, i) => i % 500 == 17).Take(200).ToList();
        if (_elites.Count != 200)
        {
            throw new InvalidOperationException("Expected 200 elites.");
        }
    }

    /// <summary>The reference: copy the island and sort it by score (then id), as a naive engine does per proposal.</summary>
    [Benchmark(Baseline = true)]
    public Candidate NaiveFullSort()
    {
        var copy = _unranked.ToArray();
        Array.Sort(copy, static (a, b) =>
        {
            var byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : a.Id.CompareTo(b.Id);
        });
        return copy[0];
    }

    [Benchmark]
    public Candidate PowerLaw() => _powerLaw.Select(Ranked());

    [Benchmark]
    public Candidate Weighted() => _weighted.Select(Ranked());

    [Benchmark]
    public Candidate Tournament() => _tournament.Select(Ranked());

    [Benchmark]
    public Candidate BeamSearch() => _beam.Select(Ranked());

    [Benchmark]
    public Candidate FitnessWeighted() => _fitness.Select(Ranked());

    /// <summary>The default selector on the same programs without a ranking: what <c>IsRanked</c> saves.</summary>
    [Benchmark]
    public Candidate PowerLawUnranked() => _powerLaw.Select(Unranked());

    /// <summary>Shinka's weighted selection without a ranking: two sorts for the median and the MAD.</summary>
    [Benchmark]
    public Candidate WeightedUnranked() => _weighted.Select(Unranked());

    /// <summary>
    /// Inspirations as the engine picks them: the run's best (from another island), the island's top 3 (the engine hands over
    /// its top 4 in case the parent is one of them) and 2 drawn from 200 elites of the other islands.
    /// </summary>
    [Benchmark]
    public IReadOnlyList<Candidate> Inspirations()
    {
        var parent = _ranked[_random.Next(Programs)];
        return InspirationSampler.Sample(parent, _top, _runBest, _elites, 1 + TopInspirations + DiverseInspirations, TopInspirations, _random);
    }

    private ParentSelectionContext Ranked() => new() { Candidates = _ranked, IsRanked = true, ChildCount = _childCount, Random = _random };

    private ParentSelectionContext Unranked() => new() { Candidates = _unranked, ChildCount = _childCount, Random = _random };
}
