using Genesis.Adapters;

namespace Genesis.GenomeTests.Adapters;

internal static class AdapterFixtures
{
    /// <summary>gemma-2-2b's linear layers: 26 layers of q, k, v, o, gate, up, down.</summary>
    public static IEnumerable<LoraModuleShape> Gemma2B(int rank, int layers = 26)
    {
        for (var layer = 0; layer < layers; layer++)
        {
            var attention = $"model.layers.{layer}.self_attn";
            var mlp = $"model.layers.{layer}.mlp";
            yield return new($"{attention}.q_proj", rank, 2304, 2048);
            yield return new($"{attention}.k_proj", rank, 2304, 1024);
            yield return new($"{attention}.v_proj", rank, 2304, 1024);
            yield return new($"{attention}.o_proj", rank, 2048, 2304);
            yield return new($"{mlp}.gate_proj", rank, 2304, 9216);
            yield return new($"{mlp}.up_proj", rank, 2304, 9216);
            yield return new($"{mlp}.down_proj", rank, 9216, 2304);
        }
    }

    /// <summary>A small two-layer model: q (6→4) and down (5→6), rank 2.</summary>
    public static LoraModuleShape[] Tiny(int rank = 2) =>
    [
        new("model.layers.0.self_attn.q_proj", rank, 6, 4),
        new("model.layers.0.mlp.down_proj", rank, 5, 6),
        new("model.layers.1.self_attn.q_proj", rank, 6, 4),
        new("model.layers.1.mlp.down_proj", rank, 5, 6),
    ];

    public static LoraAdapter Random(string name, IEnumerable<LoraModuleShape> modules, int seed, string? baseModel = "google/gemma-2-2b-it", double alpha = 16)
    {
        var layout = LoraLayout.Create(modules);
        var config = LoraAdapterConfig.ForModules(layout.Modules.Select(m => m.Path), layout.Modules[0].Rank, alpha, baseModel);
        var adapter = LoraAdapter.Create(name, config, layout);
        var random = new Random(seed);
        var values = adapter.Values;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }

        return adapter;
    }
}
