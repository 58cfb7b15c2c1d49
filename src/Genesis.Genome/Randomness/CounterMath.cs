using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Genesis.Randomness;

/// <summary>
/// The logarithm and Box–Muller trigonometry of the fused noise domains (4 and 5 of <see cref="CounterRandom"/>), written
/// only with IEEE-754 single-precision additions, multiplications, one division, square roots and integer operations,
/// each rounded once and evaluated in a fixed order (no fused multiply-add). The scalar and the vector forms therefore give
/// the same bits, and so does any device that evaluates the same expressions without contracting them (OpenCL:
/// <c>#pragma OPENCL FP_CONTRACT OFF</c>, correctly rounded division and square root).
/// </summary>
/// <remarks>
/// <para>
/// <c>ln x</c> for <c>x ∈ (0, 1]</c>: write <c>x = 2^e·m</c> with <c>m ∈ [√½, √2)</c> taken from the bits of x, then
/// <c>f = m − 1</c> (exact), <c>s = f/(f + 2)</c>, <c>t = s + s·(s²·(1/3 + s²·(1/5 + s²·(1/7 + s²·(1/9)))))</c> (the
/// series of <c>atanh s</c>, |s| ≤ 0.172, truncated after s⁹: error below 10⁻⁹; the coefficients are the floats nearest
/// 1/3, 1/5, 1/7 and 1/9) and <c>ln x = e·ln2_hi + (e·ln2_lo + (t + t))</c> with <c>ln2_hi = 0x3F317200</c>. The result
/// is within a few ulps of the true logarithm. Every expression is evaluated exactly in the order written in the code.
/// </para>
/// <para>
/// The angle of a 24-bit integer <c>k</c> is <c>θ = 2π·k/2²⁴</c>. The nearest quarter turn is taken exactly in integers,
/// <c>n = (k + 2²¹) &gt;&gt; 22</c>, leaving <c>φ = (k − n·2²²)·(π·2⁻²³) ∈ [−π/4, π/4]</c> (one rounding), on which
/// <c>sin φ</c> and <c>cos φ</c> are their Taylor polynomials through φ⁹ and φ¹⁰; quadrant <c>n &amp; 3</c> then swaps
/// and negates them.
/// </para>
/// </remarks>
internal static class CounterMath
{
    private const float Ln2High = 0.693145751953125f;
    private const float Ln2Low = 1.42860677e-06f;
    private const float Third = 1f / 3f;
    private const float Fifth = 1f / 5f;
    private const float Seventh = 1f / 7f;
    private const float Ninth = 1f / 9f;
    private const float Sin3 = -1f / 6f;
    private const float Sin5 = 1f / 120f;
    private const float Sin7 = -1f / 5040f;
    private const float Sin9 = 1f / 362880f;
    private const float Cos2 = -0.5f;
    private const float Cos4 = 1f / 24f;
    private const float Cos6 = -1f / 720f;
    private const float Cos8 = 1f / 40320f;
    private const float Cos10 = -1f / 3628800f;

    /// <summary>π·2⁻²³: one step of a 24-bit angle, 2π/2²⁴.</summary>
    private const float AngleStep = MathF.PI / 8388608f;

    /// <summary>The bits of √2 rounded down: mantissas above it are halved.</summary>
    private const int SqrtTwoBits = 0x3FB504F3;

    /// <summary>2⁻²⁴.</summary>
    private const float Unit24 = 1f / 16777216f;

    /// <summary>2³⁰, the cap of a gap (any gap that large leaves a block).</summary>
    private const float MaxGap = 1073741824f;

    /// <summary>The natural logarithm of <paramref name="x"/>, a normal float in (0, 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Ln(float x)
    {
        var bits = BitConverter.SingleToInt32Bits(x);
        var exponent = (bits >> 23) - 127;
        var mantissa = (bits & 0x007FFFFF) | 0x3F800000;
        if (mantissa > SqrtTwoBits)
        {
            mantissa -= 0x00800000;
            exponent += 1;
        }

        var f = BitConverter.Int32BitsToSingle(mantissa) - 1f;
        var s = f / (f + 2f);
        var s2 = s * s;
        var series = s + (s * (s2 * (Third + (s2 * (Fifth + (s2 * (Seventh + (s2 * Ninth))))))));
        var e = (float)exponent;
        return (e * Ln2High) + ((e * Ln2Low) + (series + series));
    }

    /// <inheritdoc cref="Ln(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Ln(Vector256<float> x)
    {
        var bits = x.AsInt32();
        var exponent = Vector256.ShiftRightArithmetic(bits, 23) - Vector256.Create(127);
        var mantissa = (bits & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F800000);
        var big = Vector256.GreaterThan(mantissa, Vector256.Create(SqrtTwoBits));
        mantissa -= big & Vector256.Create(0x00800000);
        exponent -= big; // a true lane is −1
        var f = mantissa.AsSingle() - Vector256<float>.One;
        var s = f / (f + Vector256.Create(2f));
        var s2 = s * s;
        var series = s + (s * (s2 * (Vector256.Create(Third) + (s2 * (Vector256.Create(Fifth) + (s2 * (Vector256.Create(Seventh) + (s2 * Vector256.Create(Ninth)))))))));
        var e = Vector256.ConvertToSingle(exponent);
        return (e * Vector256.Create(Ln2High)) + ((e * Vector256.Create(Ln2Low)) + (series + series));
    }

    /// <summary>
    /// The Box–Muller pair of the words <paramref name="radiusWord"/> and <paramref name="angleWord"/>:
    /// <c>r = √(−2 ln u₁)</c> with <c>u₁ = ((w₁ &gt;&gt; 8) + 1)·2⁻²⁴ ∈ (0, 1]</c> and <c>θ = 2π·(w₂ &gt;&gt; 8)·2⁻²⁴</c>;
    /// <paramref name="first"/> is <c>r·cos θ</c>, <paramref name="second"/> is <c>r·sin θ</c> (|z| ≤ 5.77).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Normals(uint radiusWord, uint angleWord, out float first, out float second)
    {
        var radius = MathF.Sqrt(-2f * Ln(((int)(radiusWord >> 8) + 1) * Unit24));
        var k = (int)(angleWord >> 8);
        var quarter = (k + 0x200000) >> 22;
        var phi = (k - (quarter << 22)) * AngleStep;
        var p2 = phi * phi;
        var sin = phi + (phi * (p2 * (Sin3 + (p2 * (Sin5 + (p2 * (Sin7 + (p2 * Sin9))))))));
        var cos = 1f + (p2 * (Cos2 + (p2 * (Cos4 + (p2 * (Cos6 + (p2 * (Cos8 + (p2 * Cos10)))))))));
        var swap = (quarter & 1) != 0;
        var sinBits = BitConverter.SingleToInt32Bits(swap ? cos : sin) ^ ((quarter & 2) << 30);
        var cosBits = BitConverter.SingleToInt32Bits(swap ? sin : cos) ^ (((quarter + 1) & 2) << 30);
        first = radius * BitConverter.Int32BitsToSingle(cosBits);
        second = radius * BitConverter.Int32BitsToSingle(sinBits);
    }

    /// <inheritdoc cref="Normals(uint, uint, out float, out float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Normals(Vector256<uint> radiusWord, Vector256<uint> angleWord, out Vector256<float> first, out Vector256<float> second)
    {
        var u1 = Vector256.ConvertToSingle(Vector256.ShiftRightLogical(radiusWord, 8).AsInt32() + Vector256<int>.One) * Vector256.Create(Unit24);
        var radius = Vector256.Sqrt(Vector256.Create(-2f) * Ln(u1));
        var k = Vector256.ShiftRightLogical(angleWord, 8).AsInt32();
        var quarter = Vector256.ShiftRightArithmetic(k + Vector256.Create(0x200000), 22);
        var phi = Vector256.ConvertToSingle(k - Vector256.ShiftLeft(quarter, 22)) * Vector256.Create(AngleStep);
        var p2 = phi * phi;
        var sin = phi + (phi * (p2 * (Vector256.Create(Sin3) + (p2 * (Vector256.Create(Sin5) + (p2 * (Vector256.Create(Sin7) + (p2 * Vector256.Create(Sin9)))))))));
        var cos = Vector256<float>.One + (p2 * (Vector256.Create(Cos2) + (p2 * (Vector256.Create(Cos4) + (p2 * (Vector256.Create(Cos6) + (p2 * (Vector256.Create(Cos8) + (p2 * Vector256.Create(Cos10))))))))));
        var swap = Vector256.Equals(quarter & Vector256<int>.One, Vector256<int>.One).AsSingle();
        var sinSign = Vector256.ShiftLeft(quarter & Vector256.Create(2), 30).AsSingle();
        var cosSign = Vector256.ShiftLeft((quarter + Vector256<int>.One) & Vector256.Create(2), 30).AsSingle();
        first = radius * (Vector256.ConditionalSelect(swap, sin, cos) ^ cosSign);
        second = radius * (Vector256.ConditionalSelect(swap, cos, sin) ^ sinSign);
    }

    /// <summary>
    /// The geometric gap of a 32-bit word: <c>⌊ln U · inverseLogFailure⌋</c>, capped at 2³⁰, for <c>U = (w + 1)·2⁻³²</c>.
    /// </summary>
    /// <remarks>
    /// ln U is taken from whichever of <c>U</c> and <c>V = 1 − U = (~w)·2⁻³²</c> a float holds precisely: with
    /// <c>V = ((~w &gt;&gt; 8) + (~w &amp; 255)/256)·2⁻²⁴</c>, when <c>V &lt; ¼</c> it is <c>2·atanh(f/(f + 2))</c> of
    /// <c>f = −V</c> (the same series as <see cref="Ln(float)"/>, exponent 0), so gaps stay exact to a relative 10⁻⁷ for any
    /// rate however small; otherwise it is <see cref="Ln(float)"/> of <c>U = ((w &gt;&gt; 8) + ((w &amp; 255) + 1)/256)·2⁻²⁴</c>.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Gap(uint word, float inverseLogFailure)
    {
        var complement = ~word;
        var v = ((int)(complement >> 8) + ((int)(complement & 255) * (1f / 256f))) * Unit24;
        float f, e;
        if (v < 0.25f)
        {
            f = -v;
            e = 0f;
        }
        else
        {
            var u = ((int)(word >> 8) + ((int)((word & 255) + 1) * (1f / 256f))) * Unit24;
            var bits = BitConverter.SingleToInt32Bits(u);
            var exponent = (bits >> 23) - 127;
            var mantissa = (bits & 0x007FFFFF) | 0x3F800000;
            if (mantissa > SqrtTwoBits)
            {
                mantissa -= 0x00800000;
                exponent += 1;
            }

            f = BitConverter.Int32BitsToSingle(mantissa) - 1f;
            e = exponent;
        }

        var s = f / (f + 2f);
        var s2 = s * s;
        var series = s + (s * (s2 * (Third + (s2 * (Fifth + (s2 * (Seventh + (s2 * Ninth))))))));
        var ln = (e * Ln2High) + ((e * Ln2Low) + (series + series));
        return (int)MathF.Min(MathF.Floor(ln * inverseLogFailure), MaxGap);
    }

    /// <inheritdoc cref="Gap(uint, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Gap(Vector256<uint> word, Vector256<float> inverseLogFailure)
    {
        var complement = ~word;
        var v = (Vector256.ConvertToSingle(Vector256.ShiftRightLogical(complement, 8).AsInt32())
            + (Vector256.ConvertToSingle((complement & Vector256.Create(255u)).AsInt32()) * Vector256.Create(1f / 256f))) * Vector256.Create(Unit24);
        var u = (Vector256.ConvertToSingle(Vector256.ShiftRightLogical(word, 8).AsInt32())
            + (Vector256.ConvertToSingle((word & Vector256.Create(255u)).AsInt32() + Vector256<int>.One) * Vector256.Create(1f / 256f))) * Vector256.Create(Unit24);
        var bits = u.AsInt32();
        var exponent = Vector256.ShiftRightArithmetic(bits, 23) - Vector256.Create(127);
        var mantissa = (bits & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F800000);
        var big = Vector256.GreaterThan(mantissa, Vector256.Create(SqrtTwoBits));
        mantissa -= big & Vector256.Create(0x00800000);
        exponent -= big;
        var near = Vector256.LessThan(v, Vector256.Create(0.25f));
        var f = Vector256.ConditionalSelect(near, -v, mantissa.AsSingle() - Vector256<float>.One);
        var e = Vector256.ConditionalSelect(near, Vector256<float>.Zero, Vector256.ConvertToSingle(exponent));
        var s = f / (f + Vector256.Create(2f));
        var s2 = s * s;
        var series = s + (s * (s2 * (Vector256.Create(Third) + (s2 * (Vector256.Create(Fifth) + (s2 * (Vector256.Create(Seventh) + (s2 * Vector256.Create(Ninth)))))))));
        var ln = (e * Vector256.Create(Ln2High)) + ((e * Vector256.Create(Ln2Low)) + (series + series));
        // The floor is in [0, 2³⁰] (never NaN), where the plain instructions agree with MathF.Min and the (int) cast.
        return Vector256.ConvertToInt32Native(Vector256.MinNative(Vector256.Floor(ln * inverseLogFailure), Vector256.Create(MaxGap)));
    }
}
