using System.Text.Json;
using Genesis.Adapters;
using Genesis.GenomeTests.Tensors;

namespace Genesis.GenomeTests.Adapters;

public sealed class LoraAdapterConfigTests
{
    /// <summary>A config as PEFT 0.13 writes it, plus a key no PEFT version knows.</summary>
    private const string PeftConfig = """
        {
          "alpha_pattern": {},
          "auto_mapping": null,
          "base_model_name_or_path": "google/gemma-2-2b-it",
          "bias": "none",
          "fan_in_fan_out": false,
          "inference_mode": true,
          "init_lora_weights": true,
          "layer_replication": null,
          "layers_pattern": null,
          "layers_to_transform": null,
          "loftq_config": {},
          "lora_alpha": 16,
          "lora_dropout": 0.05,
          "megatron_config": null,
          "megatron_core": "megatron.core",
          "modules_to_save": null,
          "peft_type": "LORA",
          "r": 8,
          "rank_pattern": {},
          "revision": null,
          "target_modules": ["v_proj", "down_proj", "q_proj", "gate_proj", "o_proj", "k_proj", "up_proj"],
          "task_type": "CAUSAL_LM",
          "use_dora": false,
          "use_rslora": false,
          "x_trainer_notes": {"epochs": [1, 2], "tool": "LLaMA-Factory", "lr": 2e-4}
        }
        """;

    [Fact]
    public void A_PEFT_config_is_read_with_its_values()
    {
        var config = LoraAdapterConfig.Parse(PeftConfig);

        Assert.Equal("LORA", config.PeftType);
        Assert.Equal("google/gemma-2-2b-it", config.BaseModelNameOrPath);
        Assert.Equal("CAUSAL_LM", config.TaskType);
        Assert.True(config.InferenceMode);
        Assert.Equal(8, config.Rank);
        Assert.Equal(16, config.LoraAlpha);
        Assert.Equal(0.05, config.LoraDropout);
        Assert.Equal("none", config.Bias);
        Assert.Equal(7, config.TargetModules!.Names.Count);
        Assert.Null(config.TargetModules.Pattern);
        Assert.Null(config.ModulesToSave);
        Assert.Empty(config.RankPattern);
        Assert.Equal(2.0, config.Scaling("model.layers.0.self_attn.q_proj"));
    }

    [Fact]
    public void Unknown_keys_are_kept_verbatim_and_written_back()
    {
        var config = LoraAdapterConfig.Parse(PeftConfig);
        Assert.Contains("x_trainer_notes", config.AdditionalProperties.Keys);
        Assert.Contains("megatron_core", config.AdditionalProperties.Keys);
        Assert.Contains("layers_to_transform", config.AdditionalProperties.Keys);

        var json = config.ToJson();
        var again = LoraAdapterConfig.Parse(json);
        Assert.Equal(config.AdditionalProperties.Keys.Order(StringComparer.Ordinal), again.AdditionalProperties.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            """{"epochs":[1,2],"tool":"LLaMA-Factory","lr":2e-4}""",
            JsonSerializer.Serialize(again.AdditionalProperties["x_trainer_notes"]));
        Assert.Equal(json, again.ToJson());

        // Keys come out sorted, as PEFT's json.dumps(sort_keys=True) writes them.
        using var document = JsonDocument.Parse(json);
        var keys = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("layers_to_transform").ValueKind);
    }

    [Fact]
    public void Missing_optional_keys_take_PEFT_defaults()
    {
        var config = LoraAdapterConfig.Parse("""{"target_modules": "model\\.layers\\.\\d+\\.self_attn\\.(q|v)_proj"}""");

        Assert.Equal("LORA", config.PeftType);
        Assert.Equal(8, config.Rank);
        Assert.Equal(8, config.LoraAlpha);
        Assert.Equal(0, config.LoraDropout);
        Assert.Equal("none", config.Bias);
        Assert.False(config.UseRslora);
        Assert.False(config.InferenceMode);
        Assert.Null(config.BaseModelNameOrPath);
        Assert.Empty(config.AdditionalProperties);
        Assert.True(config.TargetModules!.Matches("model.layers.12.self_attn.v_proj"));
        Assert.False(config.TargetModules.Matches("model.layers.12.self_attn.k_proj"));
        Assert.False(config.TargetModules.Matches("x.model.layers.12.self_attn.v_proj"));
        Assert.Equal(1.0, LoraAdapterConfig.Parse("{}").Scaling("anything"));
    }

    [Theory]
    [InlineData("""{"r": "eight"}""", "'r' must be an integer, found \"eight\"")]
    [InlineData("""{"r": 8.5}""", "'r' must be an integer, found 8.5")]
    [InlineData("""{"r": 0}""", "'r' must be a positive rank, was 0")]
    [InlineData("""{"lora_alpha": true}""", "'lora_alpha' must be a number, found true")]
    [InlineData("""{"use_rslora": "yes"}""", "'use_rslora' must be true or false")]
    [InlineData("""{"target_modules": 5}""", "'target_modules' must be a list of strings")]
    [InlineData("""{"target_modules": ["q_proj", 1]}""", "'target_modules' must be a list of strings")]
    [InlineData("""{"rank_pattern": []}""", "'rank_pattern' must be an object")]
    [InlineData("""{"rank_pattern": {"q_proj": "x"}}""", "'rank_pattern' must be an integer")]
    [InlineData("""[1, 2]""", "must be a JSON object, found Array")]
    [InlineData("""{"r": 8""", "not valid JSON")]
    [InlineData("""{"target_modules": "(unclosed"}""", "adapter_config.json:")]
    public void A_modelled_key_with_the_wrong_type_is_an_error_naming_the_key(string json, string problem)
    {
        var error = Assert.Throws<InvalidDataException>(() => LoraAdapterConfig.Parse(json));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lenient_spellings_are_accepted()
    {
        var config = LoraAdapterConfig.Parse("""{"r": 16.0, "lora_alpha": 32.5, "modules_to_save": null, "task_type": null, "use_dora": null, "rank_pattern": null,}""");
        Assert.Equal(16, config.Rank);
        Assert.Equal(32.5, config.LoraAlpha);
        Assert.Equal("""  "lora_alpha": 32.5,""", config.ToJson().Split('\n').Single(l => l.Contains("lora_alpha", StringComparison.Ordinal)));
    }

    [Fact]
    public void Scaling_is_alpha_over_r_or_alpha_over_root_r_with_rslora()
    {
        var config = new LoraAdapterConfig { Rank = 16, LoraAlpha = 32 };
        Assert.Equal(2.0, config.Scaling("model.layers.0.mlp.up_proj"));
        Assert.Equal(32 / 4.0, (config with { UseRslora = true }).Scaling("model.layers.0.mlp.up_proj"));
    }

    [Fact]
    public void Rank_and_alpha_patterns_match_module_path_suffixes_first_key_first()
    {
        var config = LoraAdapterConfig.Parse("""
            {
              "r": 8, "lora_alpha": 16, "use_rslora": true,
              "rank_pattern": {"model.layers.0.self_attn.q_proj": 4, "q_proj": 16, "layers\\.1\\..*": 32},
              "alpha_pattern": {"down_proj": 64}
            }
            """);

        Assert.Equal(4, config.RankFor("model.layers.0.self_attn.q_proj"));
        Assert.Equal(16, config.RankFor("model.layers.2.self_attn.q_proj"));
        Assert.Equal(16, config.RankFor("model.layers.1.self_attn.q_proj"));
        Assert.Equal(32, config.RankFor("model.layers.1.mlp.up_proj"));
        Assert.Equal(8, config.RankFor("model.layers.2.self_attn.xq_proj"));
        Assert.Equal(8, config.RankFor("model.layers.11.mlp.up_proj"));
        Assert.Equal(64, config.AlphaFor("model.layers.5.mlp.down_proj"));
        Assert.Equal(16, config.AlphaFor("model.layers.5.mlp.up_proj"));

        Assert.Equal(64 / Math.Sqrt(8), config.Scaling("model.layers.5.mlp.down_proj"));
        Assert.Equal(16 / Math.Sqrt(16), config.Scaling("model.layers.3.self_attn.q_proj"));
        Assert.Equal(16 / Math.Sqrt(4), config.Scaling("model.layers.0.self_attn.q_proj"));
        Assert.Equal(16 / 16.0, (config with { UseRslora = false }).Scaling("model.layers.3.self_attn.q_proj"));

        // The order survives a round trip.
        var again = LoraAdapterConfig.Parse(config.ToJson());
        Assert.Equal(config.RankPattern, again.RankPattern);
        Assert.Equal(config.AlphaPattern, again.AlphaPattern);
    }

    [Fact]
    public void Target_module_names_match_whole_path_components_and_compare_as_sets()
    {
        var names = LoraTargetModules.FromNames(["q_proj", "model.layers.3.mlp.up_proj"]);
        Assert.True(names.Matches("model.layers.0.self_attn.q_proj"));
        Assert.True(names.Matches("q_proj"));
        Assert.False(names.Matches("model.layers.0.self_attn.qq_proj"));
        Assert.True(names.Matches("model.layers.3.mlp.up_proj"));
        Assert.False(names.Matches("model.layers.13.mlp.up_proj"));

        Assert.Equal(LoraTargetModules.FromNames(["b", "a", "a"]), LoraTargetModules.FromNames(["a", "b"]));
        Assert.NotEqual(LoraTargetModules.FromNames(["a"]), LoraTargetModules.FromPattern("a"));
        Assert.True(LoraTargetModules.FromPattern(LoraTargetModules.AllLinear).Matches("anything.at_all"));
        Assert.Equal("[a, b]", LoraTargetModules.FromNames(["b", "a"]).ToString());
    }

    [Fact]
    public void Hostile_patterns_match_in_linear_time_without_backtracking()
    {
        var path = new string('a', 20_000);
        Assert.False(LoraTargetModules.FromPattern("(a+)+b").Matches(path));
        var config = LoraAdapterConfig.Parse("""{"rank_pattern": {"(a|aa)+c": 4}}""");
        Assert.Equal(8, config.RankFor(path));
    }

    [Fact]
    public void Saving_writes_the_file_atomically()
    {
        using var folder = new TempFolder();
        var config = LoraAdapterConfig.Parse(PeftConfig) with { Rank = 4 };
        config.Save(folder.File("adapter_config.json"));

        var loaded = LoraAdapterConfig.Load(folder.File("adapter_config.json"));
        Assert.Equal(4, loaded.Rank);
        Assert.Equal(config.ToJson(), loaded.ToJson());
        Assert.Single(Directory.GetFiles(folder.Path));
    }
}
