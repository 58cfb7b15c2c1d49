using System.Buffers;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Genesis.Tensors;

/// <summary>
/// A safetensors file opened for reading: memory-mapped (<see cref="Open"/>) or over bytes already in memory
/// (<see cref="FromMemory"/>). Opening parses and validates the whole header (see <see cref="SafetensorsHeader"/>);
/// tensor data is not touched until asked for, and F32 tensors are exposed without a copy as spans or memory over
/// the mapping.
/// </summary>
/// <remarks>
/// <para>Validation, each failure an <see cref="InvalidDataException"/> whose message names the file, the tensor and
/// the problem (the tensor's name is also in <see cref="Exception.Data"/> under <see cref="TensorNameKey"/>): the file holds the 8-byte length prefix; the header length is at most
/// <see cref="MaxHeaderLength"/> and fits in the file; the header is UTF-8 JSON starting with <c>{</c>, one object,
/// followed only by whitespace; no name appears twice (checked while reading, since a JSON object model would keep
/// the last duplicate silently); <c>__metadata__</c> maps strings to strings; each entry has a known dtype, a shape
/// of non-negative integers whose element and bit counts do not overflow 64 bits, and data_offsets
/// <c>[begin, end]</c> with <c>end - begin</c> equal to the shape's byte size; and the tensors, in offset order,
/// tile the data buffer exactly, with no overlap, no hole and no trailing bytes. Unknown keys inside a tensor entry
/// are ignored, as the reference reader ignores them.</para>
/// <para><see cref="GetBytes"/>, <see cref="GetSpan{T}"/> and <see cref="GetMemory{T}"/> are zero-copy views of the
/// mapping, valid until the file is disposed (<see cref="GetMemory{T}"/> memory throws
/// <see cref="ObjectDisposedException"/> once it is); the file on disk must not be truncated while such a view is in
/// use, as with any memory mapping. <see cref="ReadSingles(string, Span{float})"/>, which copies anyway, reads an
/// opened file with positioned reads straight into the destination instead of faulting the mapping in: one kernel
/// copy, no page-table work, and a truncated file is an <see cref="InvalidDataException"/> rather than a fault.</para>
/// <para>The format is little-endian; this class supports little-endian machines only (every platform .NET
/// ships for except s390x).</para>
/// </remarks>
public sealed unsafe class SafetensorsFile : IDisposable
{
    /// <summary>The key under which a format error's <see cref="Exception.Data"/> holds the name of the tensor at fault.</summary>
    public const string TensorNameKey = "TensorName";

    /// <summary>The largest header accepted, in bytes: 100,000,000, the reference implementation's limit.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const int StageBytes = 1 << 20;
    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly SafeFileHandle? _handle;
    private MemoryHandle _pin;
    private byte* _data;
    private int _disposed;

    private SafetensorsFile(string source, long length, byte* start, MemoryMappedFile? map, MemoryMappedViewAccessor? view, SafeFileHandle? handle, MemoryHandle pin)
    {
        Source = source;
        Length = length;
        _map = map;
        _view = view;
        _handle = handle;
        _pin = pin;
        try
        {
            var headerLength = SafetensorsHeaderParser.ReadHeaderLength(new ReadOnlySpan<byte>(start, (int)Math.Min(length, 8)), length, source);
            Header = SafetensorsHeaderParser.Parse(new ReadOnlySpan<byte>(start + 8, (int)headerLength), length - 8 - headerLength, source);
            _data = start + 8 + headerLength;
        }
        catch
        {
            Release();
            throw;
        }
    }

    /// <summary>The path of the file, or the name given to <see cref="FromMemory"/>; used in error messages.</summary>
    public string Source { get; }

    /// <summary>The total length in bytes: prefix, header and data.</summary>
    public long Length { get; }

    /// <summary>The validated header.</summary>
    public SafetensorsHeader Header { get; }

    /// <summary>The tensors in data order; shorthand for <see cref="SafetensorsHeader.Tensors"/>.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors => Header.Tensors;

    /// <summary>The <c>__metadata__</c> map; shorthand for <see cref="SafetensorsHeader.Metadata"/>.</summary>
    public IReadOnlyDictionary<string, string> Metadata => Header.Metadata;

    /// <summary>Memory-maps a file read-only and validates its header.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The open file; dispose it to unmap.</returns>
    /// <exception cref="InvalidDataException">The file breaks the format; the message says where and how.</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        EnsureLittleEndian();
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1);
        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        var acquired = false;
        var handedOver = false;
        try
        {
            var length = stream.Length;
            if (length < 8)
            {
                // An empty file cannot be mapped at all; report it as the format error it is.
                throw SafetensorsHeaderParser.Fail(path, null, $"the file is {length} bytes long, shorter than the 8-byte header length that starts every safetensors file");
            }

            map = MemoryMappedFile.CreateFromFile(stream, mapName: null, capacity: 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            acquired = true;
            handedOver = true;
            return new SafetensorsFile(path, length, pointer + view.PointerOffset, map, view, stream.SafeFileHandle, default);
        }
        catch when (!handedOver)
        {
            if (acquired)
            {
                view!.SafeMemoryMappedViewHandle.ReleasePointer();
            }

            view?.Dispose();
            map?.Dispose();
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads a safetensors image already in memory (pinned until the returned object is disposed).</summary>
    /// <param name="bytes">The whole file's bytes.</param>
    /// <param name="sourceName">A name for error messages; defaults to "memory".</param>
    /// <exception cref="InvalidDataException">The bytes break the format.</exception>
    public static SafetensorsFile FromMemory(ReadOnlyMemory<byte> bytes, string? sourceName = null)
    {
        EnsureLittleEndian();
        // The constructor releases the pin itself if the header is invalid.
        var pin = bytes.Pin();
        return new SafetensorsFile(sourceName ?? "memory", bytes.Length, (byte*)pin.Pointer, null, null, null, pin);
    }

    /// <summary>Whether the file holds a tensor with this name.</summary>
    public bool Contains(string name) => Header.Contains(name);

    /// <summary>The header entry of one tensor.</summary>
    /// <exception cref="KeyNotFoundException">There is no such tensor; the message names it and the file.</exception>
    public SafetensorsTensorInfo GetInfo(string name) =>
        Header.TryGetTensor(name, out var info) ? info : throw new KeyNotFoundException($"{Source} has no tensor named '{name}'.");

    /// <summary>The raw little-endian bytes of one tensor, without a copy.</summary>
    /// <exception cref="KeyNotFoundException">There is no such tensor.</exception>
    /// <exception cref="NotSupportedException">The tensor is larger than a span can address (2 GiB).</exception>
    public ReadOnlySpan<byte> GetBytes(string name)
    {
        var info = GetInfo(name);
        ThrowIfDisposed();
        if (info.ByteLength > int.MaxValue)
        {
            throw new NotSupportedException($"Tensor '{name}' in {Source} is {info.ByteLength} bytes; a byte span addresses at most {int.MaxValue}.");
        }

        return new ReadOnlySpan<byte>(_data + info.DataBegin, (int)info.ByteLength);
    }

    /// <summary>
    /// The elements of one tensor as a span over the mapping, without a copy. <typeparamref name="T"/> must match
    /// the dtype: <see cref="float"/> for F32, <see cref="Half"/> for F16, <see cref="double"/> for F64, the integer of
    /// the same width and sign for I*/U*, <see cref="ushort"/> for the bit patterns of F16 and BF16, <see cref="byte"/>
    /// for any one-byte dtype.
    /// </summary>
    /// <exception cref="InvalidOperationException">The type does not match the dtype; use <see cref="ReadSingles(string, Span{float})"/> to convert.</exception>
    public ReadOnlySpan<T> GetSpan<T>(string name)
        where T : unmanaged
    {
        var (pointer, count) = Locate<T>(name);
        return new ReadOnlySpan<T>((void*)pointer, count);
    }

    /// <summary>The elements of one tensor as memory over the mapping (for async or stored use), with the same typing as <see cref="GetSpan{T}"/>.</summary>
    /// <exception cref="InvalidOperationException">The type does not match the dtype.</exception>
    public ReadOnlyMemory<T> GetMemory<T>(string name)
        where T : unmanaged
    {
        var (pointer, count) = Locate<T>(name);
        return new MappedMemoryManager<T>(this, pointer, count).Memory;
    }

    /// <summary>
    /// Converts one tensor to float32 into the caller's buffer: F32 is copied, F16 and BF16 widened exactly, F64
    /// rounded to nearest, and integers and BOOL converted to the nearest float.
    /// </summary>
    /// <param name="name">The tensor.</param>
    /// <param name="destination">Exactly <see cref="SafetensorsTensorInfo.ElementCount"/> floats.</param>
    /// <exception cref="ArgumentException">The destination's length differs from the element count.</exception>
    /// <exception cref="NotSupportedException">The dtype has no float32 conversion (FP8, sub-byte floats, C64).</exception>
    public void ReadSingles(string name, Span<float> destination)
    {
        var info = GetInfo(name);
        if (destination.Length != info.ElementCount)
        {
            throw new ArgumentException($"Tensor '{name}' has {info.ElementCount} elements; the destination holds {destination.Length}.", nameof(destination));
        }

        if (!SafetensorsDTypes.IsConvertibleToSingle(info.DType))
        {
            throw new NotSupportedException($"Tensor '{name}' in {Source} is {SafetensorsDTypes.GetName(info.DType)}, which has no conversion to float32.");
        }

        ReadConverted(info.DType, info.DataBegin, destination);
    }

    /// <summary>Converts one tensor to a new float32 array; see <see cref="ReadSingles(string, Span{float})"/>.</summary>
    /// <exception cref="NotSupportedException">The tensor has more elements than an array can hold, or no float32 conversion.</exception>
    public float[] ReadSingles(string name)
    {
        var info = GetInfo(name);
        if (info.ElementCount > Array.MaxLength)
        {
            throw new NotSupportedException($"Tensor '{name}' in {Source} has {info.ElementCount} elements, more than an array holds.");
        }

        var values = GC.AllocateUninitializedArray<float>((int)info.ElementCount);
        ReadSingles(name, values);
        return values;
    }

    /// <summary>Unmaps the file (or unpins the memory). Spans obtained earlier must not be used afterwards.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Release();
        }
    }

    /// <summary>
    /// Copies bytes of the data buffer (offset relative to its start) into <paramref name="destination"/>: positioned
    /// reads for an opened file, a memory copy otherwise.
    /// </summary>
    internal void ReadData(long offset, Span<byte> destination)
    {
        ThrowIfDisposed();
        if (offset < 0 || destination.Length > Header.DataLength - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, {offset + destination.Length}) is outside the {Header.DataLength}-byte data buffer of {Source}.");
        }

        if (_handle is null)
        {
            new ReadOnlySpan<byte>(_data + offset, destination.Length).CopyTo(destination);
            return;
        }

        var position = Header.DataOffset + offset;
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(_handle, destination, position);
            if (read == 0)
            {
                throw SafetensorsHeaderParser.Fail(Source, null, $"the file ends at {position}, before the {Length} bytes it had when opened");
            }

            destination = destination[read..];
            position += read;
        }
    }

    /// <summary>
    /// Converts <paramref name="destination"/>.Length elements of <paramref name="dtype"/> stored from
    /// <paramref name="offset"/> in the data buffer (one tensor, or several adjacent tensors of one dtype) to float32.
    /// </summary>
    internal void ReadConverted(SafetensorsDType dtype, long offset, Span<float> destination)
    {
        ThrowIfDisposed();
        if (dtype == SafetensorsDType.F32)
        {
            const int Run = 1 << 28;
            for (var done = 0; done < destination.Length; done += Run)
            {
                var count = Math.Min(Run, destination.Length - done);
                ReadData(offset + (done * 4L), MemoryMarshal.AsBytes(destination.Slice(done, count)));
            }

            return;
        }

        var size = SafetensorsDTypes.GetByteSize(dtype);
        if (_handle is null)
        {
            // In memory: convert straight from the source bytes.
            const int Chunk = 1 << 26;
            for (var done = 0; done < destination.Length; done += Chunk)
            {
                var count = Math.Min(Chunk, destination.Length - done);
                if (offset + ((done + (long)count) * size) > Header.DataLength)
                {
                    throw new ArgumentOutOfRangeException(nameof(offset), $"The elements run past the data buffer of {Source}.");
                }

                var source = new ReadOnlySpan<byte>(_data + offset + (done * (long)size), count * size);
                SingleConversions.ToSingle(dtype, source, destination.Slice(done, count));
            }

            return;
        }

        var stage = ArrayPool<byte>.Shared.Rent(StageBytes);
        try
        {
            var perChunk = StageBytes / size;
            for (var done = 0; done < destination.Length; done += perChunk)
            {
                var count = Math.Min(perChunk, destination.Length - done);
                var bytes = stage.AsSpan(0, count * size);
                ReadData(offset + (done * (long)size), bytes);
                SingleConversions.ToSingle(dtype, bytes, destination.Slice(done, count));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(stage);
        }
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors files are little-endian; this reader runs on little-endian machines only.");
        }
    }

    private static bool Matches<T>(SafetensorsDType dtype)
        where T : unmanaged => dtype switch
    {
        SafetensorsDType.F32 => typeof(T) == typeof(float),
        SafetensorsDType.F64 => typeof(T) == typeof(double),
        SafetensorsDType.F16 => typeof(T) == typeof(Half) || typeof(T) == typeof(ushort),
        SafetensorsDType.BF16 => typeof(T) == typeof(ushort),
        SafetensorsDType.I64 => typeof(T) == typeof(long),
        SafetensorsDType.U64 => typeof(T) == typeof(ulong),
        SafetensorsDType.I32 => typeof(T) == typeof(int),
        SafetensorsDType.U32 => typeof(T) == typeof(uint),
        SafetensorsDType.I16 => typeof(T) == typeof(short),
        SafetensorsDType.U16 => typeof(T) == typeof(ushort),
        SafetensorsDType.I8 => typeof(T) == typeof(sbyte) || typeof(T) == typeof(byte),
        SafetensorsDType.Bool or SafetensorsDType.U8 or SafetensorsDType.F8E4M3 or SafetensorsDType.F8E5M2 or SafetensorsDType.F8E8M0 => typeof(T) == typeof(byte),
        _ => false,
    };

    private (IntPtr Pointer, int Count) Locate<T>(string name)
        where T : unmanaged
    {
        var info = GetInfo(name);
        if (!Matches<T>(info.DType))
        {
            throw new InvalidOperationException($"Tensor '{name}' in {Source} is {SafetensorsDTypes.GetName(info.DType)}; it cannot be viewed as {typeof(T).Name}. Use ReadSingles to convert it to float32.");
        }

        ThrowIfDisposed();
        var count = info.ByteLength / sizeof(T);
        if (count > int.MaxValue)
        {
            throw new NotSupportedException($"Tensor '{name}' in {Source} has {count} elements; a span addresses at most {int.MaxValue}.");
        }

        return ((IntPtr)(_data + info.DataBegin), (int)count);
    }

    private void Release()
    {
        _data = null;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }

        _map?.Dispose();
        _pin.Dispose();
        _pin = default;
    }

    private sealed class MappedMemoryManager<T> : MemoryManager<T>
        where T : unmanaged
    {
        private readonly SafetensorsFile _owner;
        private readonly IntPtr _pointer;
        private readonly int _count;

        public MappedMemoryManager(SafetensorsFile owner, IntPtr pointer, int count)
        {
            _owner = owner;
            _pointer = pointer;
            _count = count;
        }

        public override Span<T> GetSpan()
        {
            _owner.ThrowIfDisposed();
            return new Span<T>((void*)_pointer, _count);
        }

        public override MemoryHandle Pin(int elementIndex = 0)
        {
            _owner.ThrowIfDisposed();
            ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _count);
            return new MemoryHandle((T*)_pointer + elementIndex);
        }

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
