using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Genesis.Compute;

/// <summary>
/// Non-temporal ("streaming") stores of <see cref="Vector{T}"/> for kernels that write a destination larger than the caches:
/// a cached store first reads the line it writes (write-allocate), so a kernel that reads two inputs and writes one moves
/// four streams through memory; a streaming store moves three. Only the store instruction changes, never a value.
/// </summary>
internal static unsafe class StreamingStores
{
    /// <summary>The alignment a streaming store needs, in bytes.</summary>
    private const int Alignment = 32;

    /// <summary>Whether streaming stores of <see cref="Vector{T}"/> are available: AVX with 256-bit vectors.</summary>
    public static bool IsSupported => Avx.IsSupported && Vector<float>.Count == 8;

    /// <summary>Whether to stream a destination of <paramref name="length"/> floats at <paramref name="destination"/>.</summary>
    public static bool Use(float* destination, int length, int threshold) =>
        IsSupported && length >= threshold && ((nuint)destination & (sizeof(float) - 1)) == 0;

    /// <summary>How many elements precede the first 32-byte aligned one at or after <paramref name="address"/> (at most 7).</summary>
    public static int Head(float* address) => (int)((Alignment - ((nuint)address & (Alignment - 1))) & (Alignment - 1)) / sizeof(float);

    /// <summary>Stores <paramref name="value"/> at <paramref name="address"/>, streaming when <paramref name="streaming"/> (then aligned).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<float> value, float* address, bool streaming)
    {
        if (IsSupported && streaming)
        {
            Avx.StoreAlignedNonTemporal(address, value.AsVector256());
        }
        else
        {
            Vector.Store(value, address);
        }
    }

    /// <summary>Orders the streaming stores before any later store (they bypass the usual x86 ordering).</summary>
    public static void Fence()
    {
        if (IsSupported)
        {
            Sse.StoreFence();
        }
    }
}
