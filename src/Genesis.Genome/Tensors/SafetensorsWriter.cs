using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Genesis.Tensors;

/// <summary>
/// Collects tensors and writes them as one safetensors file, laid out as the reference writer lays them out:
/// an 8-byte little-endian header length, a compact JSON header padded with spaces to a multiple of 8 bytes
/// (<c>__metadata__</c> first, then the tensors in data order), and the data, tensors sorted by descending dtype
/// alignment and then by name (UTF-8 byte order), so every tensor starts aligned to its element size.
/// </summary>
/// <remarks>
/// The writer keeps references to the memory it is given, converting float32 to F16 or BF16 chunk by chunk
/// through a pooled buffer while writing; the memory must not change until the write is done. F16 narrowing is
/// IEEE round-to-nearest-even (magnitudes above 65504 become infinity); BF16 narrowing is round-to-nearest-even on
/// the float32 bits, NaN kept NaN, as PyTorch does.
/// </remarks>
public sealed class SafetensorsWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly List<Entry> _entries = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>
    /// The <c>__metadata__</c> map written with the header. It starts as <c>{"format": "pt"}</c>, what PyTorch
    /// users, PEFT and vLLM expect; clear it to write no <c>__metadata__</c> at all.
    /// </summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt" };

    /// <summary>The number of tensors added.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds a float32 tensor, to be stored as F32, F16 or BF16.</summary>
    /// <param name="name">The tensor's name; unique, not <c>__metadata__</c>.</param>
    /// <param name="values">The elements in C order; referenced, not copied.</param>
    /// <param name="shape">The dimensions; their product must equal the number of values.</param>
    /// <param name="dtype">How to store the values: F32 (default), F16 or BF16.</param>
    /// <returns>This writer.</returns>
    /// <exception cref="ArgumentException">The name is taken or invalid, the shape does not match, or the dtype is not a float type this writer narrows to.</exception>
    public SafetensorsWriter Add(string name, ReadOnlyMemory<float> values, ReadOnlySpan<long> shape, SafetensorsDType dtype = SafetensorsDType.F32)
    {
        if (dtype is not (SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16))
        {
            throw new ArgumentException($"Add: float32 values are stored as F32, F16 or BF16, not {dtype}; use AddBytes for other dtypes.", nameof(dtype));
        }

        var elements = CheckShape(name, shape);
        if (elements != values.Length)
        {
            throw new ArgumentException($"Add: tensor '{name}' has shape {SafetensorsTensorInfo.FormatShape(shape.ToArray())} ({elements} elements) but {values.Length} values.", nameof(values));
        }

        AddEntry(new Entry(name, EncodeName(name), dtype, shape.ToArray(), elements * SafetensorsDTypes.GetByteSize(dtype), values, default, raw: false));
        return this;
    }

    /// <summary>Adds a tensor of any dtype from its raw little-endian bytes.</summary>
    /// <param name="name">The tensor's name; unique, not <c>__metadata__</c>.</param>
    /// <param name="dtype">The dtype the bytes hold.</param>
    /// <param name="shape">The dimensions.</param>
    /// <param name="data">Exactly the shape's byte size; referenced, not copied.</param>
    /// <returns>This writer.</returns>
    /// <exception cref="ArgumentException">The name is taken or invalid, or the byte count does not match the shape.</exception>
    public SafetensorsWriter AddBytes(string name, SafetensorsDType dtype, ReadOnlySpan<long> shape, ReadOnlyMemory<byte> data)
    {
        var elements = CheckShape(name, shape);
        var bits = SafetensorsDTypes.GetBitSize(dtype);
        if (elements > long.MaxValue / bits || elements * bits % 8 != 0 || elements * bits / 8 != data.Length)
        {
            throw new ArgumentException($"AddBytes: tensor '{name}' of {SafetensorsDTypes.GetName(dtype)} with shape {SafetensorsTensorInfo.FormatShape(shape.ToArray())} does not occupy the {data.Length} bytes given.", nameof(data));
        }

        AddEntry(new Entry(name, EncodeName(name), dtype, shape.ToArray(), data.Length, default, data, raw: true));
        return this;
    }

    /// <summary>The header bytes (length prefix excluded) that the current tensors and metadata produce.</summary>
    public byte[] BuildHeader()
    {
        var ordered = Ordered();
        var json = new StringBuilder();
        json.Append('{');
        var first = true;
        if (Metadata.Count > 0)
        {
            json.Append("\"__metadata__\":{");
            var firstKey = true;
            foreach (var pair in Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                json.Append(firstKey ? string.Empty : ",");
                AppendString(json, pair.Key);
                json.Append(':');
                AppendString(json, pair.Value);
                firstKey = false;
            }

            json.Append('}');
            first = false;
        }

        long offset = 0;
        foreach (var entry in ordered)
        {
            json.Append(first ? string.Empty : ",");
            AppendString(json, entry.Name);
            json.Append(":{\"dtype\":\"").Append(SafetensorsDTypes.GetName(entry.DType)).Append("\",\"shape\":[");
            json.AppendJoin(',', entry.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            json.Append("],\"data_offsets\":[")
                .Append(offset.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append((offset + entry.ByteLength).ToString(CultureInfo.InvariantCulture)).Append("]}");
            offset += entry.ByteLength;
            first = false;
        }

        json.Append('}');
        var length = StrictUtf8.GetByteCount(json.ToString());
        var padded = (length + 7) / 8 * 8;
        if (padded > SafetensorsFile.MaxHeaderLength)
        {
            throw new InvalidOperationException($"The header would be {padded} bytes, above the format's limit of {SafetensorsFile.MaxHeaderLength}.");
        }

        var header = new byte[padded];
        StrictUtf8.GetBytes(json.ToString(), header);
        header.AsSpan(length).Fill((byte)' ');
        return header;
    }

    /// <summary>The total file length these tensors produce: 8 + header + data.</summary>
    public long ComputeLength() => 8 + BuildHeader().Length + _entries.Sum(e => e.ByteLength);

    /// <summary>
    /// Writes the file to a stream. F32 tensors that lie back to back in one array (as an adapter's flat buffer
    /// holds them) go out in a single write; converted tensors are staged through one pooled buffer, so a file of
    /// hundreds of small tensors takes a few large writes.
    /// </summary>
    /// <param name="stream">A writable stream; not disposed.</param>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        EnsureLittleEndian();
        var header = BuildHeader();
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        using var output = new StagedOutput(stream);
        foreach (var entry in Ordered())
        {
            if (entry.Raw)
            {
                output.WriteDirect(entry.Bytes);
            }
            else if (entry.DType == SafetensorsDType.F32)
            {
                // Little-endian float32 is already the stored form: written straight from the caller's memory.
                output.WriteFloats(entry.Floats);
            }
            else
            {
                output.WriteConverted(entry.DType, entry.Floats.Span);
            }
        }

        output.Flush();
    }

    /// <summary>Writes the whole file to a new byte array (for small files and tests).</summary>
    public byte[] ToArray()
    {
        using var stream = new MemoryStream();
        WriteTo(stream);
        return stream.ToArray();
    }

    /// <summary>
    /// Writes the file atomically: to a temporary file in the same directory, then renamed over
    /// <paramref name="path"/>, so readers never see a partial file.
    /// </summary>
    /// <param name="path">The destination; its directory must exist.</param>
    /// <param name="flushToDisk">Whether to fsync before the rename, so the file also survives a power loss
    /// (default false: the rename alone already survives a killed process).</param>
    public void Save(string path, bool flushToDisk = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, ComputeLength(), WriteTo, flushToDisk);
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors files are little-endian; this writer runs on little-endian machines only.");
        }
    }

    private long CheckShape(string name, ReadOnlySpan<long> shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == "__metadata__")
        {
            throw new ArgumentException("'__metadata__' is reserved for the metadata map and cannot name a tensor.", nameof(name));
        }

        if (_names.Contains(name))
        {
            throw new ArgumentException($"A tensor named '{name}' was already added.", nameof(name));
        }

        long elements = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(shape), $"Tensor '{name}': shape {SafetensorsTensorInfo.FormatShape(shape.ToArray())} has a negative dimension.");
            }

            if (dimension != 0 && elements > long.MaxValue / dimension)
            {
                throw new ArgumentOutOfRangeException(nameof(shape), $"Tensor '{name}': shape {SafetensorsTensorInfo.FormatShape(shape.ToArray())} overflows a 64-bit element count.");
            }

            elements *= dimension;
        }

        return elements;
    }

    private static byte[] EncodeName(string name)
    {
        try
        {
            return StrictUtf8.GetBytes(name);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException($"Tensor name '{name}' is not valid Unicode (it holds a lone surrogate).", nameof(name), ex);
        }
    }

    private static void AppendString(StringBuilder json, string value)
    {
        // The escaping serde_json (the reference writer) applies: quote, backslash and control characters only.
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case < ' ': json.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }

        json.Append('"');
    }

    private void AddEntry(Entry entry)
    {
        _names.Add(entry.Name);
        _entries.Add(entry);
    }

    private List<Entry> Ordered()
    {
        var ordered = new List<Entry>(_entries);
        ordered.Sort(static (x, y) =>
        {
            var c = ((int)y.DType).CompareTo((int)x.DType);
            return c != 0 ? c : x.NameUtf8.AsSpan().SequenceCompareTo(y.NameUtf8);
        });
        return ordered;
    }

    /// <summary>Batches writes: adjacent float32 runs of one array are merged, converted output is staged in a pooled buffer.</summary>
    private sealed class StagedOutput(Stream stream) : IDisposable
    {
        private const int StageBytes = 1 << 20;
        private const int MaxRun = 1 << 28;
        private byte[]? _stage;
        private int _staged;
        private ArraySegment<float> _run;

        public void WriteDirect(ReadOnlyMemory<byte> bytes)
        {
            Flush();
            stream.Write(bytes.Span);
        }

        public void WriteFloats(ReadOnlyMemory<float> values)
        {
            if (values.IsEmpty)
            {
                return;
            }

            if (MemoryMarshal.TryGetArray(values, out var segment))
            {
                if (_run.Array == segment.Array && _run.Offset + _run.Count == segment.Offset && (long)_run.Count + segment.Count <= MaxRun)
                {
                    _run = new ArraySegment<float>(_run.Array!, _run.Offset, _run.Count + segment.Count);
                    return;
                }

                Flush();
                _run = segment;
                return;
            }

            Flush();
            for (var i = 0; i < values.Length; i += MaxRun)
            {
                stream.Write(MemoryMarshal.AsBytes(values.Span.Slice(i, Math.Min(MaxRun, values.Length - i))));
            }
        }

        public void WriteConverted(SafetensorsDType dtype, ReadOnlySpan<float> values)
        {
            FlushRun();
            _stage ??= ArrayPool<byte>.Shared.Rent(StageBytes);
            while (!values.IsEmpty)
            {
                var count = Math.Min(values.Length, (_stage.Length - _staged) / 2);
                if (count == 0)
                {
                    FlushStage();
                    continue;
                }

                SingleConversions.FromSingle(dtype, values[..count], _stage.AsSpan(_staged, count * 2));
                _staged += count * 2;
                values = values[count..];
            }
        }

        public void Flush()
        {
            FlushRun();
            FlushStage();
        }

        public void Dispose()
        {
            if (_stage is not null)
            {
                ArrayPool<byte>.Shared.Return(_stage);
                _stage = null;
            }
        }

        private void FlushRun()
        {
            if (_run.Array is not null)
            {
                stream.Write(MemoryMarshal.AsBytes(_run.AsSpan()));
                _run = default;
            }
        }

        private void FlushStage()
        {
            if (_staged > 0)
            {
                stream.Write(_stage.AsSpan(0, _staged));
                _staged = 0;
            }
        }
    }

    private sealed class Entry(string name, byte[] nameUtf8, SafetensorsDType dtype, long[] shape, long byteLength, ReadOnlyMemory<float> floats, ReadOnlyMemory<byte> bytes, bool raw)
    {
        public string Name { get; } = name;

        public byte[] NameUtf8 { get; } = nameUtf8;

        public SafetensorsDType DType { get; } = dtype;

        public long[] Shape { get; } = shape;

        public long ByteLength { get; } = byteLength;

        public ReadOnlyMemory<float> Floats { get; } = floats;

        public ReadOnlyMemory<byte> Bytes { get; } = bytes;

        public bool Raw { get; } = raw;
    }
}
