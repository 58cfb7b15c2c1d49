using Genesis.Adapters;
using Genesis.GenomeTests.Tensors;
using Genesis.Tensors;
using static Genesis.GenomeTests.Adapters.AdapterFixtures;

namespace Genesis.GenomeTests.Adapters;

public sealed class LoraPopulationTests
{
    [Fact]
    public void Adapters_with_the_same_base_modules_and_shapes_form_a_population()
    {
        LoraPopulation.EnsureCompatible([Random("a", Tiny(), 1), Random("b", Tiny(), 2), Random("c", Tiny().Reverse(), 3)]);
        LoraPopulation.EnsureCompatible([]);
        Assert.Null(LoraPopulation.FindMismatch(Random("a", Tiny(), 1), Random("b", Tiny(), 2)));
    }

    [Fact]
    public void A_different_base_model_is_named()
    {
        var error = Mismatch(Random("a", Tiny(), 1), Random("b", Tiny(), 2), Random("llama", Tiny(), 3, baseModel: "meta-llama/Llama-3.2-1B"));
        Assert.Equal("Adapter 'llama' (#2) differs from the first adapter 'a': base model 'meta-llama/Llama-3.2-1B' instead of 'google/gemma-2-2b-it'.", error.Message);
        Assert.Equal("llama", error.AdapterName);
        Assert.Equal(2, error.AdapterIndex);
        Assert.Equal("a", error.ReferenceName);
        Assert.Contains("base model (none) instead of", Mismatch(Random("a", Tiny(), 1), Random("b", Tiny(), 2, baseModel: null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_target_modules_are_named()
    {
        var first = Random("a", Tiny(), 1);
        var other = Random("b", Tiny(), 2);
        var widened = LoraAdapter.Create("b", other.Config with { TargetModules = LoraTargetModules.FromNames(["q_proj", "down_proj", "up_proj"]) }, other.Layout);
        Assert.Contains("target_modules [down_proj, q_proj, up_proj] instead of [down_proj, q_proj]", Mismatch(first, widened).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_different_module_set_lists_what_is_missing_and_extra()
    {
        var first = Random("a", Tiny(), 1);
        var fewer = Random("fewer", Tiny().Where(m => !m.Path.StartsWith("model.layers.1.", StringComparison.Ordinal)), 2);
        Assert.Contains("differs from the first adapter 'a': a different module set: it lacks 2 modules: 'model.layers.1.mlp.down_proj', 'model.layers.1.self_attn.q_proj'", Mismatch(first, fewer).Message, StringComparison.Ordinal);

        var more = Random("more", [.. Tiny(), new("model.layers.2.self_attn.q_proj", 2, 6, 4)], 3);
        Assert.Contains("it has module 'model.layers.2.self_attn.q_proj' that the first lacks", Mismatch(first, more).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_different_rank_or_shape_names_the_module()
    {
        var first = Random("a", Tiny(), 1);
        Assert.Contains("module 'model.layers.0.mlp.down_proj' has rank 4 instead of 2", Mismatch(first, Random("r4", Tiny(rank: 4), 2)).Message, StringComparison.Ordinal);

        var wider = Tiny().Select(m => m.Path == "model.layers.1.self_attn.q_proj" ? m with { InFeatures = 8 } : m);
        Assert.Contains("module 'model.layers.1.self_attn.q_proj' has A [2, 8], B [4, 2] instead of A [2, 6], B [4, 2]", Mismatch(first, Random("wide", wider, 3)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadAll_loads_each_adapter_folder_in_name_order_and_checks_the_population()
    {
        using var folder = new TempFolder();
        Random("cot", Tiny(), 1).Save(Path.Combine(folder.Path, "cot"), SafetensorsDType.BF16);
        Random("alpaca", Tiny(), 2).Save(Path.Combine(folder.Path, "alpaca"));
        Directory.CreateDirectory(Path.Combine(folder.Path, "notes"));
        File.WriteAllText(Path.Combine(folder.Path, "README.md"), "not an adapter");

        var population = LoraAdapter.LoadAll(folder.Path);
        Assert.Equal(["alpaca", "cot"], population.Select(a => a.Name));
        Assert.Equal(population[0].Layout, population[1].Layout);

        Random("zeta", Tiny(rank: 4), 3).Save(Path.Combine(folder.Path, "zeta"));
        var error = Assert.Throws<LoraAdapterMismatchException>(() => LoraAdapter.LoadAll(folder.Path));
        Assert.Equal("Adapter 'zeta' (#2) differs from the first adapter 'alpaca': module 'model.layers.0.mlp.down_proj' has rank 4 instead of 2.", error.Message);

        Assert.Throws<DirectoryNotFoundException>(() => LoraAdapter.LoadAll(Path.Combine(folder.Path, "missing")));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => LoraAdapter.LoadAll(folder.Path, cancelled.Token));
    }

    private static LoraAdapterMismatchException Mismatch(params LoraAdapter[] adapters) =>
        Assert.Throws<LoraAdapterMismatchException>(() => LoraPopulation.EnsureCompatible(adapters));
}
