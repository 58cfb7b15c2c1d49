namespace Genesis.Tests.Selection;

/// <summary>Candidates for tests: scored, failed, with code and metrics.</summary>
internal static class TestCandidates
{
    public static Candidate Scored(long id, double score, string? code = null, IReadOnlyDictionary<string, double>? publicMetrics = null, IReadOnlyDictionary<string, double>? privateMetrics = null) =>
        new()
        {
            Id = id,
            Code = code ?? $"x = {id}",
            Status = CandidateStatus.Evaluated,
            Evaluation = EvaluationResult.Success(score, publicMetrics: publicMetrics, privateMetrics: privateMetrics),
        };

    public static Candidate Failed(long id, string? code = null) =>
        new()
        {
            Id = id,
            Code = code ?? $"x = {id}",
            Status = CandidateStatus.Evaluated,
            Evaluation = EvaluationResult.Failure(EvaluationStatus.Crashed, "boom"),
        };

    /// <summary>A candidate from a score: negative infinity or NaN make a failed one (Score = -inf).</summary>
    public static Candidate FromScore(long id, double score) =>
        double.IsFinite(score) ? Scored(id, score) : Failed(id);

    public static ParentSelectionContext Context(IReadOnlyList<Candidate> candidates, Random random, Func<long, int>? childCount = null) =>
        new() { Candidates = candidates, Random = random, ChildCount = childCount ?? (_ => 0) };

    /// <summary>
    /// A context for <paramref name="candidates"/> either as given (unranked) or, when <paramref name="ranked"/>, sorted best
    /// first as the engine keeps an island (score descending with NaN as negative infinity, then id ascending) and marked so.
    /// </summary>
    public static ParentSelectionContext Context(IReadOnlyList<Candidate> candidates, Random random, Func<long, int>? childCount, bool ranked) =>
        ranked
            ? new() { Candidates = Ranked(candidates), IsRanked = true, Random = random, ChildCount = childCount ?? (_ => 0) }
            : Context(candidates, random, childCount);

    /// <summary>The candidates best first: score descending (NaN counting as negative infinity), then id ascending.</summary>
    public static List<Candidate> Ranked(IEnumerable<Candidate> candidates) =>
        [.. candidates.OrderByDescending(c => double.IsNaN(c.Score) ? double.NegativeInfinity : c.Score).ThenBy(c => c.Id)];
}
