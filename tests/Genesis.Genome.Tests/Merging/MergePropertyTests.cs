using FsCheck;
using FsCheck.Fluent;
using Genesis.Compute;
using Genesis.GenomeTests.Compute;
using Genesis.Merging;

namespace Genesis.GenomeTests.Merging;

/// <summary>FsCheck properties of the operators, with fixed seeds.</summary>
public sealed class MergePropertyTests
{
    private static readonly MergeProfile[] Profiles = [MergeProfile.Mergekit, MergeProfile.GenomeCompatible];

    private static Gen<float[]> Tensor(int maxLength = 600) =>
        from length in Gen.Choose(0, maxLength)
        from seed in Gen.Choose(0, int.MaxValue)
        select TestTensors.Uniform(length, seed, 0.05f);

    private static Gen<double[]> PositiveWeights(int count) =>
        Gen.ArrayOf(Gen.Choose(1, 1000).Select(w => w / 100.0), count);

    private static Gen<(float[] X, int K, double[] W, MergeProfile Profile)> IdenticalParents() =>
        from x in Tensor()
        from k in Gen.Choose(1, 4)
        from w in PositiveWeights(k)
        from profile in Gen.Elements(Profiles)
        select (x, k, w, profile);

    private static MergeInput Copies(float[] x, int k, double[] w) =>
        new() { Parents = [.. Enumerable.Range(0, k).Select(_ => (ReadOnlyMemory<float>)(float[])x.Clone())], Weights = w };

    [Fact]
    public void A_linear_merge_of_identical_adapters_is_that_adapter() => TestTensors.Check(IdenticalParents(), c =>
        TestTensors.Close(c.X, new LinearMerge(new() { Profile = c.Profile }).Merge(Copies(c.X, c.K, c.W)), 1e-5));

    [Fact]
    public void A_ties_merge_of_identical_adapters_with_density_one_is_that_adapter() => TestTensors.Check(IdenticalParents(), c =>
    {
        foreach (var consensus in new[] { SignConsensus.Sum, SignConsensus.Count })
        {
            var merge = new TiesMerge(new() { Profile = c.Profile, Density = 1, Consensus = consensus });
            TestTensors.Close(c.X, merge.Merge(Copies(c.X, c.K, c.W)), 1e-5);
        }
    });

    [Fact]
    public void A_slerp_of_identical_adapters_is_that_adapter() => TestTensors.Check(
        from c in IdenticalParents()
        from t in Gen.Choose(0, 100)
        select (c.X, c.W, c.Profile, T: t / 100.0),
        c => TestTensors.Close(c.X, new SlerpMerge(new() { Profile = c.Profile, T = c.T }).Merge(Copies(c.X, 2, [1, 2])), 1e-5));

    [Fact]
    public void Ties_with_one_parent_and_density_one_is_that_parent() => TestTensors.Check(
        from x in Tensor()
        from w in PositiveWeights(1)
        from profile in Gen.Elements(Profiles)
        select (x, w, profile),
        c => TestTensors.Close(c.x, new TiesMerge(new() { Profile = c.profile, Density = 1 }).Merge(new MergeInput { Parents = [c.x], Weights = c.w }), 1e-6));

    [Fact]
    public void Weights_are_scale_invariant_after_normalisation() => TestTensors.Check(
        from a in Tensor(300)
        from seed in Gen.Choose(0, int.MaxValue)
        from w in PositiveWeights(3)
        from scale in Gen.Choose(1, 10_000).Select(s => s / 100.0)
        select (a, seed, w, scale),
        c =>
        {
            var b = TestTensors.Uniform(c.a.Length, c.seed, 0.05f);
            var d = TestTensors.Uniform(c.a.Length, c.seed + 1, 0.05f);
            var input = new MergeInput { Parents = [c.a, b, d], Weights = c.w, Random = new RandomKey(7, 1) };
            var scaled = input with { Weights = [.. c.w.Select(v => v * c.scale)] };
            IMergeOperator[] operators =
            [
                new LinearMerge(),
                new LinearMerge(new() { Profile = MergeProfile.GenomeCompatible }),
                new TaskArithmeticMerge(new() { Profile = MergeProfile.GenomeCompatible }),
                new TiesMerge(new() { Density = 0.6 }),
                new TiesMerge(new() { Profile = MergeProfile.GenomeCompatible }),
                new DareMerge(new() { Profile = MergeProfile.GenomeCompatible }),
                new DareMerge(new() { Profile = MergeProfile.GenomeCompatible, Consensus = SignConsensus.Sum }),
                new BreadcrumbsMerge(new() { Profile = MergeProfile.GenomeCompatible, Consensus = SignConsensus.Count }),
            ];
            foreach (var merge in operators)
            {
                TestTensors.Close(merge.Merge(input), merge.Merge(scaled), 1e-5);
            }
        });

    [Fact]
    public void Dare_with_density_one_is_linear() => TestTensors.Check(
        from a in Tensor()
        from seed in Gen.Choose(0, int.MaxValue)
        from w in PositiveWeights(2)
        select (a, seed, w),
        c =>
        {
            var b = TestTensors.Uniform(c.a.Length, c.seed, 0.05f);
            var input = new MergeInput { Parents = [c.a, b], Weights = c.w, Random = new RandomKey((ulong)c.seed, 0) };
            TestTensors.Close(new TaskArithmeticMerge().Merge(input), new DareMerge(new() { Density = 1 }).Merge(input), 1e-6);
            TestTensors.Close(
                new LinearMerge(new() { Profile = MergeProfile.GenomeCompatible }).Merge(input),
                new DareMerge(new() { Profile = MergeProfile.GenomeCompatible, Density = 1 }).Merge(input),
                1e-6);
        });

    [Fact]
    public void Operators_give_the_same_bits_whatever_the_thread_count_and_chunk_size() => TestTensors.Check(
        from length in Gen.Choose(0, 30_000)
        from seed in Gen.Choose(0, int.MaxValue)
        from compute in TestTensors.Computes()
        select (length, seed, compute),
        c =>
        {
            var a = TestTensors.Uniform(c.length, c.seed, 0.05f);
            var b = TestTensors.Uniform(c.length, c.seed + 1, 0.05f);
            var reference = TestTensors.Uniform(c.length, c.seed + 2, 0.05f);
            var input = new MergeInput { Parents = [a, b], Weights = [0.3, 0.9], Random = new RandomKey((ulong)c.seed, 9) };
            var withBase = input with { Base = reference };
            foreach (var (single, parallel) in Pairs(c.compute))
            {
                Assert.Equal(single.Merge(input), parallel.Merge(input));
                Assert.Equal(single.Merge(withBase), parallel.Merge(withBase));
            }
        },
        maxTest: 40);

    [Fact]
    public void Dare_keeps_about_the_density_and_different_streams_drop_different_elements()
    {
        var x = Enumerable.Repeat(1f, 100_000).ToArray();
        var merge = new DareMerge(new() { Density = 0.3, Rescale = SparsificationRescale.None });
        var a = merge.Merge(new MergeInput { Parents = [x], Random = new RandomKey(1, 1) });
        var b = merge.Merge(new MergeInput { Parents = [x], Random = new RandomKey(1, 2) });

        // Binomial(100,000, 0.3): sd ≈ 145; five of them.
        Assert.InRange(a.Count(v => v != 0), 30_000 - 725, 30_000 + 725);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Svd_reproduces_a_mix_whose_rank_fits() => TestTensors.Check(
        from outFeatures in Gen.Choose(1, 24)
        from inFeatures in Gen.Choose(1, 24)
        from ranks in Gen.ArrayOf(Gen.Choose(1, 4), 3)
        from seed in Gen.Choose(0, int.MaxValue)
        from w in PositiveWeights(3)
        from profile in Gen.Elements(Profiles)
        select (outFeatures, inFeatures, ranks, seed, w, profile),
        c =>
        {
            var parents = c.ranks.Select((r, i) => new LoraFactors(
                TestTensors.Uniform(r * c.inFeatures, c.seed + i), TestTensors.Uniform(c.outFeatures * r, c.seed + 100 + i), r, c.inFeatures, c.outFeatures, scaling: 2.0 / r)).ToArray();
            var rank = Math.Min(c.ranks.Sum(), Math.Min(c.outFeatures, c.inFeatures));
            var merged = new SvdMerge(new() { Rank = rank, OutputScaling = 0.5, Profile = c.profile }).Merge(parents, c.w);

            var weights = c.profile == MergeProfile.GenomeCompatible ? c.w.Select(v => v / c.w.Sum()).ToArray() : c.w;
            var expected = new double[c.outFeatures * c.inFeatures];
            for (var i = 0; i < parents.Length; i++)
            {
                var delta = parents[i].DeltaWeight();
                for (var e = 0; e < expected.Length; e++)
                {
                    expected[e] += weights[i] * delta[e];
                }
            }

            var actual = merged.DeltaWeight();
            var error = Math.Sqrt(expected.Zip(actual).Sum(p => (p.First - p.Second) * (p.First - p.Second)));
            var norm = Math.Sqrt(expected.Sum(v => v * v));
            Assert.True(error <= 1e-4 * Math.Max(norm, 1e-12), $"Relative Frobenius error {error / norm} for a [{c.outFeatures}, {c.inFeatures}] mix of ranks {string.Join('+', c.ranks)} at rank {rank}.");
        });

    private static IEnumerable<(IMergeOperator Single, IMergeOperator Parallel)> Pairs(ITensorCompute compute)
    {
        var single = CpuTensorCompute.Default;
        yield return (new LinearMerge(null, single), new LinearMerge(null, compute));
        yield return (new TaskArithmeticMerge(new() { Lambda = 0.7 }, single), new TaskArithmeticMerge(new() { Lambda = 0.7 }, compute));
        yield return (new TiesMerge(new() { Density = 0.4 }, single), new TiesMerge(new() { Density = 0.4 }, compute));
        yield return (new DareMerge(new() { Density = 0.7, Consensus = SignConsensus.Sum }, single), new DareMerge(new() { Density = 0.7, Consensus = SignConsensus.Sum }, compute));
        yield return (new DareMerge(new() { Density = 0.2, Profile = MergeProfile.GenomeCompatible }, single), new DareMerge(new() { Density = 0.2, Profile = MergeProfile.GenomeCompatible }, compute));
        yield return (new BreadcrumbsMerge(new() { Density = 0.8, Gamma = 0.05 }, single), new BreadcrumbsMerge(new() { Density = 0.8, Gamma = 0.05 }, compute));
        yield return (new SlerpMerge(null, single), new SlerpMerge(null, compute));
    }
}
