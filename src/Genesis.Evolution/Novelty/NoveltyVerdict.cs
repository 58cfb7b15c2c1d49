namespace Genesis.Novelty;

/// <summary>What the <see cref="NoveltyFilter"/> thinks of a proposal.</summary>
/// <param name="IsNovel">Whether the proposal is different enough from every program already on the island to be evaluated.</param>
/// <param name="MaxSimilarity">The highest cosine similarity to a program on the island, in [−1, 1]; 0 when the island has none.</param>
/// <param name="MostSimilarId">The id of that program, or <see langword="null"/> when the island has none.</param>
public readonly record struct NoveltyVerdict(bool IsNovel, double MaxSimilarity, long? MostSimilarId);
