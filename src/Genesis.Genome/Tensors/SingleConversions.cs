using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Genesis.Tensors;

/// <summary>
/// Conversions between float32 and the stored dtypes. F16 goes through <see cref="TensorPrimitives"/>; BF16 is
/// bit manipulation (a bfloat16 is the upper half of a float32), vectorised with a scalar tail. Narrowing to BF16
/// rounds to nearest, ties to even, like PyTorch's <c>tensor.to(torch.bfloat16)</c>; NaN stays NaN (quietened)
/// and finite values past the BF16 range round to infinity.
/// </summary>
internal static class SingleConversions
{
    /// <summary>Widens bfloat16 bit patterns to float32: exact, every BF16 value is a float32.</summary>
    public static void BFloat16ToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        var n = source.Length;
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(destination));
        nuint i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; (int)i <= n - Vector256<ushort>.Count; i += (nuint)Vector256<ushort>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref src, i));
                Vector256.ShiftLeft(lower, 16).StoreUnsafe(ref dst, i);
                Vector256.ShiftLeft(upper, 16).StoreUnsafe(ref dst, i + (nuint)Vector256<uint>.Count);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; (int)i <= n - Vector128<ushort>.Count; i += (nuint)Vector128<ushort>.Count)
            {
                var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref src, i));
                Vector128.ShiftLeft(lower, 16).StoreUnsafe(ref dst, i);
                Vector128.ShiftLeft(upper, 16).StoreUnsafe(ref dst, i + (nuint)Vector128<uint>.Count);
            }
        }

        for (; (int)i < n; i++)
        {
            Unsafe.Add(ref dst, i) = (uint)Unsafe.Add(ref src, i) << 16;
        }
    }

    /// <summary>Narrows float32 to bfloat16 bit patterns, rounding to nearest with ties to even.</summary>
    public static void SingleToBFloat16(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        var n = source.Length;
        ref var src = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(source));
        ref var dst = ref MemoryMarshal.GetReference(destination);
        nuint i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; (int)i <= n - Vector256<ushort>.Count; i += (nuint)Vector256<ushort>.Count)
            {
                var lower = RoundToBFloat16(Vector256.LoadUnsafe(ref src, i));
                var upper = RoundToBFloat16(Vector256.LoadUnsafe(ref src, i + (nuint)Vector256<uint>.Count));
                Vector256.Narrow(lower, upper).StoreUnsafe(ref dst, i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; (int)i <= n - Vector128<ushort>.Count; i += (nuint)Vector128<ushort>.Count)
            {
                var lower = RoundToBFloat16(Vector128.LoadUnsafe(ref src, i));
                var upper = RoundToBFloat16(Vector128.LoadUnsafe(ref src, i + (nuint)Vector128<uint>.Count));
                Vector128.Narrow(lower, upper).StoreUnsafe(ref dst, i);
            }
        }

        for (; (int)i < n; i++)
        {
            Unsafe.Add(ref dst, i) = RoundToBFloat16(Unsafe.Add(ref src, i));
        }
    }

    /// <summary>One float32 bit pattern to bfloat16, round to nearest even.</summary>
    public static ushort RoundToBFloat16(uint bits)
    {
        if ((bits & 0x7FFF_FFFFu) > 0x7F80_0000u)
        {
            return (ushort)((bits >> 16) | 0x0040u);
        }

        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    }

    /// <summary>Converts one stored tensor's little-endian bytes to float32.</summary>
    public static void ToSingle(SafetensorsDType dtype, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (dtype)
        {
            case SafetensorsDType.F32:
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                break;
            case SafetensorsDType.F16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
                break;
            case SafetensorsDType.BF16:
                BFloat16ToSingle(MemoryMarshal.Cast<byte, ushort>(source), destination);
                break;
            case SafetensorsDType.F64:
                TensorPrimitives.ConvertTruncating<double, float>(MemoryMarshal.Cast<byte, double>(source), destination);
                break;
            case SafetensorsDType.I64:
                TensorPrimitives.ConvertTruncating<long, float>(MemoryMarshal.Cast<byte, long>(source), destination);
                break;
            case SafetensorsDType.U64:
                TensorPrimitives.ConvertTruncating<ulong, float>(MemoryMarshal.Cast<byte, ulong>(source), destination);
                break;
            case SafetensorsDType.I32:
                TensorPrimitives.ConvertTruncating<int, float>(MemoryMarshal.Cast<byte, int>(source), destination);
                break;
            case SafetensorsDType.U32:
                TensorPrimitives.ConvertTruncating<uint, float>(MemoryMarshal.Cast<byte, uint>(source), destination);
                break;
            case SafetensorsDType.I16:
                TensorPrimitives.ConvertTruncating<short, float>(MemoryMarshal.Cast<byte, short>(source), destination);
                break;
            case SafetensorsDType.U16:
                TensorPrimitives.ConvertTruncating<ushort, float>(MemoryMarshal.Cast<byte, ushort>(source), destination);
                break;
            case SafetensorsDType.I8:
                TensorPrimitives.ConvertTruncating<sbyte, float>(MemoryMarshal.Cast<byte, sbyte>(source), destination);
                break;
            case SafetensorsDType.U8:
                TensorPrimitives.ConvertTruncating<byte, float>(source, destination);
                break;
            case SafetensorsDType.Bool:
                for (var i = 0; i < source.Length; i++)
                {
                    destination[i] = source[i] != 0 ? 1f : 0f;
                }

                break;
            default:
                throw new NotSupportedException($"{SafetensorsDTypes.GetName(dtype)} cannot be converted to float32.");
        }
    }

    /// <summary>Converts float32 to the stored bytes of F32, F16 or BF16 (<paramref name="destination"/> holds exactly the output).</summary>
    public static void FromSingle(SafetensorsDType dtype, ReadOnlySpan<float> source, Span<byte> destination)
    {
        switch (dtype)
        {
            case SafetensorsDType.F32:
                MemoryMarshal.AsBytes(source).CopyTo(destination);
                break;
            case SafetensorsDType.F16:
                TensorPrimitives.ConvertToHalf(source, MemoryMarshal.Cast<byte, Half>(destination));
                break;
            case SafetensorsDType.BF16:
                SingleToBFloat16(source, MemoryMarshal.Cast<byte, ushort>(destination));
                break;
            default:
                throw new NotSupportedException($"float32 values can be stored as F32, F16 or BF16, not {SafetensorsDTypes.GetName(dtype)}.");
        }
    }

    private static Vector256<uint> RoundToBFloat16(Vector256<uint> bits)
    {
        var rounded = Vector256.ShiftRightLogical(bits + Vector256.Create(0x7FFFu) + (Vector256.ShiftRightLogical(bits, 16) & Vector256<uint>.One), 16);
        var nan = Vector256.GreaterThan(bits & Vector256.Create(0x7FFF_FFFFu), Vector256.Create(0x7F80_0000u));
        return Vector256.ConditionalSelect(nan, Vector256.ShiftRightLogical(bits, 16) | Vector256.Create(0x0040u), rounded);
    }

    private static Vector128<uint> RoundToBFloat16(Vector128<uint> bits)
    {
        var rounded = Vector128.ShiftRightLogical(bits + Vector128.Create(0x7FFFu) + (Vector128.ShiftRightLogical(bits, 16) & Vector128<uint>.One), 16);
        var nan = Vector128.GreaterThan(bits & Vector128.Create(0x7FFF_FFFFu), Vector128.Create(0x7F80_0000u));
        return Vector128.ConditionalSelect(nan, Vector128.ShiftRightLogical(bits, 16) | Vector128.Create(0x0040u), rounded);
    }
}
