using FsCheck;
using FsCheck.Fluent;
using Genesis.Archive;
using static Genesis.Tests.Selection.TestCandidates;

namespace Genesis.Tests.Archive;

public sealed class MapElitesArchiveTests
{
    private static readonly FeatureDimension[] Grid =
    [
        new("complexity", 0, 100, 10),
        new("diversity", 0, 1, 4),
    ];

    [Fact]
    public void Each_cell_keeps_the_better_program_and_ties_keep_the_incumbent()
    {
        var archive = new MapElitesArchive(Grid);
        Assert.True(archive.TryAdd(Scored(1, 1.0), [15, 0.1]));
        Assert.False(archive.TryAdd(Scored(2, 0.5), [19, 0.2]));
        Assert.False(archive.TryAdd(Scored(3, 1.0), [11, 0.0]));
        Assert.True(archive.TryAdd(Scored(4, 2.0), [10, 0.24]));
        Assert.True(archive.TryAdd(Scored(5, 0.1), [95, 0.9]));

        Assert.Equal([4, 5], archive.Elites.Select(c => c.Id));
        Assert.Equal(4, archive.EliteAt([1, 0])!.Id);
        Assert.Null(archive.EliteAt([0, 0]));
        Assert.Equal(2, archive.Count);
        Assert.Equal(2.0 / 40, archive.Occupancy, 12);
    }

    [Fact]
    public void Programs_without_a_finite_score_never_enter()
    {
        var archive = new MapElitesArchive(Grid);
        Assert.False(archive.TryAdd(Failed(1), [1, 0.1]));
        var noCells = new MapElitesArchive([]);
        Assert.False(noCells.TryAdd(Failed(2), []));
        Assert.Empty(archive.Elites);
        Assert.Empty(noCells.Elites);
    }

    [Theory]
    [InlineData(-5.0, 0)]
    [InlineData(0.0, 0)]
    [InlineData(9.999, 0)]
    [InlineData(10.0, 1)]
    [InlineData(55.0, 5)]
    [InlineData(99.99, 9)]
    [InlineData(100.0, 9)]
    [InlineData(1e9, 9)]
    [InlineData(double.NaN, 0)]
    [InlineData(double.PositiveInfinity, 0)]
    public void Values_bin_with_clamping_and_non_finite_to_zero(double complexity, int bin)
    {
        var archive = new MapElitesArchive(Grid);
        Assert.Equal([bin, 3], archive.CellOf([complexity, 0.99]));
    }

    [Fact]
    public void Every_value_bins_into_range_and_the_better_always_wins()
    {
        var candidate = Gen.Choose(0, 1000).Select(x => x / 10.0);
        var item = from score in candidate
                   from x in Gen.Choose(-20, 120)
                   from y in Gen.Choose(-10, 20)
                   select (score, x, y);
        var gen = Gen.ListOf(item).Select(items => items.ToList());
        Prop.ForAll(Arb.From(gen), items =>
        {
            var archive = new MapElitesArchive(Grid);
            var best = new Dictionary<(int, int), double>();
            var id = 0;
            foreach (var (score, x, y) in items)
            {
                double[] features = [x, y / 10.0];
                var cell = archive.CellOf(features);
                if (cell[0] is < 0 or > 9 || cell[1] is < 0 or > 3)
                {
                    return false;
                }

                archive.TryAdd(Scored(id++, score), features);
                var key = (cell[0], cell[1]);
                best[key] = Math.Max(best.GetValueOrDefault(key, double.NegativeInfinity), score);
            }

            return archive.Count == best.Count
                && best.All(kv => archive.EliteAt([kv.Key.Item1, kv.Key.Item2])!.Score.Equals(kv.Value));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Without_dimensions_the_archive_keeps_the_top_capacity_by_score()
    {
        var archive = new MapElitesArchive([], capacity: 3);
        Assert.True(archive.TryAdd(Scored(1, 1.0), []));
        Assert.True(archive.TryAdd(Scored(2, 5.0), []));
        Assert.True(archive.TryAdd(Scored(3, 3.0), []));
        Assert.False(archive.TryAdd(Scored(4, 0.5), []));
        Assert.False(archive.TryAdd(Scored(5, 1.0), []));
        Assert.True(archive.TryAdd(Scored(6, 4.0), []));
        Assert.False(archive.TryAdd(Scored(6, 4.0), []));

        Assert.Equal([2, 6, 3], archive.Elites.Select(c => c.Id));
        Assert.Equal(3, archive.TotalCells);
        Assert.Equal(1.0, archive.Occupancy);
    }

    [Fact]
    public void Without_dimensions_the_top_capacity_matches_a_sort()
    {
        Prop.ForAll(Arb.From(Gen.ListOf(Gen.Choose(-50, 50))), scores =>
        {
            var archive = new MapElitesArchive([], capacity: 5);
            var candidates = scores.Select((s, i) => Scored(i, s)).ToList();
            foreach (var c in candidates)
            {
                archive.TryAdd(c, []);
            }

            var expected = candidates.OrderByDescending(c => c.Score).ThenBy(c => c.Id).Take(5).Select(c => c.Score);
            return archive.Elites.Select(c => c.Score).SequenceEqual(expected) && archive.Count <= 5;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Features_come_from_code_length_score_and_public_then_private_metrics()
    {
        const string code = "import math\n# EVOLVE-BLOCK-START\nx = 1\n# EVOLVE-BLOCK-END\nprint(x)\n";
        var candidate = Scored(
            1,
            0.75,
            code,
            publicMetrics: new Dictionary<string, double> { ["speed"] = 3.0 },
            privateMetrics: new Dictionary<string, double> { ["speed"] = 99.0, ["holdout"] = 0.4 });
        FeatureDimension[] dimensions =
        [
            new(FeatureDimension.CodeLength, 0, 100),
            new(FeatureDimension.Score, 0, 1),
            new("speed", 0, 10),
            new("holdout", 0, 1),
            new("missing", 0, 1),
        ];

        var features = MapElitesArchive.FeaturesOf(candidate, dimensions);

        Assert.Equal(5.0, features[0]); // "x = 1"
        Assert.Equal(0.75, features[1]);
        Assert.Equal(3.0, features[2]);
        Assert.Equal(0.4, features[3]);
        Assert.True(double.IsNaN(features[4]));

        var archive = new MapElitesArchive(dimensions);
        Assert.True(archive.TryAdd(candidate));
        Assert.Same(candidate, archive.EliteAt([0, 7, 3, 4, 0]));
    }

    [Fact]
    public void Coverage_reports_cells_bins_best_and_qd_score()
    {
        var archive = new MapElitesArchive(Grid);
        archive.TryAdd(Scored(1, 1.0), [5, 0.1]);
        archive.TryAdd(Scored(2, 2.0), [5, 0.9]);
        archive.TryAdd(Scored(3, 4.0), [75, 0.9]);

        var coverage = archive.Coverage;

        Assert.Equal(3, coverage.FilledCells);
        Assert.Equal(40, coverage.TotalCells);
        Assert.Equal(3.0 / 40, coverage.Occupancy, 12);
        Assert.Equal([2, 2], coverage.FilledBinsPerDimension);
        Assert.Equal(4.0, coverage.BestScore);
        Assert.Equal(7.0, coverage.QdScore);

        var empty = new MapElitesArchive([]).Coverage;
        Assert.Equal(0, empty.FilledCells);
        Assert.Equal(double.NegativeInfinity, empty.BestScore);
        Assert.Empty(empty.FilledBinsPerDimension);
    }

    [Fact]
    public void Callers_mistakes_are_named()
    {
        Assert.StartsWith(
            "MapElitesArchive: capacity must be between 1 and 1000000, was 0.",
            Assert.Throws<ArgumentOutOfRangeException>(() => new MapElitesArchive([], 0)).Message,
            StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new MapElitesArchive([new FeatureDimension("a", 1, 0)]));
        Assert.Throws<ArgumentException>(() => new MapElitesArchive([new FeatureDimension("a", 0, 1), new FeatureDimension("a", 0, 2)]));
        Assert.Throws<ArgumentException>(() => new MapElitesArchive(Enumerable.Range(0, 6).Select(i => new FeatureDimension($"m{i}", 0, 1, 1000)).ToList()));
        var archive = new MapElitesArchive(Grid);
        Assert.Contains("expected one feature per dimension (2), got 1", Assert.Throws<ArgumentException>(() => archive.TryAdd(Scored(1, 1), [1.0])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => archive.EliteAt([10, 0]));
    }
}
