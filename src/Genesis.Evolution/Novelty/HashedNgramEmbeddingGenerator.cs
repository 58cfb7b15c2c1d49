using System.Buffers;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using Genesis.Selection;
using Microsoft.Extensions.AI;

namespace Genesis.Novelty;

/// <summary>
/// An offline, deterministic embedding of source code for the novelty filter: the code is split into tokens (identifiers,
/// numbers, operators), every run of <see cref="MinNgram"/> to <see cref="MaxNgram"/> consecutive tokens is hashed with a
/// stable hash (64-bit FNV-1a over UTF-8 with an avalanche finaliser) into one of <see cref="Dimensions"/> buckets with a
/// hash-chosen sign (the "hashing trick"), and the vector is L2-normalised. The same text gives the same vector in every
/// process, so stored embeddings stay valid across resumes and machines.
/// </summary>
/// <remarks>
/// Identical code has cosine similarity 1; a small edit changes only the n-grams that touch it, so the similarity stays
/// high; unrelated code shares few n-grams and, thanks to the random signs, lands near 0. Empty text (no tokens) embeds to
/// a fixed unit vector. <see cref="EmbeddingGenerationOptions.Dimensions"/>, when set, overrides <see cref="Dimensions"/>
/// for that call. Thread-safe; nothing to dispose.
/// </remarks>
public sealed class HashedNgramEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The default number of dimensions.</summary>
    public const int DefaultDimensions = 512;

    /// <summary>The provider name reported in the metadata.</summary>
    public const string ProviderName = "genesis-hashed-ngram";

    private const int MaxDimensions = 1 << 20;
    private const byte Separator = 0xFF; // never occurs in UTF-8, so "ab"+"c" and "a"+"bc" hash differently

    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Creates the generator.</summary>
    /// <param name="dimensions">The vector length, between 8 and 1,048,576. Default 512.</param>
    /// <param name="minNgram">The shortest token n-gram hashed, between 1 and <paramref name="maxNgram"/>. Default 1.</param>
    /// <param name="maxNgram">The longest token n-gram hashed, between <paramref name="minNgram"/> and 8. Default 3.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range.</exception>
    public HashedNgramEmbeddingGenerator(int dimensions = DefaultDimensions, int minNgram = 1, int maxNgram = 3)
    {
        Dimensions = OptionChecks.InRange(dimensions, 8, MaxDimensions, nameof(HashedNgramEmbeddingGenerator), nameof(dimensions));
        MaxNgram = OptionChecks.InRange(maxNgram, 1, 8, nameof(HashedNgramEmbeddingGenerator), nameof(maxNgram));
        MinNgram = OptionChecks.InRange(minNgram, 1, maxNgram, nameof(HashedNgramEmbeddingGenerator), nameof(minNgram));
        ModelId = string.Create(CultureInfo.InvariantCulture, $"hashed-ngram-{MinNgram}-{MaxNgram}");
        _metadata = new EmbeddingGeneratorMetadata(ProviderName, null, ModelId, Dimensions);
    }

    /// <summary>The default vector length.</summary>
    public int Dimensions { get; }

    /// <summary>The shortest token n-gram hashed.</summary>
    public int MinNgram { get; }

    /// <summary>The longest token n-gram hashed.</summary>
    public int MaxNgram { get; }

    /// <summary>The model id reported on every embedding, for example <c>hashed-ngram-1-3</c>.</summary>
    public string ModelId { get; }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var dimensions = options?.Dimensions ?? Dimensions;
        OptionChecks.InRange(dimensions, 8, MaxDimensions, nameof(HashedNgramEmbeddingGenerator), "options.Dimensions");
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            result.Add(new Embedding<float>(Embed(value, dimensions)) { ModelId = ModelId });
        }

        return Task.FromResult(result);
    }

    /// <summary>Embeds one text with <see cref="Dimensions"/> dimensions, synchronously.</summary>
    public float[] Embed(string text) => Embed(text, Dimensions);

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Does nothing: the generator holds no resources.</summary>
    public void Dispose()
    {
    }

    private float[] Embed(string text, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(text);
        var vector = new float[dimensions];
        var byteCount = Encoding.UTF8.GetByteCount(text);
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(1, byteCount));
        try
        {
            var utf8 = rented.AsSpan(0, Encoding.UTF8.GetBytes(text, rented));
            var tokens = CodeTokenizer.Tokenize(utf8);
            for (var n = MinNgram; n <= MaxNgram; n++)
            {
                for (var start = 0; start + n <= tokens.Count; start++)
                {
                    var hash = StableHash.Fnv1a((byte)n, StableHash.OffsetBasis);
                    for (var k = 0; k < n; k++)
                    {
                        var (offset, length) = tokens[start + k];
                        hash = StableHash.Fnv1a(Separator, StableHash.Fnv1a(utf8.Slice(offset, length), hash));
                    }

                    AddHashed(vector, hash);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        var norm = TensorPrimitives.Norm<float>(vector);
        if (!(norm > 0))
        {
            // No tokens (or, vanishingly rarely, exact cancellation): a fixed unit vector, so empty programs are duplicates of each other.
            Array.Clear(vector);
            AddHashed(vector, StableHash.OffsetBasis);
            norm = 1;
        }

        TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    private static void AddHashed(float[] vector, ulong hash)
    {
        hash = StableHash.Mix(hash);
        var bucket = (int)(((hash & 0xFFFF_FFFFUL) * (ulong)vector.Length) >> 32);
        vector[bucket] += (hash >> 63) == 0 ? 1f : -1f;
    }
}
