using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Genesis.Merging;

/// <summary>
/// Merges LoRA modules in ΔW space: the mix <c>M = Σ_i w_i·s_i·B_i·A_i</c> is re-factorised to rank r by a truncated SVD
/// <c>M ≈ U_r·S_r·V_rᵀ</c>, returned as <c>B′ = U_r·√S_r / √s′</c> and <c>A′ = √S_r·V_rᵀ / √s′</c> (the singular values split
/// evenly between the factors). When the mix has rank ≤ r the product reproduces it to rounding.
/// </summary>
/// <remarks>
/// <para>Never forms the <c>[out, in]</c> matrix when it can avoid it: with <c>R = Σ r_i</c>, <c>M = P·Qᵀ</c> where
/// <c>P = [c_i·B_i]</c> is <c>[out, R]</c> and <c>Q = [A_iᵀ]</c> is <c>[in, R]</c>; thin QR factorisations
/// <c>P = Q_P·R_P</c>, <c>Q = Q_Q·R_Q</c> reduce the SVD to the small <c>R×R</c> matrix <c>R_P·R_Qᵀ</c>. That costs
/// <c>O((out + in)·R²)</c> instead of PEFT's <c>O(out·in·min(out, in))</c>. Only when R exceeds <c>out</c> or <c>in</c> is
/// the dense matrix formed. Arithmetic is in double; the result is stored in float32.</para>
/// <para>Signs are made canonical (each left singular vector's largest entry is positive), so the factors do not depend
/// on the SVD routine's sign choices.</para>
/// </remarks>
public sealed class SvdMerge
{
    private const string Name = nameof(SvdMerge);

    /// <summary>Creates the operator.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public SvdMerge(SvdMergeOptions? options = null)
    {
        Options = options ?? new SvdMergeOptions();
        Options.Validate();
    }

    /// <summary>The options.</summary>
    public SvdMergeOptions Options { get; }

    /// <summary>The rank-<see cref="SvdMergeOptions.Rank"/> factors of the weighted ΔW mix of <paramref name="parents"/>.</summary>
    /// <param name="parents">The same module of each parent adapter: equal in and out widths; ranks may differ.</param>
    /// <param name="weights">One weight per parent, or <see langword="null"/> for 1 each.</param>
    /// <returns>Factors of rank <see cref="SvdMergeOptions.Rank"/> with scaling <see cref="SvdMergeOptions.OutputScaling"/>.</returns>
    /// <exception cref="ArgumentException">The parents do not share shapes, or the weights do not fit.</exception>
    public LoraFactors Merge(IReadOnlyList<LoraFactors> parents, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(parents);
        if (parents.Count == 0)
        {
            throw new ArgumentException($"{Name}: at least one parent is needed, had 0.", nameof(parents));
        }

        var outFeatures = parents[0].OutFeatures;
        var inFeatures = parents[0].InFeatures;
        var totalRank = 0;
        for (var i = 0; i < parents.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(parents[i], nameof(parents));
            if (parents[i].OutFeatures != outFeatures || parents[i].InFeatures != inFeatures)
            {
                throw new ArgumentException(
                    $"{Name}: parent {i} is [{parents[i].OutFeatures}, {parents[i].InFeatures}], expected [{outFeatures}, {inFeatures}] like parent 0.", nameof(parents));
            }

            totalRank += parents[i].Rank;
        }

        var resolved = MergeInputs.Weights(Name, new MergeInput { Parents = [.. parents.Select(p => p.A)], Weights = weights }, Options.Profile);

        // P = [c_i·B_i] ([out, R]) and Q = [A_iᵀ] ([in, R]), so that M / s′ = P·Qᵀ.
        var p = Matrix<double>.Build.Dense(outFeatures, totalRank);
        var q = Matrix<double>.Build.Dense(inFeatures, totalRank);
        var column = 0;
        for (var i = 0; i < parents.Count; i++)
        {
            var parent = parents[i];
            var c = resolved[i] * parent.Scaling / Options.OutputScaling;
            var a = parent.A.Span;
            var b = parent.B.Span;
            for (var j = 0; j < parent.Rank; j++)
            {
                for (var o = 0; o < outFeatures; o++)
                {
                    p[o, column + j] = c * b[(o * parent.Rank) + j];
                }

                for (var x = 0; x < inFeatures; x++)
                {
                    q[x, column + j] = a[(j * inFeatures) + x];
                }
            }

            column += parent.Rank;
        }

        Matrix<double> left;
        Matrix<double> right;
        Vector<double> singular;
        if (totalRank <= outFeatures && totalRank <= inFeatures)
        {
            var qrP = p.QR(QRMethod.Thin);
            var qrQ = q.QR(QRMethod.Thin);
            var svd = (qrP.R * qrQ.R.Transpose()).Svd(computeVectors: true);
            left = qrP.Q * svd.U;
            right = qrQ.Q * svd.VT.Transpose();
            singular = svd.S;
        }
        else
        {
            var svd = (p * q.Transpose()).Svd(computeVectors: true);
            left = svd.U;
            right = svd.VT.Transpose();
            singular = svd.S;
        }

        var rank = Options.Rank;
        var mergedA = new float[rank * inFeatures];
        var mergedB = new float[outFeatures * rank];
        var components = Math.Min(rank, singular.Count);
        for (var j = 0; j < components; j++)
        {
            var root = Math.Sqrt(Math.Max(singular[j], 0));
            var sign = CanonicalSign(left, j);
            for (var o = 0; o < outFeatures; o++)
            {
                mergedB[(o * rank) + j] = (float)(sign * left[o, j] * root);
            }

            for (var x = 0; x < inFeatures; x++)
            {
                mergedA[(j * inFeatures) + x] = (float)(sign * right[x, j] * root);
            }
        }

        return new LoraFactors(mergedA, mergedB, rank, inFeatures, outFeatures, Options.OutputScaling);
    }

    /// <summary>+1 or −1 so that the column's entry of largest magnitude becomes positive.</summary>
    private static double CanonicalSign(Matrix<double> matrix, int column)
    {
        var best = 0.0;
        for (var row = 0; row < matrix.RowCount; row++)
        {
            if (Math.Abs(matrix[row, column]) > Math.Abs(best))
            {
                best = matrix[row, column];
            }
        }

        return best < 0 ? -1.0 : 1.0;
    }
}
