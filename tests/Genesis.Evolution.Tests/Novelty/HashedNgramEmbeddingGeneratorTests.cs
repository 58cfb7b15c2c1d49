using System.Numerics.Tensors;
using System.Text;
using Genesis.Novelty;
using Microsoft.Extensions.AI;

namespace Genesis.Tests.Novelty;

public sealed class HashedNgramEmbeddingGeneratorTests
{
    private const string Program = """
        def construct_packing(n):
            centers = np.zeros((n, 2))
            for i in range(n):
                angle = 2 * np.pi * i / n
                centers[i] = [0.5 + 0.3 * np.cos(angle), 0.5 + 0.3 * np.sin(angle)]
            radii = compute_max_radii(centers)
            return centers, radii
        """;

    private const string SmallEdit = """
        def construct_packing(n):
            centers = np.zeros((n, 2))
            for i in range(n):
                angle = 2 * np.pi * i / n
                centers[i] = [0.5 + 0.35 * np.cos(angle), 0.5 + 0.3 * np.sin(angle)]
            radii = compute_max_radii(centers)
            return centers, radii
        """;

    private const string Unrelated = """
        fn main() {
            let mut total: u64 = 0;
            for word in std::io::stdin().lines() {
                total += word.unwrap().len() as u64;
            }
            println!("{}", total);
        }
        """;

    [Fact]
    public void Fnv1a_matches_the_published_test_vectors()
    {
        Assert.Equal(0xcbf29ce484222325UL, StableHash.Fnv1a([]));
        Assert.Equal(0xaf63dc4c8601ec8cUL, StableHash.Fnv1a("a"u8));
        Assert.Equal(0x85944171f73967e8UL, StableHash.Fnv1a("foobar"u8));
    }

    [Fact]
    public void The_vector_is_the_same_for_two_instances_and_pinned_across_processes()
    {
        var a = new HashedNgramEmbeddingGenerator().Embed(Program);
        var b = new HashedNgramEmbeddingGenerator().Embed(Program);
        Assert.Equal(a, b);
        Assert.Equal(512, a.Length);

        // A fingerprint of the whole vector (rounded to 1e-4, so SIMD width cannot move it), pinned: nothing in the embedding
        // depends on the process, and a change to the tokeniser or hash, which would invalidate stored runs, fails here.
        var rounded = a.Select(x => (int)Math.Round(x * 10_000)).ToArray();
        var bytes = new byte[rounded.Length * sizeof(int)];
        Buffer.BlockCopy(rounded, 0, bytes, 0, bytes.Length);
        Assert.Equal(ExpectedFingerprint, StableHash.Fnv1a(bytes));
    }

    private const ulong ExpectedFingerprint = 0xAB752CF3770C0CEDUL;

    [Fact]
    public void Vectors_have_unit_norm_even_for_empty_text()
    {
        var generator = new HashedNgramEmbeddingGenerator(dimensions: 64);
        foreach (var text in new[] { Program, Unrelated, string.Empty, "   \n\t", "x", "émoji ✓ 名前 = 3" })
        {
            Assert.Equal(1.0, TensorPrimitives.Norm<float>(generator.Embed(text)), 5);
        }
    }

    [Fact]
    public void Identical_code_is_similarity_one_a_small_edit_is_high_and_unrelated_code_low()
    {
        var generator = new HashedNgramEmbeddingGenerator();
        var original = generator.Embed(Program);
        var identical = TensorPrimitives.CosineSimilarity(original, generator.Embed(Program));
        var edited = TensorPrimitives.CosineSimilarity(original, generator.Embed(SmallEdit));
        var unrelated = TensorPrimitives.CosineSimilarity(original, generator.Embed(Unrelated));

        Assert.Equal(1.0, identical, 5);
        Assert.InRange(edited, 0.85, 0.999);
        Assert.InRange(unrelated, -0.3, 0.3);
    }

    [Fact]
    public void Whitespace_does_not_matter_but_token_order_does()
    {
        var generator = new HashedNgramEmbeddingGenerator();
        var a = generator.Embed("x = a + b * 2");
        Assert.Equal(a, generator.Embed("x=a+b*2"));
        Assert.True(TensorPrimitives.CosineSimilarity(a, generator.Embed("x = b * 2 + a")) < 0.9);
    }

    [Fact]
    public void Tokens_are_identifiers_numbers_and_operators()
    {
        var utf8 = Encoding.UTF8.GetBytes("x2 += 1.5e-3 ** y_1 != 0x1F; a->b ... 名前");
        var tokens = CodeTokenizer.Tokenize(utf8).Select(t => Encoding.UTF8.GetString(utf8, t.Start, t.Length));
        Assert.Equal(["x2", "+=", "1.5e-3", "**", "y_1", "!=", "0x1F", ";", "a", "->", "b", "...", "名前"], tokens);
    }

    [Fact]
    public async Task GenerateAsync_embeds_every_value_and_honours_the_requested_dimensions()
    {
        using var generator = new HashedNgramEmbeddingGenerator();
        var embeddings = await generator.GenerateAsync([Program, Unrelated]);
        Assert.Equal(2, embeddings.Count);
        Assert.Equal(generator.Embed(Program), embeddings[0].Vector.ToArray());
        Assert.Equal("hashed-ngram-1-3", embeddings[0].ModelId);

        var small = await generator.GenerateAsync([Program], new EmbeddingGenerationOptions { Dimensions = 32 });
        Assert.Equal(32, small[0].Vector.Length);
        Assert.Equal(32, small[0].Dimensions);
    }

    [Fact]
    public async Task GenerateAsync_observes_cancellation()
    {
        using var generator = new HashedNgramEmbeddingGenerator();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync([Program], cancellationToken: cts.Token));
    }

    [Fact]
    public void GetService_returns_the_metadata_and_itself()
    {
        using var generator = new HashedNgramEmbeddingGenerator(dimensions: 256, minNgram: 2, maxNgram: 4);
        var metadata = Assert.IsType<EmbeddingGeneratorMetadata>(generator.GetService(typeof(EmbeddingGeneratorMetadata)));
        Assert.Equal(HashedNgramEmbeddingGenerator.ProviderName, metadata.ProviderName);
        Assert.Equal("hashed-ngram-2-4", metadata.DefaultModelId);
        Assert.Equal(256, metadata.DefaultModelDimensions);
        Assert.Same(generator, generator.GetService(typeof(HashedNgramEmbeddingGenerator)));
        Assert.Null(generator.GetService(typeof(string)));
        Assert.Null(generator.GetService(typeof(EmbeddingGeneratorMetadata), "key"));
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.StartsWith(
            "HashedNgramEmbeddingGenerator: dimensions must be between 8 and 1048576, was 4.",
            Assert.Throws<ArgumentOutOfRangeException>(() => new HashedNgramEmbeddingGenerator(4)).Message,
            StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HashedNgramEmbeddingGenerator(minNgram: 3, maxNgram: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HashedNgramEmbeddingGenerator(maxNgram: 9));
    }
}
