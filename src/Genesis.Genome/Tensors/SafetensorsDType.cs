namespace Genesis.Tensors;

/// <summary>
/// The element types of the safetensors format, named as in the file header (<c>"F32"</c>, <c>"BF16"</c>, ...).
/// The numeric order is the reference implementation's: by increasing alignment, so a writer that sorts by
/// descending value (then by name) keeps every tensor aligned to its element size.
/// </summary>
public enum SafetensorsDType
{
    /// <summary>Boolean, one byte per element (<c>"BOOL"</c>).</summary>
    Bool = 0,

    /// <summary>4-bit float E2M1, two elements per byte (<c>"F4"</c>).</summary>
    F4 = 1,

    /// <summary>6-bit float E2M3 (<c>"F6_E2M3"</c>).</summary>
    F6E2M3 = 2,

    /// <summary>6-bit float E3M2 (<c>"F6_E3M2"</c>).</summary>
    F6E3M2 = 3,

    /// <summary>Unsigned 8-bit integer (<c>"U8"</c>).</summary>
    U8 = 4,

    /// <summary>Signed 8-bit integer (<c>"I8"</c>).</summary>
    I8 = 5,

    /// <summary>8-bit float E5M2 (<c>"F8_E5M2"</c>).</summary>
    F8E5M2 = 6,

    /// <summary>8-bit float E4M3 (<c>"F8_E4M3"</c>).</summary>
    F8E4M3 = 7,

    /// <summary>8-bit exponent-only scale E8M0 (<c>"F8_E8M0"</c>).</summary>
    F8E8M0 = 8,

    /// <summary>Signed 16-bit integer (<c>"I16"</c>).</summary>
    I16 = 9,

    /// <summary>Unsigned 16-bit integer (<c>"U16"</c>).</summary>
    U16 = 10,

    /// <summary>IEEE 754 half precision (<c>"F16"</c>), <see cref="System.Half"/>.</summary>
    F16 = 11,

    /// <summary>bfloat16 (<c>"BF16"</c>): the upper 16 bits of a float32.</summary>
    BF16 = 12,

    /// <summary>Signed 32-bit integer (<c>"I32"</c>).</summary>
    I32 = 13,

    /// <summary>Unsigned 32-bit integer (<c>"U32"</c>).</summary>
    U32 = 14,

    /// <summary>IEEE 754 single precision (<c>"F32"</c>).</summary>
    F32 = 15,

    /// <summary>Complex number of two float32 (<c>"C64"</c>).</summary>
    C64 = 16,

    /// <summary>IEEE 754 double precision (<c>"F64"</c>).</summary>
    F64 = 17,

    /// <summary>Signed 64-bit integer (<c>"I64"</c>).</summary>
    I64 = 18,

    /// <summary>Unsigned 64-bit integer (<c>"U64"</c>).</summary>
    U64 = 19,
}

/// <summary>Sizes and header names of <see cref="SafetensorsDType"/> values.</summary>
public static class SafetensorsDTypes
{
    private static readonly string[] Names =
    [
        "BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "I16", "U16",
        "F16", "BF16", "I32", "U32", "F32", "C64", "F64", "I64", "U64",
    ];

    private static readonly byte[] Bits = [8, 4, 6, 6, 8, 8, 8, 8, 8, 16, 16, 16, 16, 32, 32, 32, 64, 64, 64, 64];

    /// <summary>The dtype's name in a safetensors header, for example <c>"BF16"</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined dtype.</exception>
    public static string GetName(SafetensorsDType dtype) => Names[CheckedIndex(dtype)];

    /// <summary>The number of bits one element occupies (4 and 6 for the sub-byte float formats).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined dtype.</exception>
    public static int GetBitSize(SafetensorsDType dtype) => Bits[CheckedIndex(dtype)];

    /// <summary>The number of bytes one element occupies, or 0 for the sub-byte formats (F4, F6).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined dtype.</exception>
    public static int GetByteSize(SafetensorsDType dtype) => GetBitSize(dtype) % 8 == 0 ? GetBitSize(dtype) / 8 : 0;

    /// <summary>Parses a header dtype name (case-sensitive, as the format requires).</summary>
    /// <param name="name">The name, for example <c>"F16"</c>.</param>
    /// <param name="dtype">The dtype when the name is known.</param>
    /// <returns>Whether the name is a known dtype.</returns>
    public static bool TryParse(ReadOnlySpan<char> name, out SafetensorsDType dtype)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (name.SequenceEqual(Names[i]))
            {
                dtype = (SafetensorsDType)i;
                return true;
            }
        }

        dtype = default;
        return false;
    }

    /// <summary>Whether <see cref="SafetensorsFile.ReadSingles(string, Span{float})"/> converts this dtype to float32:
    /// every float and integer dtype except the 8-bit and sub-byte floats and the complex type.</summary>
    public static bool IsConvertibleToSingle(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16 or SafetensorsDType.F64 => true,
        SafetensorsDType.I64 or SafetensorsDType.I32 or SafetensorsDType.I16 or SafetensorsDType.I8 => true,
        SafetensorsDType.U64 or SafetensorsDType.U32 or SafetensorsDType.U16 or SafetensorsDType.U8 => true,
        SafetensorsDType.Bool => true,
        _ => false,
    };

    private static int CheckedIndex(SafetensorsDType dtype)
    {
        var index = (int)dtype;
        if ((uint)index >= (uint)Names.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Not a safetensors dtype.");
        }

        return index;
    }
}
