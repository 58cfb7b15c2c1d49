namespace Genesis.Merging;

/// <summary>
/// The two LoRA factors of one module, flat and row-major as PEFT stores them: <c>A</c> is <c>[rank, in]</c>, <c>B</c> is
/// <c>[out, rank]</c>, and the module's weight update is <c>ΔW = Scaling·B·A</c> (<c>[out, in]</c>).
/// </summary>
public sealed record LoraFactors
{
    /// <summary>Creates the factors of one module.</summary>
    /// <param name="a">A, <c>rank·inFeatures</c> floats, row-major <c>[rank, in]</c>.</param>
    /// <param name="b">B, <c>outFeatures·rank</c> floats, row-major <c>[out, rank]</c>.</param>
    /// <param name="rank">r, at least 1.</param>
    /// <param name="inFeatures">The module's input width, at least 1.</param>
    /// <param name="outFeatures">The module's output width, at least 1.</param>
    /// <param name="scaling">s, for example <c>lora_alpha / r</c> (or <c>/ √r</c> with rsLoRA); finite. Default 1.</param>
    /// <exception cref="ArgumentException">A size does not match or a value is out of range.</exception>
    public LoraFactors(ReadOnlyMemory<float> a, ReadOnlyMemory<float> b, int rank, int inFeatures, int outFeatures, double scaling = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        if ((long)rank * inFeatures != a.Length)
        {
            throw new ArgumentException($"LoraFactors.A must hold rank·in = {(long)rank * inFeatures} floats, had {a.Length}.", nameof(a));
        }

        if ((long)outFeatures * rank != b.Length)
        {
            throw new ArgumentException($"LoraFactors.B must hold out·rank = {(long)outFeatures * rank} floats, had {b.Length}.", nameof(b));
        }

        if (!double.IsFinite(scaling))
        {
            throw new ArgumentException($"LoraFactors.Scaling must be finite, was {scaling}.", nameof(scaling));
        }

        A = a;
        B = b;
        Rank = rank;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Scaling = scaling;
    }

    /// <summary>A, row-major <c>[Rank, InFeatures]</c>.</summary>
    public ReadOnlyMemory<float> A { get; }

    /// <summary>B, row-major <c>[OutFeatures, Rank]</c>.</summary>
    public ReadOnlyMemory<float> B { get; }

    /// <summary>r.</summary>
    public int Rank { get; }

    /// <summary>The input width.</summary>
    public int InFeatures { get; }

    /// <summary>The output width.</summary>
    public int OutFeatures { get; }

    /// <summary>s in <c>ΔW = s·B·A</c>.</summary>
    public double Scaling { get; }

    /// <summary>The dense weight update <c>Scaling·B·A</c>, row-major <c>[OutFeatures, InFeatures]</c>, computed in double.</summary>
    public double[] DeltaWeight()
    {
        var a = A.Span;
        var b = B.Span;
        var result = new double[OutFeatures * InFeatures];
        for (var o = 0; o < OutFeatures; o++)
        {
            for (var j = 0; j < Rank; j++)
            {
                var factor = Scaling * b[(o * Rank) + j];
                if (factor == 0)
                {
                    continue;
                }

                var row = a.Slice(j * InFeatures, InFeatures);
                var target = result.AsSpan(o * InFeatures, InFeatures);
                for (var c = 0; c < InFeatures; c++)
                {
                    target[c] += factor * row[c];
                }
            }
        }

        return result;
    }
}
