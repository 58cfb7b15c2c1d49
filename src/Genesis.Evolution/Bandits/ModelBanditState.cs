namespace Genesis.Bandits;

/// <summary>Everything a <see cref="ModelBandit"/> has learned, to be saved with a run and restored on resume. Round-trips through System.Text.Json.</summary>
/// <param name="Arms">Per arm, in the bandit's order.</param>
/// <param name="MaxReward">The largest single reward seen, which normalises the mean rewards.</param>
public sealed record ModelBanditState(IReadOnlyList<ModelArmState> Arms, double MaxReward);

/// <summary>What a <see cref="ModelBandit"/> has learned about one model.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Pulls">How many results were recorded for it.</param>
/// <param name="RewardSum">The sum of its rewards (score improvements, clipped at 0).</param>
/// <param name="CostSum">The sum of its costs.</param>
public sealed record ModelArmState(string Name, long Pulls, double RewardSum, double CostSum);
