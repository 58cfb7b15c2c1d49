using System.Collections.ObjectModel;
using System.Globalization;

namespace Genesis.Tensors;

/// <summary>One tensor of a safetensors header: its name, dtype, shape and byte range in the data buffer.</summary>
public sealed class SafetensorsTensorInfo
{
    internal SafetensorsTensorInfo(string name, SafetensorsDType dtype, long[] shape, long elementCount, long begin, long end)
    {
        Name = name;
        DType = dtype;
        Shape = new ReadOnlyCollection<long>(shape);
        ElementCount = elementCount;
        DataBegin = begin;
        DataEnd = end;
    }

    /// <summary>The tensor's name (its key in the header).</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public SafetensorsDType DType { get; }

    /// <summary>The dimensions, outermost first (C order); empty for a scalar.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount { get; }

    /// <summary>The first byte of the tensor, relative to the start of the data buffer (after the header).</summary>
    public long DataBegin { get; }

    /// <summary>One past the last byte of the tensor, relative to the start of the data buffer.</summary>
    public long DataEnd { get; }

    /// <summary>The tensor's size in bytes.</summary>
    public long ByteLength => DataEnd - DataBegin;

    /// <summary>Formats the shape as in error messages, for example <c>[8, 2304]</c>.</summary>
    public static string FormatShape(IEnumerable<long> shape) =>
        "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: {SafetensorsDTypes.GetName(DType)} {FormatShape(Shape)} at [{DataBegin}, {DataEnd})";
}
