using Genesis.GenomeTests.Compute;
using Genesis.Merging;

namespace Genesis.GenomeTests.Merging;

/// <summary>
/// Two parents of ten elements, density 0.5 and γ 0.1: drop the ⌊0.1·10⌋ = 1 largest magnitude, keep the next 5.
/// <code>
/// x = [10, −1, 2, −3, 4, −5, 6, −7, 0.5, 8]   |x| desc: 10 | 8, 7, 6, 5, 4 | …  →  x̃ = [0, 0, 0,  0, 4, −5, 6, −7,  0, 8]
/// y = [−2,  9, 1, −4, 3,  6, −0.5, 2.5, −8, 1.5]   |y| desc: 9 | 8, 6, 4, 3, 2.5 | …  →  ỹ = [0, 0, 0, −4, 3,  6, 0, 2.5, −8, 0]
/// </code>
/// Weights [1, 2].
/// </summary>
public sealed class BreadcrumbsGoldenTests
{
    private static readonly float[] X = [10, -1, 2, -3, 4, -5, 6, -7, 0.5f, 8];
    private static readonly float[] Y = [-2, 9, 1, -4, 3, 6, -0.5f, 2.5f, -8, 1.5f];
    private static readonly MergeInput Input = new() { Parents = [X, Y], Weights = [1, 2] };

    [Fact]
    public void Mergekit_breadcrumbs_sums_the_weighted_bands()
    {
        // x̃ + 2ỹ = [0, 0, 0, −8, 4 + 6, −5 + 12, 6, −7 + 5, −16, 8]
        var result = new BreadcrumbsMerge(new() { Density = 0.5, Gamma = 0.1 }).Merge(Input);
        TestTensors.Close([0, 0, 0, -8, 10, 7, 6, -2, -16, 8], result);
    }

    [Fact]
    public void Mergekit_breadcrumbs_ties_elects_on_the_weighted_bands()
    {
        // W1 = x̃, W2 = 2ỹ = [0, 0, 0, −8, 6, 12, 0, 5, −16, 0]
        // e5: −5 + 12 → γ+: 12; e7: −7 + 5 = −2 → γ−: −7; the rest have no disagreement; no normalize.
        var result = new BreadcrumbsMerge(new() { Density = 0.5, Gamma = 0.1, Consensus = SignConsensus.Sum }).Merge(Input);
        TestTensors.Close([0, 0, 0, -8, 10, 12, 6, -7, -16, 8], result);
    }

    [Fact]
    public void Genome_breadcrumbs_normalises_the_weights()
    {
        // ŵ = [1/3, 2/3]: x̃/3 + 2ỹ/3 = [0, 0, 0, −8/3, 10/3, 7/3, 2, −2/3, −16/3, 8/3]
        var result = new BreadcrumbsMerge(new() { Profile = MergeProfile.GenomeCompatible, Density = 0.5, Gamma = 0.1 }).Merge(Input);
        TestTensors.Close([0, 0, 0, -8.0 / 3, 10.0 / 3, 7.0 / 3, 2, -2.0 / 3, -16.0 / 3, 8.0 / 3], result);
    }

    [Fact]
    public void Genome_breadcrumbs_ties_elects_unweighted_and_takes_the_weighted_mean()
    {
        // Unweighted sums x̃ + ỹ: e3: −4 → ỹ: −4; e4: 7 → both: (4/3 + 2)/1 = 10/3; e5: −5 + 6 = 1 → γ+: ỹ: 6
        // e6: 6; e7: −7 + 2.5 → γ−: x̃: −7; e8: −8; e9: 8
        var options = new BreadcrumbsMergeOptions { Profile = MergeProfile.GenomeCompatible, Density = 0.5, Gamma = 0.1, Consensus = SignConsensus.Sum };
        var result = new BreadcrumbsMerge(options).Merge(Input);
        TestTensors.Close([0, 0, 0, -4, 10.0 / 3, 6, 6, -7, -8, 8], result);
    }

    [Fact]
    public void When_no_outlier_is_dropped_the_largest_are_kept_rather_than_nothing()
    {
        // ⌊0.01·10⌋ = 0 outliers: keep the 5 largest of x: [10, 0, 0, 0, 0, −5, 6, −7, 0, 8] (mergekit's slice keeps none).
        var result = new BreadcrumbsMerge(new() { Density = 0.5, Gamma = 0.01 }).Merge(X);
        TestTensors.Close([10, 0, 0, 0, 0, -5, 6, -7, 0, 8], result);
    }

    [Fact]
    public void When_density_and_gamma_exceed_one_fewer_outliers_are_dropped()
    {
        // Density 0.9 keeps 9 of 10, so only 10 − 9 = 1 outlier can go even with γ = 0.5: x without the 10.
        var result = new BreadcrumbsMerge(new() { Density = 0.9, Gamma = 0.5 }).Merge(X);
        TestTensors.Close([0, -1, 2, -3, 4, -5, 6, -7, 0.5, 8], result);
    }

    [Fact]
    public void Density_one_keeps_everything()
    {
        TestTensors.Close([10, -1, 2, -3, 4, -5, 6, -7, 0.5, 8], new BreadcrumbsMerge(new() { Gamma = 0.3 }).Merge(X));
    }
}
