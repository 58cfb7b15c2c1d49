namespace Genesis.Adapters;

/// <summary>
/// Adapters that should form a population do not: one differs from the first in base model, target modules,
/// module set, ranks or shapes. The message names the adapter and the difference, for example
/// "Adapter 'code_alpaca' (#3) differs from the first adapter 'cot': module 'model.layers.0.self_attn.q_proj' has
/// rank 16 instead of 8."
/// </summary>
public sealed class LoraAdapterMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LoraAdapterMismatchException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LoraAdapterMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public LoraAdapterMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one adapter that differs from the reference.</summary>
    /// <param name="adapterName">The adapter that differs.</param>
    /// <param name="adapterIndex">Its index in the population.</param>
    /// <param name="referenceName">The first adapter, against which the others are compared.</param>
    /// <param name="difference">How it differs.</param>
    public LoraAdapterMismatchException(string adapterName, int adapterIndex, string referenceName, string difference)
        : base($"Adapter '{adapterName}' (#{adapterIndex}) differs from the first adapter '{referenceName}': {difference}.")
    {
        AdapterName = adapterName;
        AdapterIndex = adapterIndex;
        ReferenceName = referenceName;
        Difference = difference;
    }

    /// <summary>The adapter that differs.</summary>
    public string? AdapterName { get; }

    /// <summary>Its index in the population.</summary>
    public int AdapterIndex { get; }

    /// <summary>The first adapter of the population.</summary>
    public string? ReferenceName { get; }

    /// <summary>How the adapter differs, for example "base model 'a' instead of 'b'".</summary>
    public string? Difference { get; }
}
