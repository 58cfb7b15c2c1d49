using Genesis.Adapters;

namespace Genesis.GenomeTests.Adapters;

/// <summary>Tensor names parsed the way vLLM's parse_fine_tuned_lora_name parses them.</summary>
public sealed class LoraTensorNameTests
{
    [Theory]
    [InlineData("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", "model.layers.0.self_attn.q_proj", LoraTensorKind.A)]
    [InlineData("base_model.model.model.layers.25.mlp.down_proj.lora_B.weight", "model.layers.25.mlp.down_proj", LoraTensorKind.B)]
    [InlineData("model.layers.0.mlp.up_proj.lora_A.weight", "model.layers.0.mlp.up_proj", LoraTensorKind.A)]
    [InlineData("base_model.model.model.embed_tokens.lora_embedding_A", "model.embed_tokens", LoraTensorKind.EmbeddingA)]
    [InlineData("base_model.model.model.embed_tokens.lora_embedding_B", "model.embed_tokens", LoraTensorKind.EmbeddingB)]
    [InlineData("base_model.model.model.layers.0.self_attn.o_proj.lora_B.bias", "model.layers.0.self_attn.o_proj", LoraTensorKind.Bias)]
    [InlineData("base_model.model.lm_head.lora_A.weight", "lm_head", LoraTensorKind.A)]
    public void LoRA_names_parse_to_module_and_kind(string name, string module, LoraTensorKind kind)
    {
        Assert.True(LoraTensorName.TryParse(name, out var parsed));
        Assert.Equal(new LoraTensorName(module, kind), parsed);
    }

    [Theory]
    [InlineData("base_model.model.model.layers.0.self_attn.q_proj.lora_A.default.weight")]
    [InlineData("base_model.model.lm_head.weight")]
    [InlineData("base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector")]
    [InlineData("lora_A.weight")]
    [InlineData("base_model.model.lora_B.weight")]
    [InlineData("model..q_proj.lora_A.weight")]
    [InlineData("weight")]
    [InlineData("")]
    public void Other_names_are_not_LoRA_tensor_names(string name)
    {
        Assert.False(LoraTensorName.TryParse(name, out _));
    }

    [Fact]
    public void Formatting_gives_the_name_PEFT_saves_and_parses_back()
    {
        Assert.Equal("base_model.model.model.layers.3.mlp.gate_proj.lora_A.weight", LoraTensorName.ForA("model.layers.3.mlp.gate_proj"));
        Assert.Equal("base_model.model.model.layers.3.mlp.gate_proj.lora_B.weight", LoraTensorName.ForB("model.layers.3.mlp.gate_proj"));
        foreach (var kind in Enum.GetValues<LoraTensorKind>())
        {
            var name = new LoraTensorName("model.layers.1.self_attn.k_proj", kind);
            Assert.True(LoraTensorName.TryParse(name.ToString(), out var parsed));
            Assert.Equal(name, parsed);
        }
    }
}
