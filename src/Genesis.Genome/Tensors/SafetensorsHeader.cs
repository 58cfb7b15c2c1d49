using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace Genesis.Tensors;

/// <summary>
/// The validated header of a safetensors file: the tensors in the order of their data (which is the order they
/// tile the buffer, without holes or overlaps) and the free-form <c>__metadata__</c> map.
/// </summary>
public sealed class SafetensorsHeader
{
    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;

    internal SafetensorsHeader(List<SafetensorsTensorInfo> tensorsInDataOrder, Dictionary<string, string> metadata, long headerLength, long dataLength)
    {
        Tensors = tensorsInDataOrder.AsReadOnly();
        _byName = new Dictionary<string, SafetensorsTensorInfo>(tensorsInDataOrder.Count, StringComparer.Ordinal);
        foreach (var tensor in tensorsInDataOrder)
        {
            _byName.Add(tensor.Name, tensor);
        }

        Metadata = new ReadOnlyDictionary<string, string>(metadata);
        HeaderLength = headerLength;
        DataLength = dataLength;
    }

    /// <summary>The tensors, ordered by their position in the data buffer.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map (empty when the header has none), for example <c>{"format": "pt"}</c>.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The length of the JSON header in bytes, padding included (the file's first 8 bytes).</summary>
    public long HeaderLength { get; }

    /// <summary>The offset of the data buffer from the start of the file: 8 + <see cref="HeaderLength"/>.</summary>
    public long DataOffset => 8 + HeaderLength;

    /// <summary>The length of the data buffer in bytes; the tensors cover it exactly.</summary>
    public long DataLength { get; }

    /// <summary>The tensor with the given name.</summary>
    /// <exception cref="KeyNotFoundException">There is no such tensor.</exception>
    public SafetensorsTensorInfo this[string name] =>
        _byName.TryGetValue(name, out var info) ? info : throw new KeyNotFoundException($"There is no tensor named '{name}'.");

    /// <summary>Whether a tensor with the given name exists.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Looks a tensor up by name.</summary>
    public bool TryGetTensor(string name, [NotNullWhen(true)] out SafetensorsTensorInfo? info) => _byName.TryGetValue(name, out info);
}
