using System.Globalization;
using Genesis.Selection;

namespace Genesis.Bandits;

/// <summary>
/// Chooses which model (arm) proposes the next child: a cost-aware UCB1 in the manner of ShinkaEvolve. Arms that have no
/// recorded result yet go first, in a random order weighted by their prior weights; after that the arm with the highest
/// <c>(1 − costWeight) · ucb_i + costWeight · (1 − cost_i)</c> wins, where
/// <c>ucb_i = mean_i / maxReward + c · sqrt(2 ln N / n_i)</c> and <c>cost_i</c> is the arm's mean cost divided by the
/// largest mean cost among the arms. Ties are broken at random.
/// </summary>
/// <remarks>
/// A reward is the child's score improvement over its parent, clipped at 0 (an invalid child scores 0); dividing the means
/// by the largest single reward seen so far makes the exploration constant independent of the task's score scale. An arm
/// counts as played once its first <see cref="Update"/> arrives, so concurrent <see cref="Choose"/> calls before then may
/// pick the same unplayed arm. Thread-safe. All randomness comes from the <see cref="Random"/> passed to <see cref="Choose"/>.
/// </remarks>
public sealed class ModelBandit
{
    /// <summary>The default exploration constant <c>c</c> of UCB1.</summary>
    public const double DefaultExplorationConstant = 1.0;

    /// <summary>The cost weight to use when the models' prices are known (ShinkaEvolve's <c>cost_aware_coef</c>); use 0 otherwise.</summary>
    public const double PricedCostWeight = 0.5;

    private const double TieTolerance = 1e-12;

    private readonly string[] _arms;
    private readonly double[] _priors;
    private readonly long[] _pulls;
    private readonly double[] _rewardSums;
    private readonly double[] _costSums;
    private readonly Lock _gate = new();
    private double _maxReward;

    /// <summary>Creates a bandit that has learned nothing yet.</summary>
    /// <param name="arms">The models' names: at least one, each non-empty and distinct.</param>
    /// <param name="priorWeights">One positive, finite weight per arm, ordering the first plays; <see langword="null"/> for equal weights.</param>
    /// <param name="explorationConstant">The exploration constant <c>c</c>, between 0 and 100. Default 1.</param>
    /// <param name="costWeight">How much cheapness counts against reward, between 0 and 1. Default 0 (prices unknown); <see cref="PricedCostWeight"/> when prices are known.</param>
    /// <exception cref="ArgumentException">The arms or prior weights are invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range.</exception>
    public ModelBandit(IReadOnlyList<string> arms, IReadOnlyList<double>? priorWeights = null, double explorationConstant = DefaultExplorationConstant, double costWeight = 0)
    {
        ArgumentNullException.ThrowIfNull(arms);
        if (arms.Count == 0)
        {
            throw new ArgumentException("ModelBandit: arms must name at least one model.", nameof(arms));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var arm in arms)
        {
            if (string.IsNullOrWhiteSpace(arm))
            {
                throw new ArgumentException("ModelBandit: every arm must have a non-empty name.", nameof(arms));
            }

            if (!names.Add(arm))
            {
                throw new ArgumentException($"ModelBandit: the arm '{arm}' is listed twice.", nameof(arms));
            }
        }

        _arms = [.. arms];
        if (priorWeights is null)
        {
            _priors = Enumerable.Repeat(1.0, _arms.Length).ToArray();
        }
        else
        {
            if (priorWeights.Count != _arms.Length)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"ModelBandit: priorWeights must have one weight per arm ({_arms.Length}), had {priorWeights.Count}."),
                    nameof(priorWeights));
            }

            _priors = [.. priorWeights];
            foreach (var w in _priors)
            {
                if (!(w > 0 && double.IsFinite(w)))
                {
                    throw new ArgumentOutOfRangeException(nameof(priorWeights), w, string.Create(CultureInfo.InvariantCulture, $"ModelBandit: every prior weight must be positive and finite, was {w}."));
                }
            }
        }

        ExplorationConstant = OptionChecks.InRange(explorationConstant, 0, 100, nameof(ModelBandit), nameof(explorationConstant));
        CostWeight = OptionChecks.InRange(costWeight, 0, 1, nameof(ModelBandit), nameof(costWeight));
        _pulls = new long[_arms.Length];
        _rewardSums = new double[_arms.Length];
        _costSums = new double[_arms.Length];
    }

    /// <summary>The models' names, in arm order.</summary>
    public IReadOnlyList<string> Arms => _arms;

    /// <summary>The prior weights, in arm order.</summary>
    public IReadOnlyList<double> PriorWeights => _priors;

    /// <summary>The exploration constant <c>c</c>.</summary>
    public double ExplorationConstant { get; }

    /// <summary>How much cheapness counts against reward, in [0, 1].</summary>
    public double CostWeight { get; }

    /// <summary>The arm index of <paramref name="name"/>, or −1.</summary>
    public int IndexOf(string name) => Array.IndexOf(_arms, name);

    /// <summary>Chooses the arm for the next proposal.</summary>
    /// <param name="random">The random source for the order of first plays and for ties.</param>
    /// <returns>An index into <see cref="Arms"/>.</returns>
    public int Choose(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        lock (_gate)
        {
            var scores = new double[_arms.Length];
            var unplayed = 0;
            for (var i = 0; i < _arms.Length; i++)
            {
                if (_pulls[i] == 0)
                {
                    scores[i] = _priors[i];
                    unplayed++;
                }
            }

            if (unplayed > 0)
            {
                return ScoreRanking.SampleProportional(scores, random);
            }

            long total = 0;
            var maxMeanCost = 0.0;
            for (var i = 0; i < _arms.Length; i++)
            {
                total += _pulls[i];
                maxMeanCost = Math.Max(maxMeanCost, _costSums[i] / _pulls[i]);
            }

            var logTotal = Math.Log(total);
            var best = double.NegativeInfinity;
            for (var i = 0; i < _arms.Length; i++)
            {
                var mean = _maxReward > 0 ? _rewardSums[i] / _pulls[i] / _maxReward : 0;
                var ucb = mean + (ExplorationConstant * Math.Sqrt(2 * logTotal / _pulls[i]));
                var cost = maxMeanCost > 0 ? _costSums[i] / _pulls[i] / maxMeanCost : 0;
                scores[i] = ((1 - CostWeight) * ucb) + (CostWeight * (1 - cost));
                best = Math.Max(best, scores[i]);
            }

            var tolerance = TieTolerance * Math.Max(1, Math.Abs(best));
            var ties = 0;
            for (var i = 0; i < scores.Length; i++)
            {
                if (scores[i] >= best - tolerance)
                {
                    ties++;
                }
            }

            var pick = ties == 1 ? 0 : random.Next(ties);
            for (var i = 0; i < scores.Length; i++)
            {
                if (scores[i] >= best - tolerance && pick-- == 0)
                {
                    return i;
                }
            }

            return Array.IndexOf(scores, best);
        }
    }

    /// <summary>Records the result of a proposal made by arm <paramref name="arm"/>.</summary>
    /// <param name="arm">The index of the arm that made it.</param>
    /// <param name="reward">The child's score improvement over its parent; negative values count as 0; an invalid child gives 0.</param>
    /// <param name="cost">What the proposal cost, at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">The arm is unknown, the reward is not finite, or the cost is negative or not finite.</exception>
    public void Update(int arm, double reward, double cost)
    {
        OptionChecks.InRange(arm, 0, _arms.Length - 1, nameof(ModelBandit), nameof(arm));
        if (!double.IsFinite(reward))
        {
            throw new ArgumentOutOfRangeException(nameof(reward), reward, string.Create(CultureInfo.InvariantCulture, $"ModelBandit: reward must be finite, was {reward}."));
        }

        OptionChecks.InRange(cost, 0, double.MaxValue, nameof(ModelBandit), nameof(cost));
        reward = Math.Max(0, reward);
        lock (_gate)
        {
            _pulls[arm]++;
            _rewardSums[arm] += reward;
            _costSums[arm] += cost;
            _maxReward = Math.Max(_maxReward, reward);
        }
    }

    /// <summary>A copy of what the bandit has learned.</summary>
    public ModelBanditState Snapshot()
    {
        lock (_gate)
        {
            var arms = new ModelArmState[_arms.Length];
            for (var i = 0; i < arms.Length; i++)
            {
                arms[i] = new ModelArmState(_arms[i], _pulls[i], _rewardSums[i], _costSums[i]);
            }

            return new ModelBanditState(arms, _maxReward);
        }
    }

    /// <summary>
    /// Replaces what the bandit has learned with <paramref name="state"/>, matching arms by name: an arm of this bandit the
    /// state does not mention starts fresh, and an arm of the state this bandit does not have is ignored (the model list
    /// may change between a run and its resume).
    /// </summary>
    /// <exception cref="ArgumentException">The state names an arm twice or holds negative or non-finite values.</exception>
    public void Restore(ModelBanditState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(state.Arms);
        if (!(state.MaxReward >= 0 && double.IsFinite(state.MaxReward)))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"ModelBandit: the state's MaxReward must be finite and at least 0, was {state.MaxReward}."), nameof(state));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var arm in state.Arms)
        {
            if (arm is null || arm.Name is null || !seen.Add(arm.Name))
            {
                throw new ArgumentException($"ModelBandit: the state lists the arm '{arm?.Name}' twice or without a name.", nameof(state));
            }

            if (arm.Pulls < 0 || !(arm.RewardSum >= 0 && double.IsFinite(arm.RewardSum)) || !(arm.CostSum >= 0 && double.IsFinite(arm.CostSum)))
            {
                throw new ArgumentException($"ModelBandit: the state of arm '{arm.Name}' holds a negative or non-finite value.", nameof(state));
            }
        }

        lock (_gate)
        {
            Array.Clear(_pulls);
            Array.Clear(_rewardSums);
            Array.Clear(_costSums);
            foreach (var arm in state.Arms)
            {
                var i = IndexOf(arm.Name);
                if (i >= 0)
                {
                    _pulls[i] = arm.Pulls;
                    _rewardSums[i] = arm.RewardSum;
                    _costSums[i] = arm.CostSum;
                }
            }

            _maxReward = state.MaxReward;
        }
    }
}
