using Genesis.GenomeTests.Compute;
using Genesis.Merging;

namespace Genesis.GenomeTests.Merging;

public sealed class SvdGoldenTests
{
    [Fact]
    public void A_rank_one_module_splits_its_singular_value_evenly()
    {
        // A = [3, 4] (1×2), B = [1, 0]ᵀ (2×1), s = 2: M = 2·B·A = [[6, 8], [0, 0]], σ = 10, u = (1, 0), v = (0.6, 0.8).
        // B′ = u·√10 = [√10, 0], A′ = √10·vᵀ = [0.6√10, 0.8√10].
        var parent = new LoraFactors(new float[] { 3, 4 }, new float[] { 1, 0 }, rank: 1, inFeatures: 2, outFeatures: 2, scaling: 2);
        foreach (var profile in new[] { MergeProfile.Mergekit, MergeProfile.GenomeCompatible })
        {
            var merged = new SvdMerge(new() { Rank = 1, Profile = profile }).Merge([parent]);
            TestTensors.Close([Math.Sqrt(10), 0], merged.B.Span, 1e-6);
            TestTensors.Close([0.6 * Math.Sqrt(10), 0.8 * Math.Sqrt(10)], merged.A.Span, 1e-6);
            Assert.Equal((1, 2, 2, 1.0), (merged.Rank, merged.InFeatures, merged.OutFeatures, merged.Scaling));
        }
    }

    // P1: A = [1, 0, 0], B = [1, 0]ᵀ → e₁e₁ᵀ; P2: A = [0, 1, 0], B = [0, 1]ᵀ → e₂e₂ᵀ (2×3 modules, scaling 1).
    private static readonly LoraFactors P1 = new(new float[] { 1, 0, 0 }, new float[] { 1, 0 }, 1, 3, 2);
    private static readonly LoraFactors P2 = new(new float[] { 0, 1, 0 }, new float[] { 0, 1 }, 1, 3, 2);

    [Fact]
    public void Mergekit_uses_the_weights_as_given()
    {
        // Weights [3, 1]: M = [[3, 0, 0], [0, 1, 0]], σ = (3, 1).
        // Rank 2: B′ = [[√3, 0], [0, 1]], A′ = [[√3, 0, 0], [0, 1, 0]]. Rank 1 keeps σ = 3 only.
        var two = new SvdMerge(new() { Rank = 2 }).Merge([P1, P2], [3, 1]);
        TestTensors.Close([Math.Sqrt(3), 0, 0, 1], two.B.Span);
        TestTensors.Close([Math.Sqrt(3), 0, 0, 0, 1, 0], two.A.Span);
        var one = new SvdMerge(new() { Rank = 1 }).Merge([P1, P2], [3, 1]);
        TestTensors.Close([Math.Sqrt(3), 0], one.B.Span);
        TestTensors.Close([Math.Sqrt(3), 0, 0], one.A.Span);
    }

    [Fact]
    public void Genome_normalises_the_weights()
    {
        // ŵ = [0.75, 0.25]: M = [[0.75, 0, 0], [0, 0.25, 0]]: B′ = [[√0.75, 0], [0, 0.5]], A′ = [[√0.75, 0, 0], [0, 0.5, 0]]
        var merged = new SvdMerge(new() { Rank = 2, Profile = MergeProfile.GenomeCompatible }).Merge([P1, P2], [3, 1]);
        TestTensors.Close([Math.Sqrt(0.75), 0, 0, 0.5], merged.B.Span);
        TestTensors.Close([Math.Sqrt(0.75), 0, 0, 0, 0.5, 0], merged.A.Span);
    }

    [Fact]
    public void The_output_scaling_is_divided_out_of_both_factors()
    {
        // s′ = 4: B′A′ = M/4, each factor carries 1/√4 = 1/2: B′ = [√3/2, 0, 0, 1/2].
        var merged = new SvdMerge(new() { Rank = 2, OutputScaling = 4 }).Merge([P1, P2], [3, 1]);
        TestTensors.Close([Math.Sqrt(3) / 2, 0, 0, 0.5], merged.B.Span);
        Assert.Equal(4, merged.Scaling);
    }

    [Fact]
    public void A_rank_above_the_mix_rank_pads_with_zero_components()
    {
        var merged = new SvdMerge(new() { Rank = 4 }).Merge([P1, P2], [3, 1]);
        Assert.Equal(2 * 4, merged.B.Length);
        Assert.Equal(4 * 3, merged.A.Length);
        var product = merged.DeltaWeight();
        TestTensors.Close([3, 0, 0, 0, 1, 0], [.. product.Select(v => (float)v)]);
    }
}
