using Genesis.Selection;
using static Genesis.Tests.Selection.TestCandidates;

namespace Genesis.Tests.Selection;

public sealed class InspirationSamplerTests
{
    [Fact]
    public void Best_then_island_top_then_elites_without_the_parent_or_duplicates()
    {
        var parent = Scored(1, 9.0, "parent");
        var island = new List<Candidate> { parent, Scored(2, 5.0), Scored(3, 7.0), Scored(4, 1.0), Failed(5) };
        var best = Scored(50, 20.0);
        var elites = new List<Candidate> { Scored(3, 7.0), parent, Scored(60, 2.0), Scored(61, 3.0), Scored(62, 4.0), best };

        var chosen = InspirationSampler.Sample(parent, island, best, elites, count: 5, topK: 2, new Random(4));

        Assert.Equal(5, chosen.Count);
        Assert.Equal([50, 3, 2], chosen.Take(3).Select(c => c.Id));
        Assert.DoesNotContain(chosen, c => c.Id == parent.Id);
        Assert.Equal(chosen.Count, chosen.Select(c => c.Id).Distinct().Count());
        Assert.All(chosen.Skip(3), c => Assert.Contains(c.Id, new long[] { 60, 61, 62 }));
    }

    [Fact]
    public void Programs_with_the_parents_code_are_not_shown()
    {
        var parent = Scored(1, 1.0, "same");
        var twin = Scored(2, 5.0, "same");
        var other = Scored(3, 0.5, "other");
        var chosen = InspirationSampler.Sample(parent, [parent, twin, other], null, [], count: 3, topK: 3, new Random(1));
        Assert.Equal([3], chosen.Select(c => c.Id));
    }

    [Fact]
    public void Fewer_programs_than_asked_for_returns_what_there_is_and_zero_returns_none()
    {
        var parent = Scored(1, 1.0);
        Assert.Empty(InspirationSampler.Sample(parent, [parent], null, [parent], 4, 2, new Random(1)));
        Assert.Empty(InspirationSampler.Sample(parent, [parent, Scored(2, 3.0)], null, [], 0, 2, new Random(1)));
        Assert.Single(InspirationSampler.Sample(parent, [parent, Scored(2, 3.0)], null, [], 4, 2, new Random(1)));
    }

    [Fact]
    public void The_diverse_draws_follow_the_seed_and_cover_the_elites()
    {
        var parent = Scored(1, 1.0);
        var elites = Enumerable.Range(10, 20).Select(i => Scored(i, i)).ToList();
        var a = InspirationSampler.Sample(parent, [parent], null, elites, 3, 0, new Random(8));
        var b = InspirationSampler.Sample(parent, [parent], null, elites, 3, 0, new Random(8));
        Assert.Equal(a.Select(c => c.Id), b.Select(c => c.Id));

        var random = new Random(2);
        var seen = new HashSet<long>();
        for (var i = 0; i < 200; i++)
        {
            seen.UnionWith(InspirationSampler.Sample(parent, [parent], null, elites, 3, 0, random).Select(c => c.Id));
        }

        Assert.Equal(20, seen.Count);
    }
}
