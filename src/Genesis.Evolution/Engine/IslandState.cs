using Genesis.Archive;

namespace Genesis.Engine;

/// <summary>One island's population: the programs evaluated on it or migrated to it, its archive and its recent failures.</summary>
internal sealed class IslandState(int index, MapElitesArchive archive, Random random)
{
    private const int MaxRecentFailures = 5;
    private readonly List<Candidate> _members = [];
    // The correct programs, best first (score descending, then id ascending): parent selection and inspirations read
    // ranks directly instead of sorting the island on every proposal.
    private readonly List<Candidate> _ranked = [];
    private readonly HashSet<long> _memberIds = [];
    private readonly LinkedList<string> _recentFailures = new();

    public int Index { get; } = index;

    public MapElitesArchive Archive { get; } = archive;

    public Random Random { get; set; } = random;

    /// <summary>Evaluations of candidates born on this island.</summary>
    public int BornEvaluations { get; set; }

    /// <summary>The value of <see cref="BornEvaluations"/> at the last emigration.</summary>
    public int LastMigrationAt { get; set; }

    public IReadOnlyList<Candidate> Members => _members;

    public int CorrectCount => _ranked.Count;

    public Candidate? Best { get; private set; }

    public IReadOnlyCollection<string> RecentFailures => _recentFailures;

    public bool Contains(long id) => _memberIds.Contains(id);

    public bool Add(Candidate candidate)
    {
        if (!_memberIds.Add(candidate.Id))
        {
            return false;
        }

        _members.Add(candidate);
        if (candidate.IsCorrect)
        {
            var index = _ranked.BinarySearch(candidate, ScoreDescending.Instance);
            _ranked.Insert(index < 0 ? ~index : index, candidate);
            if (Best is null || candidate.Score > Best.Score)
            {
                Best = candidate;
            }
        }

        return true;
    }

    public void AddFailure(string description)
    {
        _recentFailures.AddFirst(description);
        while (_recentFailures.Count > MaxRecentFailures)
        {
            _recentFailures.RemoveLast();
        }
    }

    /// <summary>
    /// The programs parents are chosen from: the correct ones, ranked best first, or in repair mode (none correct yet)
    /// every evaluated one, unranked.
    /// </summary>
    public (IReadOnlyList<Candidate> Pool, bool Ranked, bool RepairMode) ParentPool() =>
        CorrectCount > 0 ? (_ranked, true, false) : (_members, false, true);

    /// <summary>The best correct programs, best first.</summary>
    public IEnumerable<Candidate> Top(int count) => _ranked.Take(count);

    /// <summary>Orders by score, best first, then by id so that equal scores rank the older program first.</summary>
    private sealed class ScoreDescending : IComparer<Candidate>
    {
        public static readonly ScoreDescending Instance = new();

        private static double Rank(double score) => double.IsNaN(score) ? double.NegativeInfinity : score;

        public int Compare(Candidate? x, Candidate? y)
        {
            // NaN ranks as negative infinity, as the selectors treat it.
            var byScore = Rank(y!.Score).CompareTo(Rank(x!.Score));
            return byScore != 0 ? byScore : x.Id.CompareTo(y.Id);
        }
    }
}
