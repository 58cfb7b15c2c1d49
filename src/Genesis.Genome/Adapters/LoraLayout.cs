using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Genesis.Adapters;

/// <summary>
/// The modules of a LoRA adapter and the layout of their A and B matrices in one contiguous float buffer.
/// Tensors are placed in the order of their saved names' UTF-8 bytes, the order the reference safetensors writer
/// uses, so an F32 file holds the buffer byte for byte. Equal layouts (same module paths, ranks and widths) give
/// identical offsets, so element-wise merges of a population run over whole flat spans.
/// </summary>
public sealed class LoraLayout : IEquatable<LoraLayout>
{
    private readonly Dictionary<string, LoraModule> _byPath;

    private LoraLayout(List<LoraModule> modules, int parameterCount)
    {
        Modules = new ReadOnlyCollection<LoraModule>(modules);
        ParameterCount = parameterCount;
        _byPath = modules.ToDictionary(m => m.Path, StringComparer.Ordinal);
    }

    /// <summary>The modules, ordered by path (ordinal).</summary>
    public IReadOnlyList<LoraModule> Modules { get; }

    /// <summary>The total number of floats: Σ r · (in + out).</summary>
    public int ParameterCount { get; }

    /// <summary>The module with the given path.</summary>
    /// <exception cref="KeyNotFoundException">No module has that path.</exception>
    public LoraModule this[string path] =>
        _byPath.TryGetValue(path, out var module) ? module : throw new KeyNotFoundException($"The layout has no module '{path}'.");

    /// <summary>Builds a layout.</summary>
    /// <param name="modules">The modules, in any order.</param>
    /// <exception cref="ArgumentException">A path is empty or repeated, a dimension is below 1, or the total exceeds an array's capacity.</exception>
    public static LoraLayout Create(IEnumerable<LoraModuleShape> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var shapes = modules.ToList();
        var paths = new HashSet<string>(StringComparer.Ordinal);
        var tensors = new List<(byte[] Name, int Module, bool IsA)>(shapes.Count * 2);
        for (var i = 0; i < shapes.Count; i++)
        {
            var shape = shapes[i];
            if (string.IsNullOrEmpty(shape.Path))
            {
                throw new ArgumentException("LoraLayout.Create: a module path is null or empty.", nameof(modules));
            }

            if (!paths.Add(shape.Path))
            {
                throw new ArgumentException($"LoraLayout.Create: module '{shape.Path}' appears twice.", nameof(modules));
            }

            if (shape.Rank < 1 || shape.InFeatures < 1 || shape.OutFeatures < 1)
            {
                throw new ArgumentException($"LoraLayout.Create: module '{shape.Path}' needs rank, in and out of at least 1, was {shape.Describe()}.", nameof(modules));
            }

            tensors.Add((Encoding.UTF8.GetBytes(LoraTensorName.ForA(shape.Path)), i, true));
            tensors.Add((Encoding.UTF8.GetBytes(LoraTensorName.ForB(shape.Path)), i, false));
        }

        tensors.Sort(static (x, y) => x.Name.AsSpan().SequenceCompareTo(y.Name));
        var aOffsets = new int[shapes.Count];
        var bOffsets = new int[shapes.Count];
        long offset = 0;
        foreach (var (_, module, isA) in tensors)
        {
            var shape = shapes[module];
            var length = (long)shape.Rank * (isA ? shape.InFeatures : shape.OutFeatures);
            if (offset + length > Array.MaxLength)
            {
                throw new ArgumentException($"LoraLayout.Create: the modules hold more than {Array.MaxLength} parameters, more than one float array can.", nameof(modules));
            }

            (isA ? aOffsets : bOffsets)[module] = (int)offset;
            offset += length;
        }

        var result = shapes.Select((s, i) => new LoraModule(s, aOffsets[i], bOffsets[i])).ToList();
        result.Sort(static (x, y) => string.CompareOrdinal(x.Path, y.Path));
        return new LoraLayout(result, (int)offset);
    }

    /// <summary>Looks a module up by path.</summary>
    public bool TryGetModule(string path, [NotNullWhen(true)] out LoraModule? module) => _byPath.TryGetValue(path, out module);

    /// <summary>Equal when both have the same modules with the same shapes (and therefore the same offsets).</summary>
    public bool Equals(LoraLayout? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Modules.Count != Modules.Count || other.ParameterCount != ParameterCount)
        {
            return false;
        }

        for (var i = 0; i < Modules.Count; i++)
        {
            if (Modules[i].Shape != other.Modules[i].Shape)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as LoraLayout);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Modules.Count, ParameterCount, Modules.Count > 0 ? Modules[0].Shape : default);
}
