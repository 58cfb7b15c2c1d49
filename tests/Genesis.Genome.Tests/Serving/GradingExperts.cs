using Genesis.Adapters;
using Genesis.Datasets;

namespace Genesis.GenomeTests.Serving;

/// <summary>
/// Experts and a hidden target for <see cref="GradingVllmServer"/>: four random rank-4 adapters of a small two-layer
/// model, and a target = 0.5·e0 + 0.3·e1 + 0.2·e2 (+ a little noise), so no expert is the target (e0 is closest,
/// cos ≈ 0.8, e3 is unrelated) and a merge can beat every expert.
/// </summary>
internal static class GradingExperts
{
    public const string BaseModel = "genesis-test/gsm8k-base";

    public const int Rank = 4;

    private static readonly double[] Mix = [0.5, 0.3, 0.2, 0.0];

    /// <summary>The synthetic GSM8K-shaped data shipped with the GenomeVllm sample (copied next to the tests).</summary>
    public static string ShippedDataset => Path.Combine(AppContext.BaseDirectory, "data", "gsm8k-synthetic.jsonl");

    public static TaskDataset LoadShippedDataset() => TaskDataset.Load(ShippedDataset, TaskFormat.Gsm8k);

    public static (IReadOnlyList<LoraAdapter> Experts, LoraAdapter Target) Create(int seed)
    {
        var layout = LoraLayout.Create(
        [
            new LoraModuleShape("model.layers.0.self_attn.q_proj", Rank, 16, 16),
            new LoraModuleShape("model.layers.0.self_attn.v_proj", Rank, 16, 16),
            new LoraModuleShape("model.layers.1.self_attn.q_proj", Rank, 16, 16),
            new LoraModuleShape("model.layers.1.self_attn.v_proj", Rank, 16, 16),
        ]);
        var config = LoraAdapterConfig.ForModules(layout.Modules.Select(m => m.Path), Rank, alpha: 8, BaseModel);
        var random = new Random(seed);
        var experts = new List<LoraAdapter>();
        for (var e = 0; e < Mix.Length; e++)
        {
            var values = new float[layout.ParameterCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)(random.NextDouble() - 0.5);
            }

            experts.Add(LoraAdapter.Create($"expert-{e}", config, layout, values));
        }

        var target = new float[layout.ParameterCount];
        for (var i = 0; i < target.Length; i++)
        {
            double value = 0.03 * (random.NextDouble() - 0.5) * 2;
            for (var e = 0; e < Mix.Length; e++)
            {
                value += Mix[e] * experts[e].Values[i];
            }

            target[i] = (float)value;
        }

        return (experts, LoraAdapter.Create("target", config, layout, target));
    }

    /// <summary>Saves the experts as PEFT folders under <paramref name="folder"/> and returns it.</summary>
    public static string Save(IEnumerable<LoraAdapter> experts, string folder)
    {
        foreach (var expert in experts)
        {
            expert.Save(Path.Combine(folder, expert.Name));
        }

        return folder;
    }
}
