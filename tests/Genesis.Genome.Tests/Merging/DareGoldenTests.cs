using Genesis.GenomeTests.Compute;
using Genesis.Merging;
using Genesis.Randomness;

namespace Genesis.GenomeTests.Merging;

/// <summary>
/// Two parents of eight elements, density 0.5, seed 3 stream 0. Parent i's mask comes from <c>Random.Derive(i)</c>; with a
/// drop probability of ½ the dropped elements are the skip-sampled ones, pinned in the first test:
/// <code>
/// x1 = [1,  2,  3, 4,  5,  6, 7,  8]  drop {0, 1, 4, 7}  →  x̃1 = [0, 0,  3, 4, 0, 6, 7, 0]   ‖x1‖₁ = 36, ‖x̃1‖₁ = 20
/// x2 = [2, −2, −1, 1, −4, −3, 2, −6]  drop {1, 4, 5, 7}  →  x̃2 = [2, 0, −1, 1, 0, 0, 2, 0]   ‖x2‖₁ = 21, ‖x̃2‖₁ = 6
/// </code>
/// Weights [1, 2].
/// </summary>
public sealed class DareGoldenTests
{
    private static readonly RandomKey Key = new(3, 0);
    private static readonly float[] X1 = [1, 2, 3, 4, 5, 6, 7, 8];
    private static readonly float[] X2 = [2, -2, -1, 1, -4, -3, 2, -6];
    private static readonly MergeInput Input = new() { Parents = [X1, X2], Weights = [1, 2], Random = Key };

    [Fact]
    public void The_masks_are_the_pinned_skip_samples()
    {
        Assert.Equal([0, 1, 4, 7], CounterRandom.SelectBernoulli(Key.Derive(0), 0.5, 8));
        Assert.Equal([1, 4, 5, 7], CounterRandom.SelectBernoulli(Key.Derive(1), 0.5, 8));
    }

    [Fact]
    public void Mergekit_dare_linear_matches_l1_norms_and_does_not_normalize()
    {
        // L1 factors 36/20 = 1.8 and 21/6 = 3.5: out = 1.8·x̃1 + 2·3.5·x̃2
        // = [14, 0, 5.4 − 7, 7.2 + 7, 0, 10.8, 12.6 + 14, 0] = [14, 0, −1.6, 14.2, 0, 10.8, 26.6, 0]
        var result = new DareMerge(new() { Density = 0.5 }).Merge(Input);
        TestTensors.Close([14, 0, -1.6, 14.2, 0, 10.8, 26.6, 0], result, 1e-5);
    }

    [Fact]
    public void Mergekit_dare_ties_elects_on_the_weighted_rescaled_vectors()
    {
        // W1 = 1.8·x̃1 = [0, 0, 5.4, 7.2, 0, 10.8, 12.6, 0], W2 = 7·x̃2 = [14, 0, −7, 7, 0, 0, 14, 0]
        // e2: 5.4 − 7 = −1.6 → γ−: only W2 → −7; elsewhere nobody disagrees; no normalize:
        // [14, 0, −7, 14.2, 0, 10.8, 26.6, 0]
        var result = new DareMerge(new() { Density = 0.5, Consensus = SignConsensus.Sum }).Merge(Input);
        TestTensors.Close([14, 0, -7, 14.2, 0, 10.8, 26.6, 0], result, 1e-5);
    }

    [Fact]
    public void Genome_dare_linear_rescales_by_the_inverse_density()
    {
        // ŵ = [1/3, 2/3], rescale 1/0.5 = 2: out = (2/3)·x̃1 + (4/3)·x̃2
        // = [8/3, 0, 2 − 4/3, 8/3 + 4/3, 0, 4, 14/3 + 8/3, 0] = [8/3, 0, 2/3, 4, 0, 4, 22/3, 0]
        // (GENOME never rescales: it would give half of this.)
        var result = new DareMerge(new() { Profile = MergeProfile.GenomeCompatible, Density = 0.5 }).Merge(Input);
        TestTensors.Close([8.0 / 3, 0, 2.0 / 3, 4, 0, 4, 22.0 / 3, 0], result, 1e-6);
    }

    [Fact]
    public void Genome_dare_ties_elects_unweighted_and_takes_the_weighted_mean()
    {
        // Election on 2·x̃: e2: 6 − 2 = 4 → γ+ (mergekit elected −): x̃1 only → (1/3·6)/(1/3) = 6
        // e0: x̃2 → 4; e3: both agree → (1/3·8 + 2/3·2)/1 = 4; e5: x̃1 → 12; e6: (1/3·14 + 2/3·4)/1 = 22/3
        var options = new DareMergeOptions { Profile = MergeProfile.GenomeCompatible, Density = 0.5, Consensus = SignConsensus.Sum };
        var result = new DareMerge(options).Merge(Input);
        TestTensors.Close([4, 0, 6, 4, 0, 12, 22.0 / 3, 0], result, 1e-6);
    }

    [Fact]
    public void Without_rescale_the_kept_values_are_used_as_they_are()
    {
        // Mergekit, Rescale None: x̃1 + 2·x̃2 = [4, 0, 1, 6, 0, 6, 11, 0]
        var result = new DareMerge(new() { Density = 0.5, Rescale = SparsificationRescale.None }).Merge(Input);
        TestTensors.Close([4, 0, 1, 6, 0, 6, 11, 0], result);
    }

    [Fact]
    public void Another_seed_gives_other_masks()
    {
        var a = new DareMerge(new() { Density = 0.5 }).Merge(Input);
        var b = new DareMerge(new() { Density = 0.5 }).Merge(Input with { Random = new RandomKey(4, 0) });
        Assert.NotEqual(a, b);
    }
}
