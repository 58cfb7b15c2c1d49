using Genesis.GenomeTests.Compute;
using Genesis.Merging;

namespace Genesis.GenomeTests.Merging;

public sealed class SlerpGoldenTests
{
    [Fact]
    public void Orthogonal_unit_vectors_at_half_way_meet_at_forty_five_degrees()
    {
        // θ = π/2, sin θ = 1: both coefficients are sin(π/4) = √2/2.
        foreach (var profile in new[] { MergeProfile.Mergekit, MergeProfile.GenomeCompatible })
        {
            TestTensors.Close([Math.Sqrt(0.5), Math.Sqrt(0.5)], new SlerpMerge(new() { Profile = profile }).Merge([1f, 0f], [0f, 1f]));
        }
    }

    [Fact]
    public void The_coefficients_follow_the_angle_not_the_norms()
    {
        // v0 = [2, 0], v1 = [0, 3], t = 1/3: θ = π/2, a = sin(π/3) = √3/2, b = sin(π/6) = 1/2 → [2·√3/2, 3·1/2] = [√3, 1.5]
        TestTensors.Close([Math.Sqrt(3), 1.5], new SlerpMerge(new() { T = 1.0 / 3 }).Merge([2f, 0f], [0f, 3f]));
    }

    [Fact]
    public void Nearly_parallel_vectors_fall_back_to_lerp()
    {
        // cos θ = 1 > 0.9995: 0.75·[1, 2] + 0.25·[2, 4] = [1.25, 2.5]
        TestTensors.Close([1.25, 2.5], new SlerpMerge(new() { T = 0.25 }).Merge([1f, 2f], [2f, 4f]));
    }

    [Fact]
    public void A_zero_tensor_falls_back_to_lerp()
    {
        // 0.5·[0, 0] + 0.5·[2, −4] = [1, −2]
        TestTensors.Close([1, -2], new SlerpMerge().Merge([0f, 0f], [2f, -4f]));
    }

    [Fact]
    public void Genome_takes_t_from_the_weights_and_mergekit_ignores_them()
    {
        // Weights [1, 3] → t = 0.75: θ = π/2, a = sin(π/8) ≈ 0.3826834, b = sin(3π/8) ≈ 0.9238795.
        var input = new MergeInput { Parents = [new float[] { 1, 0 }, new float[] { 0, 1 }], Weights = [1, 3] };
        TestTensors.Close([Math.Sin(Math.PI / 8), Math.Sin(3 * Math.PI / 8)], new SlerpMerge(new() { Profile = MergeProfile.GenomeCompatible }).Merge(input));
        TestTensors.Close([Math.Sqrt(0.5), Math.Sqrt(0.5)], new SlerpMerge().Merge(input));
    }

    [Fact]
    public void Slerp_needs_exactly_two_parents()
    {
        var error = Assert.Throws<ArgumentException>(() => new SlerpMerge().Merge([1f], [2f], [3f]));
        Assert.StartsWith("SlerpMerge: MergeInput.Parents must hold exactly 2 tensors, had 3.", error.Message, StringComparison.Ordinal);
    }
}
