using Genesis.Compute;

namespace Genesis.GenomeTests.Compute;

public sealed class CpuTensorComputeValidationTests
{
    private static readonly CpuTensorCompute Compute = CpuTensorCompute.Default;

    [Theory]
    [InlineData(0, 65536, "CpuTensorComputeOptions.MaxDegreeOfParallelism must be between 1 and 1024, was 0.")]
    [InlineData(1025, 65536, "CpuTensorComputeOptions.MaxDegreeOfParallelism must be between 1 and 1024, was 1025.")]
    [InlineData(2, 1000, "CpuTensorComputeOptions.ChunkSize must be a multiple of 4096 between 4096 and 67108864, was 1000.")]
    [InlineData(2, 6000, "CpuTensorComputeOptions.ChunkSize must be a multiple of 4096 between 4096 and 67108864, was 6000.")]
    public void Options_name_the_field_and_its_range(int threads, int chunk, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new CpuTensorCompute(new CpuTensorComputeOptions { MaxDegreeOfParallelism = threads, ChunkSize = chunk }));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mismatched_lengths_and_counts_are_rejected()
    {
        float[] a = [1, 2, 3];
        float[] b = [1, 2];
        var destination = new float[3];
        Assert.Throws<ArgumentException>(() => Compute.WeightedSum([a, b], [1f, 1f], destination));
        Assert.Throws<ArgumentException>(() => Compute.WeightedSum([a], [1f, 1f], destination));
        Assert.Throws<ArgumentException>(() => Compute.WeightedSum([], [], destination));
        Assert.Throws<ArgumentException>(() => Compute.Dot(a, b));
        Assert.Throws<ArgumentException>(() => Compute.MagnitudeThresholds(a, [1], new float[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Compute.MagnitudeThresholds(a, [0], new float[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Compute.MagnitudeThresholds(a, [4], new float[1]));
        Assert.Throws<ArgumentException>(() => Compute.DropBernoulli(a, 0.5, default, new float[2]));
        Assert.Throws<ArgumentException>(() => Compute.ConsensusMerge(new ConsensusMergeArguments { Inputs = [a], MixWeights = [1f, 2f] }, destination));
        Assert.Throws<ArgumentException>(() => Compute.ConsensusMerge(new ConsensusMergeArguments { Inputs = [a], MixWeights = [1f], Bands = [MagnitudeBand.All, MagnitudeBand.All] }, destination));
        Assert.Throws<ArgumentException>(() => Compute.ConsensusMerge(new ConsensusMergeArguments { Inputs = [a], MixWeights = [1f], Base = b }, destination));
        Assert.Throws<ArgumentException>(() => Compute.ConsensusMerge(new ConsensusMergeArguments { Inputs = [a], MixWeights = [float.NaN] }, destination));
        Assert.Throws<ArgumentException>(() => Compute.ConsensusMerge(new ConsensusMergeArguments { Inputs = [a], MixWeights = [1f], Scale = float.PositiveInfinity }, destination));
        Assert.Throws<ArgumentException>(() => Compute.ConsensusMerge(new ConsensusMergeArguments { Inputs = [a], MixWeights = [1f], Bands = [new MagnitudeBand(-1f, 1f)] }, destination));
        Assert.Throws<ArgumentException>(() => Compute.ConsensusMerge(new ConsensusMergeArguments { Inputs = [a], MixWeights = [1f], Consensus = (SignConsensus)7 }, destination));
    }

    [Fact]
    public void Out_of_range_probabilities_and_sigmas_are_rejected()
    {
        var x = new float[4];
        Assert.Throws<ArgumentOutOfRangeException>(() => Compute.DropBernoulli(x, 1.5, default, new float[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Compute.DropBernoulli(x, double.NaN, default, new float[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Compute.AddGaussianNoise(x, -0.1, 1f, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => Compute.AddGaussianNoise(x, 0.1, -1f, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => Compute.AddGaussianNoise(x, 0.1, float.NaN, default));
        Assert.Throws<ArgumentException>(() => Compute.AddGaussianNoise(x, 0.1, 1f, default, (NoiseSampling)9));
    }

    [Fact]
    public void Destinations_that_overlap_an_input_are_rejected()
    {
        var buffer = new float[8];
        var input = buffer.AsMemory(0, 4);
        var overlapping = buffer.AsMemory(2, 4);
        Assert.Throws<ArgumentException>(() => Compute.WeightedSum([input], [1f], overlapping));
        Assert.Throws<ArgumentException>(() => Compute.ConsensusMerge(new ConsensusMergeArguments { Inputs = [input], MixWeights = [1f] }, overlapping));
        Assert.Throws<ArgumentException>(() => Compute.ConsensusMerge(new ConsensusMergeArguments { Inputs = [new float[4]], MixWeights = [1f], Base = input }, overlapping));
        Assert.Throws<ArgumentException>(() => Compute.DropBernoulli(input, 0.5, default, overlapping));
    }
}
