using Genesis.Merging;

namespace Genesis.GenomeTests.Merging;

public sealed class MergeValidationTests
{
    public static TheoryData<Func<object>, string> InvalidOptions() => new()
    {
        { () => new TiesMerge(new() { Density = 0 }), "TiesMergeOptions.Density must be between 0 (exclusive) and 1 (inclusive), was 0." },
        { () => new TiesMerge(new() { Density = 1.5 }), "TiesMergeOptions.Density must be between 0 (exclusive) and 1 (inclusive), was 1.5." },
        { () => new TiesMerge(new() { Consensus = SignConsensus.None }), "TiesMergeOptions.Consensus must be Sum or Count, was None." },
        { () => new TiesMerge(new() { Lambda = double.NaN }), "TiesMergeOptions.Lambda must be a finite number, was NaN." },
        { () => new TiesMerge(new() { Rescale = (SparsificationRescale)9 }), "TiesMergeOptions.Rescale must be None, InverseDensity or L1, was 9." },
        { () => new DareMerge(new() { Density = -0.1 }), "DareMergeOptions.Density must be between 0 (exclusive) and 1 (inclusive), was -0.1." },
        { () => new DareMerge(new() { Consensus = (SignConsensus)5 }), "DareMergeOptions.Consensus must be None, Sum or Count, was 5." },
        { () => new DareMerge(new() { Profile = (MergeProfile)3 }), "DareMergeOptions.Profile must be Mergekit or GenomeCompatible, was 3." },
        { () => new BreadcrumbsMerge(new() { Gamma = 1 }), "BreadcrumbsMergeOptions.Gamma must be between 0 (inclusive) and 1 (exclusive), was 1." },
        { () => new BreadcrumbsMerge(new() { Density = 2 }), "BreadcrumbsMergeOptions.Density must be between 0 (exclusive) and 1 (inclusive), was 2." },
        { () => new SlerpMerge(new() { T = 1.2 }), "SlerpMergeOptions.T must be between 0 and 1, was 1.2." },
        { () => new SlerpMerge(new() { ParallelThreshold = 0 }), "SlerpMergeOptions.ParallelThreshold must be between 0 (exclusive) and 1 (inclusive), was 0." },
        { () => new TaskArithmeticMerge(new() { Lambda = double.PositiveInfinity }), "TaskArithmeticMergeOptions.Lambda must be a finite number, was " },
        { () => new LinearMerge(new() { Profile = (MergeProfile)7 }), "LinearMergeOptions.Profile must be Mergekit or GenomeCompatible, was 7." },
        { () => new SvdMerge(new() { Rank = 0 }), "SvdMergeOptions.Rank must be between 1 and 65536, was 0." },
        { () => new SvdMerge(new() { OutputScaling = 0 }), "SvdMergeOptions.OutputScaling must be finite and positive, was 0." },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Options_name_the_field_and_its_range(Func<object> create, string message)
    {
        var error = Assert.Throws<ArgumentException>(create);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inputs_that_do_not_fit_are_rejected_with_the_operator_and_field_named()
    {
        float[] a = [1, 2, 3];
        float[] b = [1, 2];
        var merge = new TiesMerge();
        Assert.StartsWith(
            "TiesMerge: MergeInput.Parents[1] has 2 elements, expected 3 like Parents[0].",
            Assert.Throws<ArgumentException>(() => merge.Merge(a, b)).Message, StringComparison.Ordinal);
        Assert.StartsWith(
            "TiesMerge: MergeInput.Parents must hold at least one tensor, had 0.",
            Assert.Throws<ArgumentException>(() => merge.Merge(new MergeInput { Parents = [] }, new float[3])).Message, StringComparison.Ordinal);
        Assert.StartsWith(
            "TiesMerge: MergeInput.Weights must have one weight per parent (1), had 2.",
            Assert.Throws<ArgumentException>(() => merge.Merge(new MergeInput { Parents = [a], Weights = [1, 2] })).Message, StringComparison.Ordinal);
        Assert.StartsWith(
            "TiesMerge: MergeInput.Weights[0] must be finite, was NaN.",
            Assert.Throws<ArgumentException>(() => merge.Merge(new MergeInput { Parents = [a], Weights = [double.NaN] })).Message, StringComparison.Ordinal);
        Assert.StartsWith(
            "TiesMerge: MergeInput.Base has 2 elements, expected 3 like the parents.",
            Assert.Throws<ArgumentException>(() => merge.Merge(new MergeInput { Parents = [a], Base = b })).Message, StringComparison.Ordinal);
        Assert.StartsWith(
            "TiesMerge: the destination has 2 elements, expected 3 like the parents.",
            Assert.Throws<ArgumentException>(() => merge.Merge(new MergeInput { Parents = [a] }, new float[2])).Message, StringComparison.Ordinal);
        Assert.StartsWith(
            "TiesMerge: the destination must not overlap MergeInput.Parents[0].",
            Assert.Throws<ArgumentException>(() => merge.Merge(new MergeInput { Parents = [a] }, a)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Genome_profile_needs_non_negative_weights_with_a_positive_sum()
    {
        var merge = new LinearMerge(new() { Profile = MergeProfile.GenomeCompatible });
        float[] a = [1];
        Assert.StartsWith(
            "LinearMerge: MergeInput.Weights[1] must be non-negative under MergeProfile.GenomeCompatible",
            Assert.Throws<ArgumentException>(() => merge.Merge(new MergeInput { Parents = [a, a], Weights = [1, -1] })).Message, StringComparison.Ordinal);
        Assert.StartsWith(
            "LinearMerge: MergeInput.Weights must have a positive sum under MergeProfile.GenomeCompatible, was 0.",
            Assert.Throws<ArgumentException>(() => merge.Merge(new MergeInput { Parents = [a, a], Weights = [0, 0] })).Message, StringComparison.Ordinal);

        // Mergekit accepts negative weights (task negation).
        Assert.Equal([0f], new LinearMerge(new() { Normalize = false }).Merge(new MergeInput { Parents = [a, a], Weights = [1, -1] }));
    }

    [Fact]
    public void Svd_parents_must_share_the_module_shape()
    {
        var a = new LoraFactors(new float[4], new float[2], 1, 4, 2);
        var b = new LoraFactors(new float[3], new float[2], 1, 3, 2);
        Assert.StartsWith(
            "SvdMerge: parent 1 is [2, 3], expected [2, 4] like parent 0.",
            Assert.Throws<ArgumentException>(() => new SvdMerge().Merge([a, b])).Message, StringComparison.Ordinal);
        Assert.StartsWith(
            "LoraFactors.A must hold rank·in = 8 floats, had 4.",
            Assert.Throws<ArgumentException>(() => new LoraFactors(new float[4], new float[4], 2, 4, 2)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_tensors_merge_to_empty_tensors()
    {
        var empty = Array.Empty<float>();
        IMergeOperator[] operators = [new LinearMerge(), new TaskArithmeticMerge(), new TiesMerge(new() { Density = 0.5 }), new DareMerge(new() { Density = 0.5 }), new BreadcrumbsMerge(new() { Density = 0.5 }), new SlerpMerge()];
        foreach (var merge in operators)
        {
            Assert.Empty(merge.Merge(empty, empty));
        }
    }
}
