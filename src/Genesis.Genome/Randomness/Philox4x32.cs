using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Genesis.Randomness;

/// <summary>Four 32-bit words: a Philox4x32 counter or output block.</summary>
/// <param name="X0">Word 0.</param>
/// <param name="X1">Word 1.</param>
/// <param name="X2">Word 2.</param>
/// <param name="X3">Word 3.</param>
public readonly record struct PhiloxBlock(uint X0, uint X1, uint X2, uint X3)
{
    /// <summary>Word <paramref name="index"/> (0 to 3).</summary>
    /// <param name="index">Which word.</param>
    public uint this[int index] => (index & 3) switch
    {
        0 => X0,
        1 => X1,
        2 => X2,
        _ => X3,
    };
}

/// <summary>
/// The Philox4x32-10 counter-based generator of Salmon, Moraes, Dror and Shaw ("Parallel random numbers: as easy as 1, 2,
/// 3", SC 2011): a keyed bijection of 128-bit counters, ten rounds of two 32×32→64-bit multiplications with a Weyl key
/// schedule. Stateless, so any element's numbers can be computed on any thread or device.
/// </summary>
public static class Philox4x32
{
    private const uint Multiplier0 = 0xD2511F53;
    private const uint Multiplier1 = 0xCD9E8D57;
    private const uint Weyl0 = 0x9E3779B9;
    private const uint Weyl1 = 0xBB67AE85;

    /// <summary>The block of <paramref name="counter"/> under the key <c>(k0, k1)</c>.</summary>
    /// <param name="counter">The counter.</param>
    /// <param name="k0">Key word 0.</param>
    /// <param name="k1">Key word 1.</param>
    public static PhiloxBlock Generate(PhiloxBlock counter, uint k0, uint k1)
    {
        Generate(counter.X0, counter.X1, counter.X2, counter.X3, k0, k1, out var x0, out var x1, out var x2, out var x3);
        return new PhiloxBlock(x0, x1, x2, x3);
    }

    /// <summary>The block of counter <c>(c0, c1, c2, c3)</c> under key <c>(k0, k1)</c>, as four words.</summary>
    /// <param name="c0">Counter word 0.</param>
    /// <param name="c1">Counter word 1.</param>
    /// <param name="c2">Counter word 2.</param>
    /// <param name="c3">Counter word 3.</param>
    /// <param name="k0">Key word 0.</param>
    /// <param name="k1">Key word 1.</param>
    /// <param name="x0">Output word 0.</param>
    /// <param name="x1">Output word 1.</param>
    /// <param name="x2">Output word 2.</param>
    /// <param name="x3">Output word 3.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Generate(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, out uint x0, out uint x1, out uint x2, out uint x3)
    {
        // Ten rounds of (hi(M1·c2) ⊕ c1 ⊕ k0, lo(M1·c2), hi(M0·c0) ⊕ c3 ⊕ k1, lo(M0·c0)), bumping the key by the Weyl
        // constants between rounds. Plain locals (no ref helpers) keep the whole state in registers.
        unchecked
        {
            for (var round = 0; round < 10; round++)
            {
                var product0 = (ulong)Multiplier0 * c0;
                var product1 = (ulong)Multiplier1 * c2;
                c0 = (uint)(product1 >> 32) ^ c1 ^ k0;
                c2 = (uint)(product0 >> 32) ^ c3 ^ k1;
                c1 = (uint)product1;
                c3 = (uint)product0;
                k0 += Weyl0;
                k1 += Weyl1;
            }
        }

        x0 = c0;
        x1 = c1;
        x2 = c2;
        x3 = c3;
    }

    /// <summary>
    /// Two independent blocks at once, <c>(a0..a3)</c> under key <c>(ka0, ka1)</c> and <c>(b0..b3)</c> under <c>(kb0, kb1)</c>:
    /// interleaving the two dependency chains lets the CPU overlap their multiplications. The results equal two calls of
    /// <see cref="Generate(uint, uint, uint, uint, uint, uint, out uint, out uint, out uint, out uint)"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Generate2(
        ref uint a0, ref uint a1, ref uint a2, ref uint a3, uint ka0, uint ka1,
        ref uint b0, ref uint b1, ref uint b2, ref uint b3, uint kb0, uint kb1)
    {
        unchecked
        {
            uint x0 = a0, x1 = a1, x2 = a2, x3 = a3, y0 = b0, y1 = b1, y2 = b2, y3 = b3;
            for (var round = 0; round < 10; round++)
            {
                var px0 = (ulong)Multiplier0 * x0;
                var py0 = (ulong)Multiplier0 * y0;
                var px1 = (ulong)Multiplier1 * x2;
                var py1 = (ulong)Multiplier1 * y2;
                x0 = (uint)(px1 >> 32) ^ x1 ^ ka0;
                y0 = (uint)(py1 >> 32) ^ y1 ^ kb0;
                x2 = (uint)(px0 >> 32) ^ x3 ^ ka1;
                y2 = (uint)(py0 >> 32) ^ y3 ^ kb1;
                x1 = (uint)px1;
                y1 = (uint)py1;
                x3 = (uint)px0;
                y3 = (uint)py0;
                ka0 += Weyl0;
                ka1 += Weyl1;
                kb0 += Weyl0;
                kb1 += Weyl1;
            }

            a0 = x0;
            a1 = x1;
            a2 = x2;
            a3 = x3;
            b0 = y0;
            b1 = y1;
            b2 = y2;
            b3 = y3;
        }
    }

    /// <summary>Whether <see cref="Generate8"/> runs (AVX2); callers use a scalar path with the same results otherwise.</summary>
    internal static bool IsVectorized => Avx2.IsSupported;

    /// <summary>
    /// The eight blocks of counters <c>(c0 + l, c1, c2, c3)</c>, <c>l = 0..7</c>, under key <c>(k0, k1)</c>, word by word:
    /// lane l of <paramref name="x0"/> is word 0 of counter l, and so on. The caller keeps <c>c0 + 7</c> below 2³², and
    /// the results equal eight calls of <see cref="Generate(uint, uint, uint, uint, uint, uint, out uint, out uint, out uint, out uint)"/>.
    /// Requires <see cref="IsVectorized"/>.
    /// </summary>
    /// <remarks>
    /// One counter per 64-bit lane, in its low half: <c>vpmuludq</c> multiplies the low halves into the full 64-bit
    /// product, whose high half is the Philox "hi" and whose low half is the "lo". The high halves of the lanes carry
    /// garbage between rounds, which never reaches a low half (xors and the multiplier ignore them) and is dropped by the
    /// final narrowing.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Generate8(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, out Vector256<uint> x0, out Vector256<uint> x1, out Vector256<uint> x2, out Vector256<uint> x3)
    {
        var first = Vector256.Create((ulong)c0);
        var a0 = first + Vector256.Create(0UL, 1UL, 2UL, 3UL);
        var b0 = first + Vector256.Create(4UL, 5UL, 6UL, 7UL);
        var a1 = Vector256.Create((ulong)c1);
        var b1 = a1;
        var a2 = Vector256.Create((ulong)c2);
        var b2 = a2;
        var a3 = Vector256.Create((ulong)c3);
        var b3 = a3;
        var key0 = Vector256.Create((ulong)k0);
        var key1 = Vector256.Create((ulong)k1);
        var multiplier0 = Vector256.Create((ulong)Multiplier0).AsUInt32();
        var multiplier1 = Vector256.Create((ulong)Multiplier1).AsUInt32();
        var weyl0 = Vector256.Create((ulong)Weyl0);
        var weyl1 = Vector256.Create((ulong)Weyl1);
        for (var round = 0; round < 10; round++)
        {
            var pa0 = Avx2.Multiply(a0.AsUInt32(), multiplier0);
            var pb0 = Avx2.Multiply(b0.AsUInt32(), multiplier0);
            var pa1 = Avx2.Multiply(a2.AsUInt32(), multiplier1);
            var pb1 = Avx2.Multiply(b2.AsUInt32(), multiplier1);
            a0 = Vector256.ShiftRightLogical(pa1, 32) ^ a1 ^ key0;
            b0 = Vector256.ShiftRightLogical(pb1, 32) ^ b1 ^ key0;
            a2 = Vector256.ShiftRightLogical(pa0, 32) ^ a3 ^ key1;
            b2 = Vector256.ShiftRightLogical(pb0, 32) ^ b3 ^ key1;
            a1 = pa1;
            b1 = pb1;
            a3 = pa0;
            b3 = pb0;
            key0 += weyl0;
            key1 += weyl1;
        }

        x0 = Vector256.Narrow(a0, b0);
        x1 = Vector256.Narrow(a1, b1);
        x2 = Vector256.Narrow(a2, b2);
        x3 = Vector256.Narrow(a3, b3);
    }
}
