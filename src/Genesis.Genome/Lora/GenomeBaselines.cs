using Genesis.Adapters;
using Genesis.Merging;

namespace Genesis.Lora;

/// <summary>A baseline's adapter and scores.</summary>
/// <param name="Name">The baseline.</param>
/// <param name="Adapter">Its adapter.</param>
/// <param name="Validation">Validation score.</param>
/// <param name="Test">Test score.</param>
/// <param name="Evaluations">Validation evaluations spent.</param>
public sealed record BaselineResult(string Name, LoraAdapter Adapter, double Validation, double Test, int Evaluations);

/// <summary>The baselines GENOME is compared with, over the same experts and evaluator.</summary>
public static class GenomeBaselines
{
    /// <summary>The expert with the best validation score.</summary>
    /// <param name="experts">The experts.</param>
    /// <param name="evaluator">The evaluator.</param>
    public static BaselineResult BestExpert(IReadOnlyList<LoraAdapter> experts, IAdapterEvaluator evaluator)
    {
        ArgumentNullException.ThrowIfNull(experts);
        ArgumentNullException.ThrowIfNull(evaluator);
        var scored = experts.Select(e => (Adapter: e, Score: evaluator.Score(e, EvaluationSplit.Validation))).ToList();
        var best = scored.MaxBy(s => s.Score);
        return Finish("best expert", best.Adapter, best.Score, evaluator, experts.Count);
    }

    /// <summary>The uniform linear merge of all experts.</summary>
    /// <param name="experts">The experts.</param>
    /// <param name="evaluator">The evaluator.</param>
    public static BaselineResult UniformMerge(IReadOnlyList<LoraAdapter> experts, IAdapterEvaluator evaluator) =>
        Merged("uniform merge", new LinearMerge(), experts, null, evaluator, 0);

    /// <summary>The TIES merge of all experts (equal weights).</summary>
    /// <param name="experts">The experts.</param>
    /// <param name="evaluator">The evaluator.</param>
    public static BaselineResult Ties(IReadOnlyList<LoraAdapter> experts, IAdapterEvaluator evaluator) =>
        Merged("TIES", new TiesMerge(), experts, null, evaluator, 0);

    /// <summary>Expert Fusion: one linear merge with weights ∝ validation fitness.</summary>
    /// <param name="experts">The experts.</param>
    /// <param name="evaluator">The evaluator.</param>
    public static BaselineResult ExpertFusion(IReadOnlyList<LoraAdapter> experts, IAdapterEvaluator evaluator)
    {
        ArgumentNullException.ThrowIfNull(experts);
        ArgumentNullException.ThrowIfNull(evaluator);
        var weights = experts.Select(e => Math.Max(1e-9, evaluator.Score(e, EvaluationSplit.Validation))).ToArray();
        return Merged("Expert Fusion", new LinearMerge(), experts, weights, evaluator, experts.Count);
    }

    /// <summary>
    /// A LoraHub-style search over merge weights w ∈ [−1.5, 1.5]^k (unnormalised weighted sum of A and B): a (1+λ)-ES
    /// with λ = 4 children per step, Gaussian steps of σ = 0.3, clipped, starting from uniform weights 1/k.
    /// </summary>
    /// <param name="experts">The experts.</param>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="evaluations">Validation evaluations to spend, at least 1.</param>
    /// <param name="seed">The seed.</param>
    public static BaselineResult LoraHub(IReadOnlyList<LoraAdapter> experts, IAdapterEvaluator evaluator, int evaluations, int seed)
    {
        ArgumentNullException.ThrowIfNull(experts);
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentOutOfRangeException.ThrowIfLessThan(evaluations, 1);
        var merge = new LinearMerge(new LinearMergeOptions { Normalize = false });
        var random = new Random(seed);
        var best = Enumerable.Repeat(1.0 / experts.Count, experts.Count).ToArray();
        var bestAdapter = Combine(merge, experts, best, "lorahub");
        var bestScore = evaluator.Score(bestAdapter, EvaluationSplit.Validation);
        for (var spent = 1; spent < evaluations; spent++)
        {
            var candidate = best.Select(w => Math.Clamp(w + (0.3 * Normal(random)), -1.5, 1.5)).ToArray();
            var adapter = Combine(merge, experts, candidate, "lorahub");
            var score = evaluator.Score(adapter, EvaluationSplit.Validation);
            if (score >= bestScore)
            {
                (best, bestAdapter, bestScore) = (candidate, adapter, score);
            }
        }

        return Finish("LoraHub", bestAdapter, bestScore, evaluator, evaluations);
    }

    /// <summary>
    /// A Model-Swarms-style particle swarm over the adapters: particles start at the experts, velocity toward a random
    /// expert, the <see cref="GenomeOperators.SuccessionStep"/> with inertia 0.4, cognitive 0.3, social 0.3, repel 0.3,
    /// step λ ← max(0.95·λ, 0.1) from 1 per step, until <paramref name="evaluations"/> are spent.
    /// </summary>
    /// <param name="experts">The experts (the particles).</param>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="evaluations">Validation evaluations to spend, at least the expert count.</param>
    /// <param name="seed">The seed.</param>
    public static BaselineResult Swarm(IReadOnlyList<LoraAdapter> experts, IAdapterEvaluator evaluator, int evaluations, int seed)
    {
        ArgumentNullException.ThrowIfNull(experts);
        ArgumentNullException.ThrowIfNull(evaluator);
        var options = new SuccessionOptions { Inertia = 0.4, Cognitive = 0.3, Social = 0.3, Repel = 0.3 };
        var random = new Random(seed);
        var n = experts.Count;
        var x = experts.Select(e => e.Values.ToArray()).ToArray();
        var v = x.Select(xi => { var r = x[random.Next(n)]; return xi.Select((value, i) => r[i] - value).ToArray(); }).ToArray();
        var scores = x.Select(xi => Score(experts[0], xi, evaluator)).ToArray();
        var personal = x.Select(xi => (float[])xi.Clone()).ToArray();
        var personalScore = (double[])scores.Clone();
        var spent = n;
        var lambda = 1.0;
        var draws = new double[4];
        while (spent + n <= evaluations)
        {
            var g = (float[])x[Array.IndexOf(scores, scores.Max())].Clone();
            var w = (float[])x[Array.IndexOf(scores, scores.Min())].Clone();
            for (var i = 0; i < n; i++)
            {
                for (var k = 0; k < 4; k++)
                {
                    draws[k] = random.NextDouble();
                }

                GenomeOperators.SuccessionStep(x[i], v[i], personal[i], g, w, options, lambda, draws);
                scores[i] = Score(experts[0], x[i], evaluator);
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
        return Finish("swarm", adapter, personalScore[bestIndex], evaluator, spent);
    }

    private static double Score(LoraAdapter template, float[] values, IAdapterEvaluator evaluator) =>
        evaluator.Score(LoraAdapter.Create("particle", template.Config, template.Layout, values), EvaluationSplit.Validation);

    private static BaselineResult Merged(string name, IMergeOperator merge, IReadOnlyList<LoraAdapter> experts, double[]? weights, IAdapterEvaluator evaluator, int spent)
    {
        ArgumentNullException.ThrowIfNull(experts);
        ArgumentNullException.ThrowIfNull(evaluator);
        var adapter = Combine(merge, experts, weights, name);
        return Finish(name, adapter, evaluator.Score(adapter, EvaluationSplit.Validation), evaluator, spent + 1);
    }

    private static LoraAdapter Combine(IMergeOperator merge, IReadOnlyList<LoraAdapter> experts, double[]? weights, string name)
    {
        var values = new float[experts[0].ParameterCount];
        merge.Merge(new MergeInput { Parents = experts.Select(e => (ReadOnlyMemory<float>)e.AsMemory()).ToList(), Weights = weights }, values);
        return LoraAdapter.Create(name.Replace(' ', '-'), experts[0].Config, experts[0].Layout, values);
    }

    private static BaselineResult Finish(string name, LoraAdapter adapter, double validation, IAdapterEvaluator evaluator, int spent) =>
        new(name, adapter, validation, evaluator.Score(adapter, EvaluationSplit.Test), spent);

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
