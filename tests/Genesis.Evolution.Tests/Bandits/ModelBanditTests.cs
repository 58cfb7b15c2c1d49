using System.Text.Json;
using Genesis.Bandits;

namespace Genesis.Tests.Bandits;

public sealed class ModelBanditTests
{
    [Fact]
    public void Every_arm_is_played_once_before_any_is_played_twice()
    {
        var bandit = new ModelBandit(["a", "b", "c", "d"], [5, 1, 1, 1]);
        var random = new Random(1);
        var first = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            var arm = bandit.Choose(random);
            Assert.DoesNotContain(arm, first);
            first.Add(arm);
            bandit.Update(arm, 0, 0);
        }

        Assert.Equal([0, 1, 2, 3], first.Order());
    }

    [Fact]
    public void The_first_play_follows_the_prior_weights()
    {
        var bandit = new ModelBandit(["big", "small"], [4, 1]);
        var random = new Random(7);
        var big = Enumerable.Range(0, 20_000).Count(_ => bandit.Choose(random) == 0);
        Assert.InRange(big / 20_000.0, 0.79, 0.81);
    }

    [Fact]
    public void It_converges_to_the_better_arm_on_a_stationary_problem()
    {
        var bandit = new ModelBandit(["weak", "strong"]);
        var pulls = Run(bandit, new Random(11), new Random(12), 3000, arm => (arm == 1 ? 0.6 : 0.3, 1.0));
        Assert.True(pulls[1] > 0.8 * 3000, $"strong arm pulled {pulls[1]} of 3000 times");
    }

    [Fact]
    public void A_cheaper_arm_of_equal_quality_is_preferred_when_cost_counts()
    {
        var costAware = new ModelBandit(["pricey", "cheap"], costWeight: ModelBandit.PricedCostWeight);
        var pulls = Run(costAware, new Random(21), new Random(22), 2000, arm => (0.5, arm == 0 ? 1.0 : 0.1));
        Assert.True(pulls[1] > 0.8 * 2000, $"cheap arm pulled {pulls[1]} of 2000 times");

        var costBlind = new ModelBandit(["pricey", "cheap"]);
        var blind = Run(costBlind, new Random(21), new Random(22), 2000, arm => (0.5, arm == 0 ? 1.0 : 0.1));
        Assert.InRange(blind[1], 0.3 * 2000, 0.7 * 2000);
    }

    [Fact]
    public void The_scale_of_the_rewards_does_not_change_the_choices()
    {
        var small = new ModelBandit(["a", "b", "c"]);
        var large = new ModelBandit(["a", "b", "c"]);
        Func<int, (double, double)> quality = arm => (0.2 + (0.2 * arm), 1.0);
        var envSmall = new Random(5);
        var envLarge = new Random(5);
        var choiceSmall = new Random(6);
        var choiceLarge = new Random(6);
        for (var i = 0; i < 500; i++)
        {
            var a = small.Choose(choiceSmall);
            var b = large.Choose(choiceLarge);
            Assert.Equal(a, b);
            var reward = Reward(envSmall, quality(a).Item1);
            Assert.Equal(reward, Reward(envLarge, quality(b).Item1));
            small.Update(a, reward, 1);
            large.Update(b, reward * 1024, 1);
        }
    }

    [Fact]
    public void State_round_trips_through_json_and_the_bandit_continues_identically()
    {
        var original = new ModelBandit(["gpt", "claude", "local"], [2, 2, 1], explorationConstant: 0.7, costWeight: 0.3);
        var environment = new Random(31);
        var choices = new Random(32);
        Func<int, (double, double)> arms = arm => (0.1 * (arm + 1), 0.5 + arm);
        for (var i = 0; i < 100; i++)
        {
            Step(original, choices, environment, arms);
        }

        var json = JsonSerializer.Serialize(original.Snapshot());
        var state = JsonSerializer.Deserialize<ModelBanditState>(json)!;
        var resumed = new ModelBandit(["gpt", "claude", "local"], [2, 2, 1], explorationConstant: 0.7, costWeight: 0.3);
        resumed.Restore(state);
        Assert.Equal(json, JsonSerializer.Serialize(resumed.Snapshot()));

        var seed = choices.Next();
        var envSeed = environment.Next();
        var (choicesA, choicesB) = (new Random(seed), new Random(seed));
        var (envA, envB) = (new Random(envSeed), new Random(envSeed));
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(Step(original, choicesA, envA, arms), Step(resumed, choicesB, envB, arms));
        }

        Assert.Equal(JsonSerializer.Serialize(original.Snapshot()), JsonSerializer.Serialize(resumed.Snapshot()));
    }

    [Fact]
    public void Restore_matches_arms_by_name()
    {
        var before = new ModelBandit(["a", "b"]);
        before.Update(0, 2.0, 1.0);
        before.Update(1, 1.0, 3.0);
        var after = new ModelBandit(["c", "b"]);
        after.Restore(before.Snapshot());

        var state = after.Snapshot();
        Assert.Equal(new ModelArmState("c", 0, 0, 0), state.Arms[0]);
        Assert.Equal(new ModelArmState("b", 1, 1.0, 3.0), state.Arms[1]);
        Assert.Equal(2.0, state.MaxReward);
        Assert.Equal(0, after.Choose(new Random(1))); // "c" is unplayed
    }

    [Fact]
    public void Negative_rewards_count_as_zero()
    {
        var bandit = new ModelBandit(["a"]);
        bandit.Update(0, -5, 0.25);
        var arm = Assert.Single(bandit.Snapshot().Arms);
        Assert.Equal(new ModelArmState("a", 1, 0, 0.25), arm);
        Assert.Equal(0, bandit.Choose(new Random(1)));
    }

    [Fact]
    public void Callers_mistakes_are_named()
    {
        Assert.StartsWith(
            "ModelBandit: costWeight must be between 0 and 1, was 2.",
            Assert.Throws<ArgumentOutOfRangeException>(() => new ModelBandit(["a"], costWeight: 2)).Message,
            StringComparison.Ordinal);
        Assert.StartsWith(
            "ModelBandit: explorationConstant must be between 0 and 100, was -1.",
            Assert.Throws<ArgumentOutOfRangeException>(() => new ModelBandit(["a"], explorationConstant: -1)).Message,
            StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ModelBandit([]));
        Assert.Throws<ArgumentException>(() => new ModelBandit(["a", "a"]));
        Assert.Throws<ArgumentException>(() => new ModelBandit(["a", "b"], [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModelBandit(["a", "b"], [1, 0]));
        var bandit = new ModelBandit(["a", "b"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => bandit.Update(2, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => bandit.Update(0, double.NaN, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => bandit.Update(0, 1, -1));
        Assert.Throws<ArgumentException>(() => bandit.Restore(new ModelBanditState([new("a", 1, 1, 0), new("a", 1, 1, 0)], 1)));
        Assert.Throws<ArgumentException>(() => bandit.Restore(new ModelBanditState([new("a", -1, 1, 0)], 1)));
    }

    private static double Reward(Random environment, double successRate) =>
        environment.NextDouble() < successRate ? 0.5 + environment.NextDouble() : 0;

    private static int Step(ModelBandit bandit, Random choices, Random environment, Func<int, (double Quality, double Cost)> arms)
    {
        var arm = bandit.Choose(choices);
        var (quality, cost) = arms(arm);
        bandit.Update(arm, Reward(environment, quality), cost);
        return arm;
    }

    private static int[] Run(ModelBandit bandit, Random choices, Random environment, int rounds, Func<int, (double Quality, double Cost)> arms)
    {
        var pulls = new int[bandit.Arms.Count];
        for (var i = 0; i < rounds; i++)
        {
            pulls[Step(bandit, choices, environment, arms)]++;
        }

        return pulls;
    }
}
