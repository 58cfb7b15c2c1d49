using Genesis.GenomeTests.Compute;
using Genesis.Merging;

namespace Genesis.GenomeTests.Merging;

public sealed class LinearAndTaskArithmeticGoldenTests
{
    private static readonly float[] X1 = [1, 2, -3, 4];
    private static readonly float[] X2 = [3, -2, 1, 0];

    [Fact]
    public void Linear_mergekit_divides_by_the_weight_sum()
    {
        // (1·x1 + 3·x2) / 4 = [(1+9)/4, (2−6)/4, (−3+3)/4, (4+0)/4] = [2.5, −1, 0, 1]
        var result = new LinearMerge().Merge(new MergeInput { Parents = [X1, X2], Weights = [1, 3] });
        TestTensors.Close([2.5, -1, 0, 1], result);
    }

    [Fact]
    public void Linear_mergekit_without_normalize_is_the_plain_weighted_sum()
    {
        // 1·x1 + 3·x2 = [10, −4, 0, 4]
        var result = new LinearMerge(new() { Normalize = false }).Merge(new MergeInput { Parents = [X1, X2], Weights = [1, 3] });
        TestTensors.Close([10, -4, 0, 4], result);
    }

    [Fact]
    public void Linear_genome_normalises_the_weights_to_one()
    {
        // ŵ = [2, 6] / 8 = [0.25, 0.75]: [0.25 + 2.25, 0.5 − 1.5, −0.75 + 0.75, 1 + 0] = [2.5, −1, 0, 1]; Normalize has no effect.
        var options = new LinearMergeOptions { Profile = MergeProfile.GenomeCompatible, Normalize = false };
        var result = new LinearMerge(options).Merge(new MergeInput { Parents = [X1, X2], Weights = [2, 6] });
        TestTensors.Close([2.5, -1, 0, 1], result);
    }

    [Fact]
    public void Linear_without_weights_is_the_mean_in_both_profiles()
    {
        // (x1 + x2) / 2 = [2, 0, −1, 2]
        foreach (var profile in new[] { MergeProfile.Mergekit, MergeProfile.GenomeCompatible })
        {
            TestTensors.Close([2, 0, -1, 2], new LinearMerge(new() { Profile = profile }).Merge(X1, X2));
        }
    }

    private static readonly float[] Base = [1, 1, 1, 1];
    private static readonly float[] T1 = [2, 0, 1, 3]; // δ1 = [1, −1, 0, 2]
    private static readonly float[] T2 = [1, 3, -1, 1]; // δ2 = [0, 2, −2, 0]

    [Fact]
    public void Task_arithmetic_mergekit_adds_lambda_times_the_weighted_task_vectors()
    {
        // mix = δ1 + 0.5·δ2 = [1, 0, −1, 2]; θ = 1 + 2·mix = [3, 1, −1, 5]
        var result = new TaskArithmeticMerge(new() { Lambda = 2 }).Merge(new MergeInput { Parents = [T1, T2], Weights = [1, 0.5], Base = Base });
        TestTensors.Close([3, 1, -1, 5], result);
    }

    [Fact]
    public void Task_arithmetic_mergekit_with_normalize_divides_by_the_weight_sum()
    {
        // mix = [1, 0, −1, 2] / 1.5 = [2/3, 0, −2/3, 4/3]; θ = 1 + 2·mix = [7/3, 1, −1/3, 11/3]
        var result = new TaskArithmeticMerge(new() { Lambda = 2, Normalize = true }).Merge(new MergeInput { Parents = [T1, T2], Weights = [1, 0.5], Base = Base });
        TestTensors.Close([7.0 / 3, 1, -1.0 / 3, 11.0 / 3], result);
    }

    [Fact]
    public void Task_arithmetic_genome_normalises_the_weights()
    {
        // ŵ = [2/3, 1/3]: mix = [2/3, −2/3 + 2/3, −2/3, 4/3] = [2/3, 0, −2/3, 4/3]; θ = 1 + 2·mix = [7/3, 1, −1/3, 11/3]
        var options = new TaskArithmeticMergeOptions { Profile = MergeProfile.GenomeCompatible, Lambda = 2 };
        var result = new TaskArithmeticMerge(options).Merge(new MergeInput { Parents = [T1, T2], Weights = [1, 0.5], Base = Base });
        TestTensors.Close([7.0 / 3, 1, -1.0 / 3, 11.0 / 3], result);
    }

    [Fact]
    public void Task_arithmetic_without_a_base_uses_a_zero_reference()
    {
        // Mergekit: 0.5·(x1 + x2) with x1 = [1, 2], x2 = [3, 4] = [2, 3]. Genome: ŵ = [0.5, 0.5], 0.5·[2, 3] = [1, 1.5].
        float[] a = [1, 2];
        float[] b = [3, 4];
        TestTensors.Close([2, 3], new TaskArithmeticMerge(new() { Lambda = 0.5 }).Merge(a, b));
        TestTensors.Close([1, 1.5], new TaskArithmeticMerge(new() { Lambda = 0.5, Profile = MergeProfile.GenomeCompatible }).Merge(a, b));
    }
}
