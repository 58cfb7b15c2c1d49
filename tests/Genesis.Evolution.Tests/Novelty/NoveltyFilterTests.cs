using Genesis.Novelty;

namespace Genesis.Tests.Novelty;

public sealed class NoveltyFilterTests
{
    private static readonly HashedNgramEmbeddingGenerator Generator = new();

    private const string First = "for i in range(n):\n    total += weights[i] * values[i]\nreturn total";
    private const string Different = "best = max(candidates, key=lambda c: c.score)\nprint(best.name)";

    [Fact]
    public void A_duplicate_is_rejected_and_a_different_program_accepted()
    {
        var filter = new NoveltyFilter();
        Assert.True(filter.Check(0, Generator.Embed(First)).IsNovel);
        filter.Add(0, 17, Generator.Embed(First));

        var duplicate = filter.Check(0, Generator.Embed(First));
        Assert.False(duplicate.IsNovel);
        Assert.Equal(1.0, duplicate.MaxSimilarity, 5);
        Assert.Equal(17, duplicate.MostSimilarId);

        var different = filter.Check(0, Generator.Embed(Different));
        Assert.True(different.IsNovel);
        Assert.True(different.MaxSimilarity < 0.5);
        Assert.Equal(17, different.MostSimilarId);
    }

    [Fact]
    public void Islands_are_separate()
    {
        var filter = new NoveltyFilter();
        filter.Add(1, 5, Generator.Embed(First));
        Assert.False(filter.Check(1, Generator.Embed(First)).IsNovel);

        var elsewhere = filter.Check(2, Generator.Embed(First));
        Assert.True(elsewhere.IsNovel);
        Assert.Equal(0, elsewhere.MaxSimilarity);
        Assert.Null(elsewhere.MostSimilarId);
        Assert.Equal(1, filter.Count(1));
        Assert.Equal(0, filter.Count(2));
    }

    [Fact]
    public void The_threshold_decides_and_an_exact_duplicate_is_never_novel()
    {
        float[] a = [1, 0, 0, 0];
        float[] b = [0.8f, 0.6f, 0, 0]; // cosine 0.8 with a

        var strict = new NoveltyFilter(0.75);
        strict.Add(0, 1, a);
        Assert.False(strict.Check(0, b).IsNovel);

        var lenient = new NoveltyFilter(0.9);
        lenient.Add(0, 1, a);
        Assert.True(lenient.Check(0, b).IsNovel);
        Assert.Equal(0.8, lenient.Check(0, b).MaxSimilarity, 6);

        var everything = new NoveltyFilter(1.0);
        everything.Add(0, 1, a);
        Assert.True(everything.Check(0, b).IsNovel);
        Assert.False(everything.Check(0, new float[] { 3, 0, 0, 0 }).IsNovel); // same direction, different length
    }

    [Fact]
    public void The_most_similar_of_many_is_found_across_buffer_growth()
    {
        var filter = new NoveltyFilter();
        var random = new Random(3);
        var vectors = new List<float[]>();
        for (var i = 0; i < 1000; i++)
        {
            var v = new float[64];
            for (var d = 0; d < v.Length; d++)
            {
                v[d] = (float)(random.NextDouble() - 0.5);
            }

            vectors.Add(v);
            filter.Add(3, 10_000 + i, v);
        }

        var probe = (float[])vectors[777].Clone();
        probe[0] += 0.01f;
        var verdict = filter.Check(3, probe);
        Assert.Equal(10_777, verdict.MostSimilarId);
        Assert.False(verdict.IsNovel);
        Assert.Equal(1000, filter.Count(3));
    }

    [Fact]
    public void Callers_mistakes_are_named()
    {
        Assert.StartsWith(
            "NoveltyFilter: threshold must be between 0 and 1, was 1.5.",
            Assert.Throws<ArgumentOutOfRangeException>(() => new NoveltyFilter(1.5)).Message,
            StringComparison.Ordinal);
        var filter = new NoveltyFilter();
        filter.Add(0, 1, new float[8]);
        Assert.Contains("8 dimensions, got 4", Assert.Throws<ArgumentException>(() => filter.Check(0, new float[4])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => filter.Add(0, 2, ReadOnlyMemory<float>.Empty));
        Assert.Throws<ArgumentException>(() => filter.Add(0, 2, new[] { float.NaN, 0, 0, 0, 0, 0, 0, 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => filter.Check(-1, new float[8]));
    }

    [Fact]
    public void Concurrent_adds_and_checks_are_safe()
    {
        var filter = new NoveltyFilter();
        var embeddings = Enumerable.Range(0, 200).Select(i => Generator.Embed($"x = {i} * y + z{i}")).ToArray();
        Parallel.For(0, 200, i =>
        {
            filter.Add(i % 4, i, embeddings[i]);
            filter.Check(i % 4, embeddings[(i * 7) % 200]);
        });
        Assert.Equal(200, Enumerable.Range(0, 4).Sum(filter.Count));
    }
}
