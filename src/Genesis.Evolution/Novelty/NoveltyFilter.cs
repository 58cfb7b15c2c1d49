using System.Globalization;
using System.Numerics.Tensors;
using Genesis.Selection;

namespace Genesis.Novelty;

/// <summary>
/// ShinkaEvolve's novelty rejection, before any evaluation budget is spent: a proposal whose embedding has a cosine
/// similarity of at least <see cref="Threshold"/> to a program already evaluated on the same island is not novel.
/// </summary>
/// <remarks>
/// Each island keeps its vectors L2-normalised in one contiguous, growable <see cref="float"/> buffer, so a check is a
/// sequence of <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/> calls over adjacent memory
/// (100,000 programs of 512 dimensions is 200 MB and a few tens of milliseconds). An exact duplicate (similarity 1 within
/// float rounding) is never novel, whatever the threshold. A zero vector has similarity 0 to everything. All vectors of a
/// filter must have the same length, fixed by the first one added or checked. Thread-safe.
/// </remarks>
public sealed class NoveltyFilter
{
    /// <summary>The default threshold: ShinkaEvolve's 0.99 cosine similarity.</summary>
    public const double DefaultThreshold = 0.99;

    /// <summary>How far below 1 a similarity may be, through float rounding, and still count as an exact duplicate.</summary>
    internal const double DuplicateTolerance = 1e-6;

    private readonly Dictionary<int, IslandVectors> _islands = [];
    private readonly Lock _gate = new();
    private int _dimensions;

    /// <summary>Creates an empty filter.</summary>
    /// <param name="threshold">The cosine similarity at or above which a proposal is not novel, between 0 and 1. Default 0.99.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is outside [0, 1].</exception>
    public NoveltyFilter(double threshold = DefaultThreshold)
    {
        Threshold = OptionChecks.InRange(threshold, 0, 1, nameof(NoveltyFilter), nameof(threshold));
    }

    /// <summary>The cosine similarity at or above which a proposal is not novel.</summary>
    public double Threshold { get; }

    /// <summary>The length of the vectors, or 0 before the first one.</summary>
    public int Dimensions
    {
        get
        {
            lock (_gate)
            {
                return _dimensions;
            }
        }
    }

    /// <summary>How many programs island <paramref name="island"/> holds.</summary>
    public int Count(int island)
    {
        RequireIsland(island);
        lock (_gate)
        {
            return _islands.TryGetValue(island, out var vectors) ? vectors.Count : 0;
        }
    }

    /// <summary>Compares <paramref name="embedding"/> with every program of island <paramref name="island"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="island"/> is negative.</exception>
    /// <exception cref="ArgumentException">The embedding is empty or its length differs from the filter's.</exception>
    public NoveltyVerdict Check(int island, ReadOnlyMemory<float> embedding)
    {
        RequireIsland(island);
        var query = Normalised(embedding.Span);
        lock (_gate)
        {
            if (!AcceptsLength(query.Length))
            {
                throw new ArgumentException(WrongLength(query.Length), nameof(embedding));
            }

            if (!_islands.TryGetValue(island, out var vectors) || vectors.Count == 0)
            {
                return new NoveltyVerdict(true, 0, null);
            }

            var best = double.NegativeInfinity;
            var bestIndex = 0;
            var all = vectors.Buffer.AsSpan(0, vectors.Count * _dimensions);
            for (var i = 0; i < vectors.Count; i++)
            {
                double similarity = TensorPrimitives.Dot(all.Slice(i * _dimensions, _dimensions), query);
                if (similarity > best)
                {
                    best = similarity;
                    bestIndex = i;
                }
            }

            best = Math.Clamp(best, -1, 1);
            var isNovel = best < Threshold && best < 1 - DuplicateTolerance;
            return new NoveltyVerdict(isNovel, best, vectors.Ids[bestIndex]);
        }
    }

    /// <summary>Records the embedding of evaluated program <paramref name="candidateId"/> on island <paramref name="island"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="island"/> is negative.</exception>
    /// <exception cref="ArgumentException">The embedding is empty, holds a non-finite value, or its length differs from the filter's.</exception>
    public void Add(int island, long candidateId, ReadOnlyMemory<float> embedding)
    {
        RequireIsland(island);
        var vector = Normalised(embedding.Span);
        lock (_gate)
        {
            if (!AcceptsLength(vector.Length))
            {
                throw new ArgumentException(WrongLength(vector.Length), nameof(embedding));
            }

            if (!_islands.TryGetValue(island, out var vectors))
            {
                vectors = new IslandVectors();
                _islands.Add(island, vectors);
            }

            vectors.Append(candidateId, vector, _dimensions);
        }
    }

    private static float[] Normalised(ReadOnlySpan<float> embedding)
    {
        if (embedding.IsEmpty)
        {
            throw new ArgumentException("NoveltyFilter: the embedding must not be empty.", nameof(embedding));
        }

        var copy = embedding.ToArray();
        var norm = TensorPrimitives.Norm<float>(copy);
        if (!float.IsFinite(norm))
        {
            throw new ArgumentException("NoveltyFilter: the embedding must hold only finite values.", nameof(embedding));
        }

        if (norm > 0)
        {
            TensorPrimitives.Divide(copy, norm, copy);
        }

        return copy;
    }

    private static void RequireIsland(int island)
    {
        if (island < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(island), island, string.Create(CultureInfo.InvariantCulture, $"NoveltyFilter: island must be at least 0, was {island}."));
        }
    }

    private bool AcceptsLength(int length)
    {
        if (_dimensions == 0)
        {
            _dimensions = length;
        }

        return _dimensions == length;
    }

    private string WrongLength(int length) =>
        string.Create(CultureInfo.InvariantCulture, $"NoveltyFilter: every embedding must have {_dimensions} dimensions, got {length}.");

    /// <summary>One island's vectors, row after row in one buffer, and their program ids.</summary>
    private sealed class IslandVectors
    {
        public float[] Buffer { get; private set; } = [];

        public long[] Ids { get; private set; } = [];

        public int Count { get; private set; }

        public void Append(long id, ReadOnlySpan<float> vector, int dimensions)
        {
            if (Count == Ids.Length)
            {
                var capacity = Math.Max(16, Ids.Length * 2);
                var ids = new long[capacity];
                Ids.AsSpan().CopyTo(ids);
                var buffer = new float[(long)capacity * dimensions];
                Buffer.AsSpan().CopyTo(buffer);
                Ids = ids;
                Buffer = buffer;
            }

            vector.CopyTo(Buffer.AsSpan(Count * dimensions, dimensions));
            Ids[Count] = id;
            Count++;
        }
    }
}
