namespace Genesis.Adapters;

/// <summary>
/// One module of a <see cref="LoraLayout"/>: its shape and where its A and B matrices sit in an adapter's flat
/// float buffer (row-major, as stored on disk).
/// </summary>
public sealed class LoraModule
{
    internal LoraModule(LoraModuleShape shape, int aOffset, int bOffset)
    {
        Shape = shape;
        AOffset = aOffset;
        BOffset = bOffset;
        ATensorName = LoraTensorName.ForA(shape.Path);
        BTensorName = LoraTensorName.ForB(shape.Path);
    }

    /// <summary>The module's shape.</summary>
    public LoraModuleShape Shape { get; }

    /// <summary>The module path, for example <c>model.layers.0.mlp.down_proj</c>.</summary>
    public string Path => Shape.Path;

    /// <summary>r.</summary>
    public int Rank => Shape.Rank;

    /// <summary>The input width (A's columns).</summary>
    public int InFeatures => Shape.InFeatures;

    /// <summary>The output width (B's rows).</summary>
    public int OutFeatures => Shape.OutFeatures;

    /// <summary>Where A [r, in] starts in the flat buffer.</summary>
    public int AOffset { get; }

    /// <summary>r · in.</summary>
    public int ALength => Rank * InFeatures;

    /// <summary>Where B [out, r] starts in the flat buffer.</summary>
    public int BOffset { get; }

    /// <summary>out · r.</summary>
    public int BLength => OutFeatures * Rank;

    /// <summary>The saved name of A: <c>base_model.model.&lt;path&gt;.lora_A.weight</c>.</summary>
    public string ATensorName { get; }

    /// <summary>The saved name of B: <c>base_model.model.&lt;path&gt;.lora_B.weight</c>.</summary>
    public string BTensorName { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Shape.Describe()}";
}
