using System.Runtime.InteropServices;
using System.Text.Json;
using Genesis.Adapters;
using Genesis.GenomeTests.Tensors;
using Genesis.Tensors;
using static Genesis.GenomeTests.Adapters.AdapterFixtures;

namespace Genesis.GenomeTests.Adapters;

public sealed class LoraAdapterTests
{
    [Fact]
    public void The_gemma_2_2b_rank_8_layout_holds_10383360_parameters()
    {
        var layout = LoraLayout.Create(Gemma2B(8));
        Assert.Equal(182, layout.Modules.Count);
        Assert.Equal(10_383_360, layout.ParameterCount);
    }

    [Fact]
    public void The_layout_packs_every_matrix_once_without_gaps_in_saved_name_order()
    {
        var layout = LoraLayout.Create(Tiny());
        var ranges = layout.Modules.SelectMany(m => new[] { (m.ATensorName, m.AOffset, m.ALength), (m.BTensorName, m.BOffset, m.BLength) })
            .OrderBy(r => r.Item2).ToList();
        var next = 0;
        foreach (var (_, offset, length) in ranges)
        {
            Assert.Equal(next, offset);
            next += length;
        }

        Assert.Equal(layout.ParameterCount, next);
        Assert.Equal(ranges.Select(r => r.Item1).Order(StringComparer.Ordinal), ranges.Select(r => r.Item1));
        Assert.Equal(layout, LoraLayout.Create(Tiny().Reverse()));
        Assert.NotEqual(layout, LoraLayout.Create(Tiny(rank: 3)));
    }

    [Fact]
    public void Layouts_reject_bad_modules()
    {
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => LoraLayout.Create([.. Tiny(), Tiny()[0]])).Message, StringComparison.Ordinal);
        Assert.Contains("at least 1", Assert.Throws<ArgumentException>(() => LoraLayout.Create([new("m", 0, 4, 4)])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => LoraLayout.Create([new("", 1, 4, 4)]));
        Assert.Contains("more than", Assert.Throws<ArgumentException>(() => LoraLayout.Create([new("a", 65536, 32768, 1), new("b", 65536, 32768, 1)])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Module_spans_address_the_flat_buffer()
    {
        var adapter = LoraAdapter.FromMatrices("x", LoraAdapterConfig.ForModules(["m.q_proj"], 2, 4), [(new LoraModuleShape("m.q_proj", 2, 3, 4), [1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12, 13, 14])]);
        Assert.Equal([1f, 2, 3, 4, 5, 6], adapter.A("m.q_proj").ToArray());
        Assert.Equal([7f, 8, 9, 10, 11, 12, 13, 14], adapter.B("m.q_proj").ToArray());
        Assert.Equal(14, adapter.ParameterCount);

        adapter.Values.Clear();
        Assert.All(adapter.A("m.q_proj").ToArray(), v => Assert.Equal(0f, v));
        Assert.Throws<KeyNotFoundException>(() => adapter.A("missing"));
        Assert.True(MemoryMarshal.TryGetArray<float>(adapter.AsMemory(), out var segment) && segment.Count == 14);
    }

    [Fact]
    public void Creating_an_adapter_checks_it_against_its_config()
    {
        var layout = LoraLayout.Create(Tiny());
        var config = LoraAdapterConfig.ForModules(layout.Modules.Select(m => m.Path), 2, 4);
        Assert.Equal(layout.ParameterCount, LoraAdapter.Create("zeros", config, layout).Values.ToArray().Count(v => v == 0));

        var rank = Assert.Throws<ArgumentException>(() => LoraAdapter.Create("a", config with { Rank = 4 }, layout));
        Assert.Contains("module 'model.layers.0.mlp.down_proj' has rank 2 but the config gives it r=4", rank.Message, StringComparison.Ordinal);

        var targets = Assert.Throws<ArgumentException>(() => LoraAdapter.Create("a", config with { TargetModules = LoraTargetModules.FromNames(["q_proj"]) }, layout));
        Assert.Contains("module 'model.layers.0.mlp.down_proj' is not matched by target_modules [q_proj]", targets.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => LoraAdapter.Create("a", config, layout, new float[3]));
        Assert.Throws<ArgumentException>(() => LoraAdapter.Create("a", config with { PeftType = "IA3" }, layout));
        var patterned = config with { Rank = 8, RankPattern = [new("down_proj", 2), new("q_proj", 2)] };
        Assert.Equal(layout, LoraAdapter.Create("p", patterned, layout).Layout);
    }

    [Fact]
    public void An_F32_save_is_exact_and_its_data_is_the_flat_buffer_byte_for_byte()
    {
        using var folder = new TempFolder();
        var adapter = Random("expert", Tiny(), seed: 1);
        adapter.Save(folder.Path);

        var loaded = LoraAdapter.Load(folder.Path, "again");
        Assert.Equal("again", loaded.Name);
        Assert.Equal(adapter.Layout, loaded.Layout);
        Assert.True(adapter.Values.SequenceEqual(loaded.Values));

        var bytes = File.ReadAllBytes(Path.Combine(folder.Path, LoraAdapter.WeightsFileName));
        using var file = SafetensorsFile.FromMemory(bytes);
        Assert.True(bytes.AsSpan((int)file.Header.DataOffset).SequenceEqual(MemoryMarshal.AsBytes(adapter.Values)));
    }

    [Theory]
    [InlineData(SafetensorsDType.F16)]
    [InlineData(SafetensorsDType.BF16)]
    public void F16_and_BF16_saves_load_back_within_the_format_precision(SafetensorsDType dtype)
    {
        using var folder = new TempFolder();
        var adapter = Random("expert", Tiny(), seed: 2);
        adapter.Save(folder.Path, dtype);

        using (var file = SafetensorsFile.Open(Path.Combine(folder.Path, LoraAdapter.WeightsFileName)))
        {
            Assert.All(file.Tensors, t => Assert.Equal(dtype, t.DType));
        }

        var loaded = LoraAdapter.Load(folder.Path);
        var tolerance = dtype == SafetensorsDType.F16 ? Math.Pow(2, -11) : Math.Pow(2, -8);
        for (var i = 0; i < adapter.ParameterCount; i++)
        {
            var (x, y) = (adapter.Values[i], loaded.Values[i]);
            Assert.True(Math.Abs(x - y) <= (Math.Abs(x) * tolerance) + 1e-7, $"#{i}: {x} -> {y}");
        }
    }

    [Fact]
    public void A_saved_folder_has_what_PEFT_and_vLLM_read()
    {
        using var folder = new TempFolder();
        var config = LoraAdapterConfig.ForModules(Tiny().Select(m => m.Path), 2, 16, "google/gemma-2-2b-it");
        var adapter = LoraAdapter.Create("child", config with { TargetModules = null }, LoraLayout.Create(Tiny()));
        adapter.Save(folder.Path, SafetensorsDType.BF16);

        Assert.Equal([LoraAdapter.ConfigFileName, LoraAdapter.WeightsFileName], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var file = SafetensorsFile.Open(Path.Combine(folder.Path, LoraAdapter.WeightsFileName));
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt" }, file.Metadata);
        var a = file.GetInfo("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");
        var b = file.GetInfo("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight");
        Assert.Equal([2L, 6], a.Shape);
        Assert.Equal([4L, 2], b.Shape);
        Assert.Equal(8, file.Tensors.Count);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, LoraAdapter.ConfigFileName)));
        var root = json.RootElement;
        Assert.Equal("LORA", root.GetProperty("peft_type").GetString());
        Assert.Equal(2, root.GetProperty("r").GetInt32());
        Assert.Equal(16, root.GetProperty("lora_alpha").GetDouble());
        Assert.Equal("none", root.GetProperty("bias").GetString());
        Assert.False(root.GetProperty("use_dora").GetBoolean());
        Assert.Equal("google/gemma-2-2b-it", root.GetProperty("base_model_name_or_path").GetString());
        Assert.Equal(["down_proj", "q_proj"], root.GetProperty("target_modules").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Weights_stored_without_the_prefix_or_in_F64_load_too()
    {
        using var folder = new TempFolder();
        var writer = new SafetensorsWriter()
            .AddBytes("model.layers.0.self_attn.q_proj.lora_A.weight", SafetensorsDType.F64, [1, 2], MemoryMarshal.AsBytes(new double[] { 0.5, -1 }.AsSpan()).ToArray())
            .Add("model.layers.0.self_attn.q_proj.lora_B.weight", new float[] { 1, 2, 3 }, [3, 1], SafetensorsDType.F16);
        writer.Save(Path.Combine(folder.Path, LoraAdapter.WeightsFileName));
        File.WriteAllText(Path.Combine(folder.Path, LoraAdapter.ConfigFileName), """{"r": 1, "lora_alpha": 2, "target_modules": ["q_proj"]}""");

        var adapter = LoraAdapter.Load(folder.Path);
        Assert.Equal([0.5f, -1], adapter.A("model.layers.0.self_attn.q_proj").ToArray());
        Assert.Equal([1f, 2, 3], adapter.B("model.layers.0.self_attn.q_proj").ToArray());
        Assert.Equal(2.0, adapter.Config.Scaling("model.layers.0.self_attn.q_proj"));
    }

    [Fact]
    public void Files_whose_tensor_order_differs_from_the_buffer_load_tensor_by_tensor()
    {
        using var folder = new TempFolder();
        var adapter = Random("mixed", Tiny(), seed: 4);
        var writer = new SafetensorsWriter();
        var memory = adapter.AsMemory();
        foreach (var module in adapter.Modules)
        {
            // A as F16, B as F32: the writer puts every F32 tensor before every F16 one, so runs break up.
            writer.Add(module.ATensorName, memory.Slice(module.AOffset, module.ALength), [module.Rank, module.InFeatures], SafetensorsDType.F16);
            writer.Add(module.BTensorName, memory.Slice(module.BOffset, module.BLength), [module.OutFeatures, module.Rank]);
        }

        writer.Save(Path.Combine(folder.Path, LoraAdapter.WeightsFileName));
        adapter.Config.Save(Path.Combine(folder.Path, LoraAdapter.ConfigFileName));

        var loaded = LoraAdapter.Load(folder.Path);
        foreach (var module in adapter.Modules)
        {
            Assert.Equal(adapter.A(module.Path).ToArray().Select(v => (float)(Half)v), loaded.A(module.Path).ToArray());
            Assert.Equal(adapter.B(module.Path).ToArray(), loaded.B(module.Path).ToArray());
        }
    }

    [Fact]
    public void Loading_refuses_inconsistent_folders_naming_the_file_tensor_and_problem()
    {
        const string A = "base_model.model.m.q_proj.lora_A.weight";
        const string B = "base_model.model.m.q_proj.lora_B.weight";
        const string Config = """{"r": 2, "target_modules": ["q_proj"]}""";
        Assert.Contains($"tensor '{A}' module 'm.q_proj' has lora_A but no lora_B", LoadError(Config, w => w.Add(A, new float[6], [2, 3])), StringComparison.Ordinal);
        Assert.Contains($"tensor '{B}' lora_A is [2, 3] (rank 2) but lora_B is [4, 3] (rank 3)", LoadError(Config, w => w.Add(A, new float[6], [2, 3]).Add(B, new float[12], [4, 3])), StringComparison.Ordinal);
        Assert.Contains("module 'm.q_proj' has rank 3 but the config gives it r=2", LoadError(Config, w => w.Add(A, new float[9], [3, 3]).Add(B, new float[12], [4, 3])), StringComparison.Ordinal);
        Assert.Contains("module 'm.q_proj' is not matched by target_modules [v_proj]", LoadError("""{"r": 2, "target_modules": ["v_proj"]}""", w => w.Add(A, new float[6], [2, 3]).Add(B, new float[8], [4, 2])), StringComparison.Ordinal);
        Assert.Contains("tensor 'base_model.model.lm_head.weight' is not a LoRA A/B weight", LoadError(Config, w => w.Add("base_model.model.lm_head.weight", new float[4], [2, 2])), StringComparison.Ordinal);
        Assert.Contains("tensor 'base_model.model.embed.lora_embedding_A' is a LoRA EmbeddingA tensor", LoadError(Config, w => w.Add("base_model.model.embed.lora_embedding_A", new float[4], [2, 2])), StringComparison.Ordinal);
        Assert.Contains($"tensor '{A}' has dtype I32", LoadError(Config, w => w.AddBytes(A, SafetensorsDType.I32, [2, 1], new byte[8])), StringComparison.Ordinal);
        Assert.Contains($"tensor '{A}' has shape [2, 3, 1]", LoadError(Config, w => w.Add(A, new float[6], [2, 3, 1])), StringComparison.Ordinal);
        Assert.Contains("holds the same matrix as tensor", LoadError(Config, w => w.Add(A, new float[6], [2, 3]).Add("m.q_proj.lora_A.weight", new float[6], [2, 3])), StringComparison.Ordinal);
        Assert.Contains("DoRA adapters are not supported", LoadError("""{"r": 2, "use_dora": true}""", w => w.Add("base_model.model.m.q_proj.lora_magnitude_vector", new float[4], [4])), StringComparison.Ordinal);
        Assert.Contains("peft_type is \"IA3\"", LoadError("""{"peft_type": "IA3"}""", w => w.Add(A, new float[6], [2, 3])), StringComparison.Ordinal);
        Assert.Contains("Invalid safetensors data", LoadError(Config, w => w.Add(A, new float[6], [2, 3]), corrupt: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_files_are_reported_by_name()
    {
        using var folder = new TempFolder();
        Assert.Contains("has no adapter_config.json", Assert.Throws<FileNotFoundException>(() => LoraAdapter.Load(folder.Path)).Message, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder.Path, LoraAdapter.ConfigFileName), "{}");
        File.WriteAllBytes(Path.Combine(folder.Path, "adapter_model.bin"), [1]);
        var error = Assert.Throws<FileNotFoundException>(() => LoraAdapter.Load(folder.Path));
        Assert.Contains("has no adapter_model.safetensors (it has a pickled adapter_model.bin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Saving_rejects_dtypes_other_than_F32_F16_BF16_and_clones_are_deep()
    {
        using var folder = new TempFolder();
        var adapter = Random("a", Tiny(), seed: 3);
        Assert.Throws<ArgumentException>(() => adapter.Save(folder.Path, SafetensorsDType.F64));

        var clone = adapter.Clone("b");
        clone.Values[0] += 1;
        Assert.NotEqual(adapter.Values[0], clone.Values[0]);
        Assert.Equal("b", clone.Name);
        Assert.Same(adapter.Layout, clone.Layout);
    }

    private static string LoadError(string config, Action<SafetensorsWriter> tensors, bool corrupt = false)
    {
        using var folder = new TempFolder();
        var writer = new SafetensorsWriter();
        tensors(writer);
        var weights = Path.Combine(folder.Path, LoraAdapter.WeightsFileName);
        writer.Save(weights);
        if (corrupt)
        {
            File.AppendAllText(weights, "junk");
        }

        File.WriteAllText(Path.Combine(folder.Path, LoraAdapter.ConfigFileName), config);
        var error = Assert.Throws<InvalidDataException>(() => LoraAdapter.Load(folder.Path));
        Assert.Contains(folder.Path, error.Message, StringComparison.Ordinal);
        return error.Message;
    }
}
