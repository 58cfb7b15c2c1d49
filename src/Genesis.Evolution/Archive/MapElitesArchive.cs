using System.Globalization;
using Genesis.Blocks;
using Genesis.Selection;

namespace Genesis.Archive;

/// <summary>
/// A MAP-Elites archive: a grid over <see cref="FeatureDimension"/>s in which each cell keeps the best program whose
/// features fall in it, so the archive holds the best program of every kind rather than many copies of one. With no
/// dimensions it degrades to an elite set: the top <see cref="Capacity"/> programs by score.
/// </summary>
/// <remarks>
/// Only programs with a finite <see cref="Candidate.Score"/> enter. A challenger takes a cell only with a strictly higher
/// score; on a tie the incumbent stays. Not thread-safe: one archive per island, driven by that island's loop.
/// </remarks>
public sealed class MapElitesArchive
{
    /// <summary>The default number of programs kept when there are no dimensions.</summary>
    public const int DefaultCapacity = 100;

    private readonly FeatureDimension[] _dimensions;
    private readonly Dictionary<long, Candidate> _cells = [];
    private readonly SortedSet<Candidate> _top = new(WorstFirst.Instance);
    private readonly HashSet<long> _topIds = [];

    /// <summary>Creates an empty archive.</summary>
    /// <param name="dimensions">The grid's axes; empty for a plain elite set of <paramref name="capacity"/> programs. Each is validated.</param>
    /// <param name="capacity">The number of programs kept when <paramref name="dimensions"/> is empty, between 1 and 1,000,000. Default 100.</param>
    /// <exception cref="ArgumentException">A dimension is invalid, two share a metric, or the grid has more than 2^53 cells.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is outside [1, 1,000,000].</exception>
    public MapElitesArchive(IReadOnlyList<FeatureDimension> dimensions, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        Capacity = OptionChecks.InRange(capacity, 1, 1_000_000, nameof(MapElitesArchive), nameof(capacity));
        _dimensions = [.. dimensions];
        var metrics = new HashSet<string>(StringComparer.Ordinal);
        long cells = 1;
        foreach (var dimension in _dimensions)
        {
            if (dimension is null)
            {
                throw new ArgumentException("MapElitesArchive: dimensions must not contain null.", nameof(dimensions));
            }

            dimension.Validate();
            if (!metrics.Add(dimension.Metric))
            {
                throw new ArgumentException($"MapElitesArchive: the metric '{dimension.Metric}' is used by two dimensions.", nameof(dimensions));
            }

            cells *= dimension.Bins;
            if (cells > MaxCells)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"MapElitesArchive: the grid must have at most {MaxCells} cells; reduce the bins of the {_dimensions.Length} dimensions."),
                    nameof(dimensions));
            }
        }

        TotalCells = _dimensions.Length == 0 ? capacity : cells;
    }

    /// <summary>The grid's axes, in the order features are given.</summary>
    public IReadOnlyList<FeatureDimension> Dimensions => _dimensions;

    /// <summary>The number of programs kept when there are no dimensions.</summary>
    public int Capacity { get; }

    /// <summary>The number of cells: the product of the bins, or <see cref="Capacity"/> without dimensions.</summary>
    public long TotalCells { get; }

    /// <summary>The number of programs held.</summary>
    public int Count => _dimensions.Length == 0 ? _top.Count : _cells.Count;

    /// <summary>The fraction of cells filled, in [0, 1].</summary>
    public double Occupancy => (double)Count / TotalCells;

    /// <summary>Every program held, best first (ties by the smaller id). A new list per call.</summary>
    public IReadOnlyList<Candidate> Elites
    {
        get
        {
            var elites = _dimensions.Length == 0 ? [.. _top] : new List<Candidate>(_cells.Values);
            elites.Sort(static (a, b) => ScoreRanking.RanksBefore(a, b) ? -1 : ScoreRanking.RanksBefore(b, a) ? 1 : 0);
            return elites;
        }
    }

    /// <summary>What the archive covers: cells filled, bins reached per dimension, best score and QD score.</summary>
    public MapElitesCoverage Coverage
    {
        get
        {
            var perDimension = new int[_dimensions.Length];
            var reached = new HashSet<int>[_dimensions.Length];
            for (var d = 0; d < reached.Length; d++)
            {
                reached[d] = [];
            }

            var best = double.NegativeInfinity;
            var sum = 0.0;
            IEnumerable<Candidate> held = _dimensions.Length == 0 ? _top : _cells.Values;
            foreach (var candidate in held)
            {
                best = Math.Max(best, candidate.Score);
                sum += candidate.Score;
            }

            foreach (var key in _cells.Keys)
            {
                var cell = Unflatten(key);
                for (var d = 0; d < cell.Length; d++)
                {
                    reached[d].Add(cell[d]);
                }
            }

            for (var d = 0; d < perDimension.Length; d++)
            {
                perDimension[d] = reached[d].Count;
            }

            return new MapElitesCoverage(Count, TotalCells, Occupancy, perDimension, best, sum);
        }
    }

    /// <summary>Places <paramref name="candidate"/> in its cell if the cell is empty or it scores strictly higher than the incumbent.</summary>
    /// <param name="candidate">The program; ignored unless its <see cref="Candidate.Score"/> is finite.</param>
    /// <param name="features">One value per dimension (see <see cref="FeaturesOf"/>); ignored without dimensions.</param>
    /// <returns>Whether the candidate entered the archive.</returns>
    /// <exception cref="ArgumentException">The number of features differs from the number of dimensions.</exception>
    public bool TryAdd(Candidate candidate, IReadOnlyList<double> features)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(features);
        if (_dimensions.Length > 0)
        {
            RequireFeatureCount(features);
        }

        if (!double.IsFinite(candidate.Score))
        {
            return false;
        }

        if (_dimensions.Length == 0)
        {
            return TryAddToTop(candidate);
        }

        var key = Flatten(features);
        if (_cells.TryGetValue(key, out var incumbent) && !(candidate.Score > incumbent.Score))
        {
            return false;
        }

        _cells[key] = candidate;
        return true;
    }

    /// <summary>Places <paramref name="candidate"/> using the features <see cref="FeaturesOf"/> computes for it.</summary>
    /// <returns>Whether the candidate entered the archive.</returns>
    public bool TryAdd(Candidate candidate) => TryAdd(candidate, FeaturesOf(candidate, _dimensions));

    /// <summary>The cell <paramref name="features"/> fall in: one bin per dimension (non-finite values go to bin 0).</summary>
    /// <exception cref="ArgumentException">The number of features differs from the number of dimensions.</exception>
    public int[] CellOf(IReadOnlyList<double> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        RequireFeatureCount(features);
        var cell = new int[_dimensions.Length];
        for (var d = 0; d < cell.Length; d++)
        {
            cell[d] = _dimensions[d].BinOf(features[d]);
        }

        return cell;
    }

    /// <summary>The program in <paramref name="cell"/>, or <see langword="null"/> when it is empty.</summary>
    /// <exception cref="ArgumentException">The cell does not have one bin per dimension, or a bin is out of range.</exception>
    public Candidate? EliteAt(IReadOnlyList<int> cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (cell.Count != _dimensions.Length)
        {
            throw new ArgumentException($"MapElitesArchive: a cell has one bin per dimension ({_dimensions.Length}), got {cell.Count}.", nameof(cell));
        }

        long key = 0;
        for (var d = 0; d < _dimensions.Length; d++)
        {
            if (cell[d] < 0 || cell[d] >= _dimensions[d].Bins)
            {
                throw new ArgumentException($"MapElitesArchive: bin {cell[d]} of dimension '{_dimensions[d].Metric}' is outside [0, {_dimensions[d].Bins - 1}].", nameof(cell));
            }

            key = (key * _dimensions[d].Bins) + cell[d];
        }

        return _cells.GetValueOrDefault(key);
    }

    /// <summary>
    /// The feature vector of <paramref name="candidate"/>: for each dimension, <see cref="FeatureDimension.CodeLength"/> is the
    /// length in characters of the EVOLVE-BLOCK contents (the whole code if the markers are malformed),
    /// <see cref="FeatureDimension.Score"/> the candidate's score, and any other name the public metric of that name, else
    /// the private one, else NaN (which bins to 0).
    /// </summary>
    public static double[] FeaturesOf(Candidate candidate, IReadOnlyList<FeatureDimension> dimensions)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(dimensions);
        var features = new double[dimensions.Count];
        for (var d = 0; d < features.Length; d++)
        {
            var metric = dimensions[d].Metric;
            features[d] = metric switch
            {
                FeatureDimension.CodeLength => MutableLength(candidate.Code),
                FeatureDimension.Score => candidate.Score,
                _ => MetricOf(candidate.Evaluation, metric),
            };
        }

        return features;
    }

    private static double MutableLength(string code)
    {
        var layout = EvolveBlockLayout.Parse(code);
        return layout.Blocks.Count == 0 ? code.Length : layout.MutableText().Length;
    }

    private static double MetricOf(EvaluationResult? evaluation, string metric)
    {
        if (evaluation is null)
        {
            return double.NaN;
        }

        if (evaluation.PublicMetrics.TryGetValue(metric, out var value) || evaluation.PrivateMetrics.TryGetValue(metric, out value))
        {
            return value;
        }

        return double.NaN;
    }

    private const long MaxCells = 1L << 53;

    private bool TryAddToTop(Candidate candidate)
    {
        if (_topIds.Contains(candidate.Id))
        {
            return false;
        }

        if (_top.Count >= Capacity)
        {
            var worst = _top.Min!;
            if (!(candidate.Score > worst.Score))
            {
                return false;
            }

            _top.Remove(worst);
            _topIds.Remove(worst.Id);
        }

        _top.Add(candidate);
        _topIds.Add(candidate.Id);
        return true;
    }

    private void RequireFeatureCount(IReadOnlyList<double> features)
    {
        if (features.Count != _dimensions.Length)
        {
            throw new ArgumentException($"MapElitesArchive: expected one feature per dimension ({_dimensions.Length}), got {features.Count}.", nameof(features));
        }
    }

    private long Flatten(IReadOnlyList<double> features)
    {
        long key = 0;
        for (var d = 0; d < _dimensions.Length; d++)
        {
            key = (key * _dimensions[d].Bins) + _dimensions[d].BinOf(features[d]);
        }

        return key;
    }

    private int[] Unflatten(long key)
    {
        var cell = new int[_dimensions.Length];
        for (var d = _dimensions.Length - 1; d >= 0; d--)
        {
            cell[d] = (int)(key % _dimensions[d].Bins);
            key /= _dimensions[d].Bins;
        }

        return cell;
    }

    /// <summary>Orders the elite set worst first: lower score, then the larger (newer) id, so the newest of tied programs leaves first.</summary>
    private sealed class WorstFirst : IComparer<Candidate>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare(Candidate? x, Candidate? y)
        {
            var byScore = x!.Score.CompareTo(y!.Score);
            return byScore != 0 ? byScore : y.Id.CompareTo(x.Id);
        }
    }
}
