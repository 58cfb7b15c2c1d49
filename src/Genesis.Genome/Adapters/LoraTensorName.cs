namespace Genesis.Adapters;

/// <summary>What a tensor of a PEFT LoRA checkpoint holds.</summary>
public enum LoraTensorKind
{
    /// <summary><c>lora_A.weight</c>: the down projection, shape [r, in_features].</summary>
    A,

    /// <summary><c>lora_B.weight</c>: the up projection, shape [out_features, r].</summary>
    B,

    /// <summary><c>lora_embedding_A</c> of an embedding layer, shape [r, num_embeddings].</summary>
    EmbeddingA,

    /// <summary><c>lora_embedding_B</c> of an embedding layer, shape [embedding_dim, r].</summary>
    EmbeddingB,

    /// <summary>A LoRA bias (<c>lora_B.bias</c>, PEFT's <c>lora_bias</c>).</summary>
    Bias,
}

/// <summary>
/// The module path and role encoded in a PEFT LoRA tensor name, parsed as vLLM parses it
/// (<c>parse_fine_tuned_lora_name</c>): an optional leading <c>base_model.model.</c> is removed, then
/// <c>&lt;module&gt;.lora_A.weight</c> / <c>.lora_B.weight</c>, <c>&lt;module&gt;.lora_embedding_A</c> / <c>_B</c>, and
/// <c>&lt;module&gt;.&lt;x&gt;.bias</c> are recognised. Anything else (for example PEFT's in-memory
/// <c>lora_A.default.weight</c>, or a full weight from <c>modules_to_save</c>) is not a LoRA tensor name.
/// </summary>
/// <param name="Module">The module path inside the base model, for example <c>model.layers.0.self_attn.q_proj</c>.</param>
/// <param name="Kind">Which LoRA tensor of that module.</param>
public readonly record struct LoraTensorName(string Module, LoraTensorKind Kind)
{
    /// <summary>The prefix PEFT gives every saved tensor name.</summary>
    public const string Prefix = "base_model.model.";

    /// <summary>The name as PEFT saves it, for example <c>base_model.model.model.layers.0.mlp.up_proj.lora_A.weight</c>.</summary>
    public override string ToString() => Kind switch
    {
        LoraTensorKind.A => $"{Prefix}{Module}.lora_A.weight",
        LoraTensorKind.B => $"{Prefix}{Module}.lora_B.weight",
        LoraTensorKind.EmbeddingA => $"{Prefix}{Module}.lora_embedding_A",
        LoraTensorKind.EmbeddingB => $"{Prefix}{Module}.lora_embedding_B",
        _ => $"{Prefix}{Module}.lora_B.bias",
    };

    /// <summary>The saved name of a module's A matrix.</summary>
    public static string ForA(string module) => new LoraTensorName(module, LoraTensorKind.A).ToString();

    /// <summary>The saved name of a module's B matrix.</summary>
    public static string ForB(string module) => new LoraTensorName(module, LoraTensorKind.B).ToString();

    /// <summary>Parses a tensor name; see the type's remarks for the accepted forms.</summary>
    /// <param name="tensorName">The name from the safetensors header.</param>
    /// <param name="parsed">The module and kind when the name is a LoRA tensor name.</param>
    /// <returns>Whether the name is a LoRA tensor name with a non-empty module path.</returns>
    public static bool TryParse(string tensorName, out LoraTensorName parsed)
    {
        ArgumentNullException.ThrowIfNull(tensorName);
        parsed = default;
        var name = tensorName.StartsWith(Prefix, StringComparison.Ordinal) ? tensorName[Prefix.Length..] : tensorName;
        var parts = name.Split('.');
        if (parts.Length < 2)
        {
            return false;
        }

        var last = parts[^1];
        LoraTensorKind kind;
        int moduleParts;
        if (last == "weight" && parts[^2] is "lora_A" or "lora_B")
        {
            kind = parts[^2] == "lora_A" ? LoraTensorKind.A : LoraTensorKind.B;
            moduleParts = parts.Length - 2;
        }
        else if (last is "lora_embedding_A" or "lora_embedding_B")
        {
            kind = last == "lora_embedding_A" ? LoraTensorKind.EmbeddingA : LoraTensorKind.EmbeddingB;
            moduleParts = parts.Length - 1;
        }
        else if (last == "bias")
        {
            kind = LoraTensorKind.Bias;
            moduleParts = parts.Length - 2;
        }
        else
        {
            return false;
        }

        if (moduleParts < 1)
        {
            return false;
        }

        for (var i = 0; i < moduleParts; i++)
        {
            if (parts[i].Length == 0)
            {
                return false;
            }
        }

        parsed = new LoraTensorName(string.Join('.', parts, 0, moduleParts), kind);
        return true;
    }
}
