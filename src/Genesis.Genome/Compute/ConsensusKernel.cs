using System.Numerics;
using System.Runtime.CompilerServices;

namespace Genesis.Compute;

/// <summary>
/// Trim, sign election and disjoint mean in one branchless pass (see <see cref="ConsensusMergeArguments"/>).
/// </summary>
/// <remarks>
/// Per element, in this order on every path (general vector, two-input vector, scalar tail), so an element gets the same
/// bits whichever path and chunk computes it:
/// <code>
/// t_i  = keep_i ? x_i : 0;   E_i = t_i·e_i
/// None:       mix = t_0·m_0 + t_1·m_1 + …  (left to right);  normalise: mix·(1/D)
/// Sum/Count:  vote = s_0 + s_1 + …  (s_i = E_i, or sign E_i);  up = vote ≥ 0;  a_i = up ? E_i &gt; 0 : E_i &lt; 0
///             mix = (a_0 ? t_0·m_0 : 0) + (a_1 ? t_1·m_1 : 0) + …
///             normalise: div = (a_0 ? d_0 : 0) + …;  mix·(1/(div = 0 ? 1 : div))
/// then mix·λ (skipped when λ = 1, which is exact) and + base.
/// </code>
/// With two inputs the divisor can only take four values, so their reciprocals are computed once and selected by the
/// agreement masks: no division per element.
/// </remarks>
internal sealed unsafe class ConsensusKernel
{
    public required float*[] Inputs { get; init; }

    public required float[] Lower { get; init; }

    public required float[] Upper { get; init; }

    public required float[] Election { get; init; }

    public required float[] Mix { get; init; }

    public required float[] Divisor { get; init; }

    public required SignConsensus Consensus { get; init; }

    public required bool Normalize { get; init; }

    public required float Scale { get; init; }

    /// <summary>Without a consensus, the constant divisor Σd (1 when |Σd| &lt; 1e-8, or when not normalising).</summary>
    public required float ConstantDivisor { get; init; }

    public required float* Base { get; init; }

    public required float* Destination { get; init; }

    /// <summary>Whether to write with streaming stores (see <see cref="StreamingStores"/>); never changes a value.</summary>
    public bool Streaming { get; init; }

    public void Run(int start, int count)
    {
        var k = Inputs.Length;
        fixed (float** inputs = Inputs)
        fixed (float* lower = Lower, upper = Upper, election = Election, mix = Mix, divisor = Divisor)
        {
            var j = start;
            var end = start + count;
            var streaming = Streaming && Vector.IsHardwareAccelerated && StreamingStores.IsSupported;
            if (streaming)
            {
                // Scalar elements up to the first aligned vector: the same values, by the order documented above.
                for (var head = Math.Min(end, start + StreamingStores.Head(Destination + start)); j < head; j++)
                {
                    Destination[j] = Element(inputs, lower, upper, election, mix, divisor, k, j);
                }
            }

            if (Vector.IsHardwareAccelerated)
            {
                j = k == 2 && Consensus != SignConsensus.None
                    ? RunVectorTwo(inputs[0], inputs[1], j, end, streaming)
                    : RunVector(inputs, lower, upper, election, mix, divisor, k, j, end, streaming);
            }

            for (; j < end; j++)
            {
                Destination[j] = Element(inputs, lower, upper, election, mix, divisor, k, j);
            }

            if (streaming)
            {
                StreamingStores.Fence();
            }
        }
    }

    /// <summary><c>1/(d = 0 ? 1 : d)</c>: the normalisation factor for a divisor sum <paramref name="divisor"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Reciprocal(float divisor) => 1f / (divisor == 0f ? 1f : divisor);

    private int RunVector(float** inputs, float* lower, float* upper, float* election, float* mixWeights, float* divisorWeights, int k, int start, int end, bool streaming)
    {
        var zero = Vector<float>.Zero;
        var one = Vector<float>.One;
        var scale = new Vector<float>(Scale);
        var constantFactor = new Vector<float>(1f / ConstantDivisor);
        var consensus = Consensus;
        var normalize = Normalize;
        var applyScale = Scale != 1f;
        var width = Vector<float>.Count;
        var j = start;
        for (; j <= end - width; j += width)
        {
            Vector<float> mix;
            if (consensus == SignConsensus.None)
            {
                mix = Trim(inputs[0] + j, lower[0], upper[0]) * new Vector<float>(mixWeights[0]);
                for (var i = 1; i < k; i++)
                {
                    mix += Trim(inputs[i] + j, lower[i], upper[i]) * new Vector<float>(mixWeights[i]);
                }

                if (normalize)
                {
                    mix *= constantFactor;
                }
            }
            else
            {
                var vote = Vote(Trim(inputs[0] + j, lower[0], upper[0]) * new Vector<float>(election[0]), consensus, one, zero);
                for (var i = 1; i < k; i++)
                {
                    vote += Vote(Trim(inputs[i] + j, lower[i], upper[i]) * new Vector<float>(election[i]), consensus, one, zero);
                }

                var up = Vector.GreaterThanOrEqual(vote, zero);
                mix = zero;
                var divisor = zero;
                for (var i = 0; i < k; i++)
                {
                    var kept = Trim(inputs[i] + j, lower[i], upper[i]);
                    var elected = kept * new Vector<float>(election[i]);
                    var agrees = Vector.ConditionalSelect(up, Vector.GreaterThan(elected, zero), Vector.LessThan(elected, zero));
                    var term = Vector.ConditionalSelect(agrees, kept * new Vector<float>(mixWeights[i]), zero);
                    var weight = Vector.ConditionalSelect(agrees, new Vector<float>(divisorWeights[i]), zero);
                    mix = i == 0 ? term : mix + term;
                    divisor = i == 0 ? weight : divisor + weight;
                }

                if (normalize)
                {
                    mix *= one / Vector.ConditionalSelect(Vector.Equals(divisor, zero), one, divisor);
                }
            }

            if (applyScale)
            {
                mix *= scale;
            }

            if (Base != null)
            {
                mix += Vector.Load(Base + j);
            }

            StreamingStores.Store(mix, Destination + j, streaming);
        }

        return j;
    }

    /// <summary>
    /// Two inputs with an election, each loaded once and with the four possible normalisation factors selected by mask;
    /// the same values as <see cref="RunVector"/> and the scalar tail. The switches that stay fixed for a call are type
    /// arguments, so the JIT compiles a loop without their branches (and without the election products when both election
    /// weights are 1, where <c>t·1 = t</c> exactly).
    /// </summary>
    private int RunVectorTwo(float* x0, float* x1, int start, int end, bool streaming) =>
        Consensus == SignConsensus.Count ? TwoNormalize<Yes>(x0, x1, start, end, streaming) : TwoNormalize<No>(x0, x1, start, end, streaming);

    private int TwoNormalize<TCount>(float* x0, float* x1, int start, int end, bool streaming)
        where TCount : struct, ISwitch =>
        Normalize ? TwoElection<TCount, Yes>(x0, x1, start, end, streaming) : TwoElection<TCount, No>(x0, x1, start, end, streaming);

    private int TwoElection<TCount, TNormalize>(float* x0, float* x1, int start, int end, bool streaming)
        where TCount : struct, ISwitch
        where TNormalize : struct, ISwitch =>
        Election[0] == 1f && Election[1] == 1f
            ? TwoStreaming<TCount, TNormalize, Yes>(x0, x1, start, end, streaming)
            : TwoStreaming<TCount, TNormalize, No>(x0, x1, start, end, streaming);

    private int TwoStreaming<TCount, TNormalize, TUnitElection>(float* x0, float* x1, int start, int end, bool streaming)
        where TCount : struct, ISwitch
        where TNormalize : struct, ISwitch
        where TUnitElection : struct, ISwitch =>
        streaming
            ? LoopTwo<TCount, TNormalize, TUnitElection, Yes>(x0, x1, start, end)
            : LoopTwo<TCount, TNormalize, TUnitElection, No>(x0, x1, start, end);

    private int LoopTwo<TCount, TNormalize, TUnitElection, TStreaming>(float* x0, float* x1, int start, int end)
        where TCount : struct, ISwitch
        where TNormalize : struct, ISwitch
        where TUnitElection : struct, ISwitch
        where TStreaming : struct, ISwitch
    {
        // The divisor sums (a_0 ? d_0 : 0) + (a_1 ? d_1 : 0) of the four agreement patterns, as the general path adds them.
        var onlyFirstFactor = Reciprocal(Divisor[0] + 0f);
        var onlySecondFactor = Reciprocal(0f + Divisor[1]);
        var bothFactor = Reciprocal(Divisor[0] + Divisor[1]);
        var zero = Vector<float>.Zero;
        var one = Vector<float>.One;
        var lower0 = new Vector<float>(Lower[0]);
        var lower1 = new Vector<float>(Lower[1]);
        var upper0 = new Vector<float>(Upper[0]);
        var upper1 = new Vector<float>(Upper[1]);
        var election0 = new Vector<float>(Election[0]);
        var election1 = new Vector<float>(Election[1]);
        var mix0 = new Vector<float>(Mix[0]);
        var mix1 = new Vector<float>(Mix[1]);
        var onlyFirst = new Vector<float>(onlyFirstFactor);
        var onlySecond = new Vector<float>(onlySecondFactor);
        var both = new Vector<float>(bothFactor);
        var scale = new Vector<float>(Scale);
        var applyScale = Scale != 1f;
        var reference = Base;
        var destination = Destination;
        var width = Vector<float>.Count;
        var j = start;
        for (; j <= end - width; j += width)
        {
            var v0 = Vector.Load(x0 + j);
            var v1 = Vector.Load(x1 + j);
            var m0 = Vector.Abs(v0);
            var m1 = Vector.Abs(v1);
            var t0 = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(m0, lower0) & Vector.LessThan(m0, upper0), v0, zero);
            var t1 = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(m1, lower1) & Vector.LessThan(m1, upper1), v1, zero);
            var e0 = TUnitElection.On ? t0 : t0 * election0;
            var e1 = TUnitElection.On ? t1 : t1 * election1;
            var positive0 = Vector.GreaterThan(e0, zero);
            var negative0 = Vector.LessThan(e0, zero);
            var positive1 = Vector.GreaterThan(e1, zero);
            var negative1 = Vector.LessThan(e1, zero);
            var vote = TCount.On
                ? (Vector.ConditionalSelect(positive0, one, zero) - Vector.ConditionalSelect(negative0, one, zero))
                    + (Vector.ConditionalSelect(positive1, one, zero) - Vector.ConditionalSelect(negative1, one, zero))
                : e0 + e1;
            var up = Vector.GreaterThanOrEqual(vote, zero);
            var agree0 = Vector.ConditionalSelect(up, positive0, negative0);
            var agree1 = Vector.ConditionalSelect(up, positive1, negative1);
            var mix = Vector.ConditionalSelect(agree0, t0 * mix0, zero) + Vector.ConditionalSelect(agree1, t1 * mix1, zero);
            if (TNormalize.On)
            {
                mix *= Vector.ConditionalSelect(agree0, Vector.ConditionalSelect(agree1, both, onlyFirst), Vector.ConditionalSelect(agree1, onlySecond, one));
            }

            if (applyScale)
            {
                mix *= scale;
            }

            if (reference != null)
            {
                mix += Vector.Load(reference + j);
            }

            StreamingStores.Store(mix, destination + j, TStreaming.On);
        }

        return j;
    }

    private static Vector<float> Vote(Vector<float> elected, SignConsensus consensus, Vector<float> one, Vector<float> zero) =>
        consensus == SignConsensus.Sum
            ? elected
            : Vector.ConditionalSelect(Vector.GreaterThan(elected, zero), one, zero) - Vector.ConditionalSelect(Vector.LessThan(elected, zero), one, zero);

    private static Vector<float> Trim(float* x, float lower, float upper)
    {
        var value = Vector.Load(x);
        var magnitude = Vector.Abs(value);
        var keep = Vector.GreaterThanOrEqual(magnitude, new Vector<float>(lower)) & Vector.LessThan(magnitude, new Vector<float>(upper));
        return Vector.ConditionalSelect(keep, value, Vector<float>.Zero);
    }

    private float Element(float** inputs, float* lower, float* upper, float* election, float* mixWeights, float* divisorWeights, int k, int j)
    {
        float mix;
        if (Consensus == SignConsensus.None)
        {
            mix = Trim(inputs[0][j], lower[0], upper[0]) * mixWeights[0];
            for (var i = 1; i < k; i++)
            {
                mix += Trim(inputs[i][j], lower[i], upper[i]) * mixWeights[i];
            }

            if (Normalize)
            {
                mix *= 1f / ConstantDivisor;
            }
        }
        else
        {
            var vote = Vote(Trim(inputs[0][j], lower[0], upper[0]) * election[0]);
            for (var i = 1; i < k; i++)
            {
                vote += Vote(Trim(inputs[i][j], lower[i], upper[i]) * election[i]);
            }

            var up = vote >= 0f;
            mix = 0f;
            var divisor = 0f;
            for (var i = 0; i < k; i++)
            {
                var kept = Trim(inputs[i][j], lower[i], upper[i]);
                var elected = kept * election[i];
                var agrees = up ? elected > 0f : elected < 0f;
                var term = agrees ? kept * mixWeights[i] : 0f;
                var weight = agrees ? divisorWeights[i] : 0f;
                mix = i == 0 ? term : mix + term;
                divisor = i == 0 ? weight : divisor + weight;
            }

            if (Normalize)
            {
                mix *= Reciprocal(divisor);
            }
        }

        if (Scale != 1f)
        {
            mix *= Scale;
        }

        if (Base != null)
        {
            mix += Base[j];
        }

        return mix;
    }

    private float Vote(float elected) =>
        Consensus == SignConsensus.Sum ? elected : (elected > 0f ? 1f : 0f) - (elected < 0f ? 1f : 0f);

    private static float Trim(float value, float lower, float upper)
    {
        var magnitude = MathF.Abs(value);
        return magnitude >= lower && magnitude < upper ? value : 0f;
    }

    /// <summary>A switch fixed for a whole loop, as a type argument: the JIT compiles one loop per combination.</summary>
    private interface ISwitch
    {
        static abstract bool On { get; }
    }

    private readonly struct Yes : ISwitch
    {
        public static bool On => true;
    }

    private readonly struct No : ISwitch
    {
        public static bool On => false;
    }
}
