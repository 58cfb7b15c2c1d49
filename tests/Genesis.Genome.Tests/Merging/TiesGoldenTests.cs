using Genesis.GenomeTests.Compute;
using Genesis.Merging;

namespace Genesis.GenomeTests.Merging;

/// <summary>
/// Three parents of five elements, density 0.6 (k = ⌊0.6·5⌋ = 3 per parent):
/// <code>
/// x1 = [ 4, −1,  2, −3, 0.5]  →  x̂1 = [ 4,  0,  2, −3, 0]
/// x2 = [−2,  5, −1,  1, 3  ]  →  x̂2 = [−2,  5,  0,  0, 3]
/// x3 = [ 1, −4, −3,  2, 2  ]  →  x̂3 = [ 0, −4, −3,  2, 2]   (3rd largest |x| is 2, tied: both 2s are kept)
/// </code>
/// Weights [1, 3, 1].
/// </summary>
public sealed class TiesGoldenTests
{
    private static readonly float[] X1 = [4, -1, 2, -3, 0.5f];
    private static readonly float[] X2 = [-2, 5, -1, 1, 3];
    private static readonly float[] X3 = [1, -4, -3, 2, 2];
    private static readonly MergeInput Input = new() { Parents = [X1, X2, X3], Weights = [1, 3, 1] };

    [Fact]
    public void Mergekit_sum_elects_on_weighted_vectors_and_divides_by_agreeing_weights()
    {
        // W1 = [4, 0, 2, −3, 0], W2 = 3·x̂2 = [−6, 15, 0, 0, 9], W3 = [0, −4, −3, 2, 2]
        // e0: 4 − 6 = −2 → γ−: W2 agrees: −6/3 = −2      e1: 15 − 4 = 11 → γ+: W2: 15/3 = 5
        // e2: 2 − 3 = −1 → γ−: W3: −3/1 = −3             e3: −3 + 2 = −1 → γ−: W1: −3/1 = −3
        // e4: 9 + 2 = 11 → γ+: W2, W3: (9 + 2)/(3 + 1) = 2.75
        var result = new TiesMerge(new() { Density = 0.6 }).Merge(Input);
        TestTensors.Close([-2, 5, -3, -3, 2.75], result);
    }

    [Fact]
    public void Mergekit_count_elects_by_majority_of_signs()
    {
        // Signs of W: e0 (+, −, 0) → tie → γ+: W1: 4/1 = 4        e1 (0, +, −) → γ+: W2: 15/3 = 5
        //             e2 (+, 0, −) → γ+: W1: 2/1 = 2              e3 (−, 0, +) → γ+: W3: 2/1 = 2
        //             e4 (0, +, +) → γ+: (9 + 2)/4 = 2.75
        var result = new TiesMerge(new() { Density = 0.6, Consensus = SignConsensus.Count }).Merge(Input);
        TestTensors.Close([4, 5, 2, 2, 2.75], result);
    }

    [Fact]
    public void Mergekit_without_normalize_sums_the_agreeing_weighted_values()
    {
        // The same elections as the sum case, undivided: [−6, 15, −3, −3, 11]
        var result = new TiesMerge(new() { Density = 0.6, Normalize = false }).Merge(Input);
        TestTensors.Close([-6, 15, -3, -3, 11], result);
    }

    [Fact]
    public void Genome_elects_on_unweighted_trimmed_vectors_and_takes_the_weighted_mean_of_the_agreeing()
    {
        // ŵ = [0.2, 0.6, 0.2]; default density 0.7 → k = ⌊3.5⌋ = 3, the same trim.
        // Unweighted sums: e0: 4 − 2 = 2 → γ+ (mergekit elected −): x̂1: 0.2·4/0.2 = 4
        //   e1: 5 − 4 = 1 → γ+: x̂2 → 5        e2: 2 − 3 = −1 → γ−: x̂3 → −3        e3: −3 + 2 = −1 → γ−: x̂1 → −3
        //   e4: 3 + 2 → γ+: (0.6·3 + 0.2·2)/(0.6 + 0.2) = 2.2/0.8 = 2.75
        // GENOME itself divides by the agreeing count: e0 → 0.8, e4 → 2.2/2 = 1.1 (magnitudes shrunk).
        var result = new TiesMerge(new() { Profile = MergeProfile.GenomeCompatible }).Merge(Input);
        TestTensors.Close([4, 5, -3, -3, 2.75], result);
    }

    [Fact]
    public void A_base_is_subtracted_before_and_added_after_with_lambda()
    {
        // base = [1, −1, 0.5, 2]; δ1 = [2, −1, 0, 3], δ2 = [−1, −2, 4, 0.5]; density 0.5 → k = 2:
        // δ̂1 = [2, 0, 0, 3], δ̂2 = [0, −2, 4, 0]; every element has one voter: mix = [2, −2, 4, 3]
        // θ = base + 0.5·mix = [2, −2, 2.5, 3.5], in both profiles (equal weights).
        float[] reference = [1, -1, 0.5f, 2];
        float[] x1 = [3, -2, 0.5f, 5];
        float[] x2 = [0, -3, 4.5f, 2.5f];
        foreach (var profile in new[] { MergeProfile.Mergekit, MergeProfile.GenomeCompatible })
        {
            var merge = new TiesMerge(new() { Profile = profile, Density = 0.5, Lambda = 0.5 });
            TestTensors.Close([2, -2, 2.5, 3.5], merge.Merge(new MergeInput { Parents = [x1, x2], Base = reference }));
        }
    }

    [Fact]
    public void L1_rescale_restores_each_trimmed_vector_norm()
    {
        // One parent x = [4, −1, 2, −3, 0.5], density 0.6: x̂ = [4, 0, 2, −3, 0], ‖x‖₁ = 10.5, ‖x̂‖₁ = 9, factor 7/6.
        // Mergekit with normalize divides W = w·(7/6)·x̂ by w: [14/3, 0, 7/3, −3.5, 0].
        var result = new TiesMerge(new() { Density = 0.6, Rescale = SparsificationRescale.L1 }).Merge(X1);
        TestTensors.Close([14.0 / 3, 0, 7.0 / 3, -3.5, 0], result);
    }
}
