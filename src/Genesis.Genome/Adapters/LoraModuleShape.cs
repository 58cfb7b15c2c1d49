namespace Genesis.Adapters;

/// <summary>
/// The shape of one LoRA-adapted linear layer: A is [<paramref name="Rank"/>, <paramref name="InFeatures"/>] and
/// B is [<paramref name="OutFeatures"/>, <paramref name="Rank"/>], so ΔW = scaling · B·A is [out, in].
/// </summary>
/// <param name="Path">The module path in the base model, for example <c>model.layers.0.self_attn.q_proj</c>.</param>
/// <param name="Rank">r, at least 1.</param>
/// <param name="InFeatures">The layer's input width, at least 1.</param>
/// <param name="OutFeatures">The layer's output width, at least 1.</param>
public readonly record struct LoraModuleShape(string Path, int Rank, int InFeatures, int OutFeatures)
{
    /// <summary>r · (in + out): the module's parameter count.</summary>
    public long ParameterCount => (long)Rank * InFeatures + ((long)OutFeatures * Rank);

    /// <summary>For messages: <c>A [8, 2304], B [2048, 8]</c>.</summary>
    public string Describe() => $"A [{Rank}, {InFeatures}], B [{OutFeatures}, {Rank}]";
}
