using Genesis.Adapters;
using Genesis.Merging;
using Genesis.Randomness;

namespace Genesis.Lora;

/// <summary>A baseline's adapter and scores.</summary>
/// <param name="Name">The baseline.</param>
/// <param name="Adapter">Its adapter.</param>
/// <param name="Validation">Validation score.</param>
/// <param name="Test">Test score.</param>
/// <param name="Evaluations">Validation evaluations spent.</param>
public sealed record BaselineResult(string Name, LoraAdapter Adapter, double Validation, double Test, int Evaluations);

/// <summary>
/// The baselines GENOME is compared with, over the same experts and evaluator. Every random choice comes from the keyed
/// counter-based generator (<see cref="CounterRandom"/>), so a seed reproduces a baseline exactly.
/// </summary>
public static class GenomeBaselines
{
    /// <summary>The expert with the best validation score.</summary>
    /// <param name="experts">The experts.</param>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="cancellationToken">Stops the evaluations.</param>
    public static async Task<BaselineResult> BestExpertAsync(IReadOnlyList<LoraAdapter> experts, IAdapterEvaluator evaluator, CancellationToken cancellationToken = default)
    {
        Check(experts, evaluator, nameof(BestExpertAsync));
        var scores = new double[experts.Count];
        for (var i = 0; i < experts.Count; i++)
        {
            scores[i] = await ValidationAsync(evaluator, experts[i], cancellationToken).ConfigureAwait(false);
        }

        var best = Array.IndexOf(scores, scores.Max());
        return await FinishAsync("best expert", experts[best], scores[best], evaluator, experts.Count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The uniform linear merge of all experts.</summary>
    /// <param name="experts">The experts.</param>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="cancellationToken">Stops the evaluations.</param>
    public static Task<BaselineResult> UniformMergeAsync(IReadOnlyList<LoraAdapter> experts, IAdapterEvaluator evaluator, CancellationToken cancellationToken = default) =>
        MergedAsync("uniform merge", new LinearMerge(), experts, null, default, evaluator, 0, cancellationToken);

    /// <summary>The TIES merge of all experts (equal weights, mergekit profile, density 1 by default).</summary>
    /// <param name="experts">The experts.</param>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="options">The TIES options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the evaluations.</param>
    public static Task<BaselineResult> TiesAsync(IReadOnlyList<LoraAdapter> experts, IAdapterEvaluator evaluator, TiesMergeOptions? options = null, CancellationToken cancellationToken = default) =>
        MergedAsync("TIES", new TiesMerge(options), experts, null, default, evaluator, 0, cancellationToken);

    /// <summary>
    /// The DARE merge of all experts with equal weights: each expert keeps an element with probability
    /// <see cref="DareMergeOptions.Density"/> and is rescaled by 1/density, then the experts are averaged. The default
    /// options are the GENOME-compatible profile at density 0.7 (GENOME's setting, with the rescale its code omits).
    /// </summary>
    /// <param name="experts">The experts.</param>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="seed">Seeds the drop masks.</param>
    /// <param name="options">The DARE options; <see langword="null"/> for the defaults above.</param>
    /// <param name="cancellationToken">Stops the evaluations.</param>
    public static Task<BaselineResult> DareAsync(IReadOnlyList<LoraAdapter> experts, IAdapterEvaluator evaluator, int seed, DareMergeOptions? options = null, CancellationToken cancellationToken = default) =>
        MergedAsync(
            "DARE",
            new DareMerge(options ?? new DareMergeOptions { Profile = MergeProfile.GenomeCompatible, Density = 0.7 }),
            experts,
            null,
            new RandomKey((ulong)(uint)seed, 0).Derive(BaselineStream.Dare),
            evaluator,
            0,
            cancellationToken);

    /// <summary>Expert Fusion: one linear merge with weights ∝ validation fitness.</summary>
    /// <param name="experts">The experts.</param>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="cancellationToken">Stops the evaluations.</param>
    public static async Task<BaselineResult> ExpertFusionAsync(IReadOnlyList<LoraAdapter> experts, IAdapterEvaluator evaluator, CancellationToken cancellationToken = default)
    {
        Check(experts, evaluator, nameof(ExpertFusionAsync));
        var weights = new double[experts.Count];
        for (var i = 0; i < experts.Count; i++)
        {
            weights[i] = Math.Max(1e-9, await ValidationAsync(evaluator, experts[i], cancellationToken).ConfigureAwait(false));
        }

        return await MergedAsync("Expert Fusion", new LinearMerge(), experts, weights, default, evaluator, experts.Count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A LoraHub-style search over merge weights w ∈ [−1.5, 1.5]^k (unnormalised weighted sum of A and B): a (1+1)-ES
    /// with Gaussian steps of σ = 0.3, clipped, starting from uniform weights 1/k, maximising the validation score alone
    /// (GENOME's LoraHub adds 0.05·mean|w| to the score, which rewards large weights; not copied).
    /// </summary>
    /// <param name="experts">The experts.</param>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="evaluations">Validation evaluations to spend, at least 1.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="cancellationToken">Stops the evaluations.</param>
    public static async Task<BaselineResult> LoraHubAsync(IReadOnlyList<LoraAdapter> experts, IAdapterEvaluator evaluator, int evaluations, int seed, CancellationToken cancellationToken = default)
    {
        Check(experts, evaluator, nameof(LoraHubAsync));
        ArgumentOutOfRangeException.ThrowIfLessThan(evaluations, 1);
        var merge = new LinearMerge(new LinearMergeOptions { Normalize = false });
        var noise = new RandomKey((ulong)(uint)seed, 0).Derive(BaselineStream.LoraHub);
        var k = experts.Count;
        var best = Enumerable.Repeat(1.0 / k, k).ToArray();
        var bestAdapter = Combine(merge, experts, best, default, "lorahub");
        var bestScore = await ValidationAsync(evaluator, bestAdapter, cancellationToken).ConfigureAwait(false);
        for (var spent = 1; spent < evaluations; spent++)
        {
            var candidate = new double[k];
            for (var i = 0; i < k; i++)
            {
                candidate[i] = Math.Clamp(best[i] + (0.3 * CounterRandom.Normal(noise, ((long)spent * k) + i)), -1.5, 1.5);
            }

            var adapter = Combine(merge, experts, candidate, default, "lorahub");
            var score = await ValidationAsync(evaluator, adapter, cancellationToken).ConfigureAwait(false);
            if (score >= bestScore)
            {
                (best, bestAdapter, bestScore) = (candidate, adapter, score);
            }
        }

        return await FinishAsync("LoraHub", bestAdapter, bestScore, evaluator, evaluations, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A Model-Swarms-style particle swarm over the adapters: particles start at the experts, velocity toward a random
    /// expert, the <see cref="GenomeOperators.SuccessionStep"/> with inertia 0.4, cognitive 0.3, social 0.3, repel 0.3 and
    /// fresh r's per particle per step, step λ ← max(0.95·λ, 0.1) from 1 per step, until <paramref name="evaluations"/> are spent.
    /// </summary>
    /// <param name="experts">The experts (the particles).</param>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="evaluations">Validation evaluations to spend, at least the expert count.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="cancellationToken">Stops the evaluations.</param>
    public static async Task<BaselineResult> SwarmAsync(IReadOnlyList<LoraAdapter> experts, IAdapterEvaluator evaluator, int evaluations, int seed, CancellationToken cancellationToken = default)
    {
        Check(experts, evaluator, nameof(SwarmAsync));
        ArgumentOutOfRangeException.ThrowIfLessThan(evaluations, experts.Count);
        var options = new SuccessionOptions { Inertia = 0.4, Cognitive = 0.3, Social = 0.3, Repel = 0.3 };
        var draws = new UniformStream(new RandomKey((ulong)(uint)seed, 0).Derive(BaselineStream.Swarm));
        var n = experts.Count;
        var x = experts.Select(e => e.Values.ToArray()).ToArray();
        var v = new float[n][];
        for (var i = 0; i < n; i++)
        {
            var target = x[Math.Min(n - 1, (int)(draws.Next() * n))];
            v[i] = new float[x[i].Length];
            for (var j = 0; j < v[i].Length; j++)
            {
                v[i][j] = target[j] - x[i][j];
            }
        }

        var scores = new double[n];
        for (var i = 0; i < n; i++)
        {
            scores[i] = await ParticleScoreAsync(experts[0], x[i], evaluator, cancellationToken).ConfigureAwait(false);
        }

        var personal = x.Select(xi => (float[])xi.Clone()).ToArray();
        var personalScore = (double[])scores.Clone();
        var spent = n;
        var lambda = 1.0;
        var r = new double[4];
        while (spent + n <= evaluations)
        {
            var g = (float[])x[Array.IndexOf(scores, scores.Max())].Clone();
            var w = (float[])x[Array.IndexOf(scores, scores.Min())].Clone();
            for (var i = 0; i < n; i++)
            {
                for (var k = 0; k < 4; k++)
                {
                    r[k] = draws.Next();
                }

                GenomeOperators.SuccessionStep(x[i], v[i], personal[i], g, w, options, lambda, r);
                scores[i] = await ParticleScoreAsync(experts[0], x[i], evaluator, cancellationToken).ConfigureAwait(false);
                if (scores[i] > personalScore[i])
                {
                    personalScore[i] = scores[i];
                    x[i].CopyTo(personal[i], 0);
                }
            }

            spent += n;
            lambda = Math.Max(0.95 * lambda, 0.1);
        }

        var bestIndex = Array.IndexOf(personalScore, personalScore.Max());
        var adapter = LoraAdapter.Create("swarm", experts[0].Config, experts[0].Layout, personal[bestIndex]);
        return await FinishAsync("swarm", adapter, personalScore[bestIndex], evaluator, spent, cancellationToken).ConfigureAwait(false);
    }

    private static void Check(IReadOnlyList<LoraAdapter> experts, IAdapterEvaluator evaluator, string method)
    {
        ArgumentNullException.ThrowIfNull(experts);
        ArgumentNullException.ThrowIfNull(evaluator);
        if (experts.Count == 0)
        {
            throw new ArgumentException($"GenomeBaselines.{method}: there must be at least one expert.", nameof(experts));
        }
    }

    private static async Task<double> ValidationAsync(IAdapterEvaluator evaluator, LoraAdapter adapter, CancellationToken cancellationToken) =>
        (await evaluator.EvaluateAsync(adapter, EvaluationSplit.Validation, cancellationToken).ConfigureAwait(false)).Value;

    private static Task<double> ParticleScoreAsync(LoraAdapter template, float[] values, IAdapterEvaluator evaluator, CancellationToken cancellationToken) =>
        ValidationAsync(evaluator, LoraAdapter.Create("particle", template.Config, template.Layout, values), cancellationToken);

    private static async Task<BaselineResult> MergedAsync(string name, IMergeOperator merge, IReadOnlyList<LoraAdapter> experts, double[]? weights, RandomKey random, IAdapterEvaluator evaluator, int spent, CancellationToken cancellationToken)
    {
        Check(experts, evaluator, name);
        var adapter = Combine(merge, experts, weights, random, name);
        var validation = await ValidationAsync(evaluator, adapter, cancellationToken).ConfigureAwait(false);
        return await FinishAsync(name, adapter, validation, evaluator, spent + 1, cancellationToken).ConfigureAwait(false);
    }

    private static LoraAdapter Combine(IMergeOperator merge, IReadOnlyList<LoraAdapter> experts, double[]? weights, RandomKey random, string name)
    {
        var values = new float[experts[0].ParameterCount];
        merge.Merge(new MergeInput { Parents = experts.Select(e => (ReadOnlyMemory<float>)e.AsMemory()).ToList(), Weights = weights, Random = random }, values);
        return LoraAdapter.Create(name.Replace(' ', '-'), experts[0].Config, experts[0].Layout, values);
    }

    private static async Task<BaselineResult> FinishAsync(string name, LoraAdapter adapter, double validation, IAdapterEvaluator evaluator, int spent, CancellationToken cancellationToken)
    {
        var test = await evaluator.EvaluateAsync(adapter, EvaluationSplit.Test, cancellationToken).ConfigureAwait(false);
        return new BaselineResult(name, adapter, validation, test.Value, spent);
    }

    /// <summary>The baselines' random streams under the seed's key.</summary>
    private static class BaselineStream
    {
        public const ulong Dare = 1;
        public const ulong LoraHub = 2;
        public const ulong Swarm = 3;
    }
}
