using System.Buffers;

namespace Genesis.Merging;

/// <summary>How each task vector is sparsified before the consensus step.</summary>
internal enum Sparsification
{
    /// <summary>Keep the <c>⌊d·n⌋</c> largest magnitudes (TIES).</summary>
    Magnitude,

    /// <summary>Drop each element with probability 1 − d (DARE).</summary>
    Bernoulli,

    /// <summary>Drop the <c>⌊γ·n⌋</c> largest and keep the next <c>⌊d·n⌋</c> (breadcrumbs).</summary>
    MagnitudeBand,
}

/// <summary>A resolved plan: every profile default already applied.</summary>
internal sealed record TaskVectorPlan(
    string OperatorName,
    MergeProfile Profile,
    Sparsification Sparsification,
    double Density,
    double Gamma,
    SparsificationRescale Rescale,
    SignConsensus Consensus,
    bool Normalize,
    double Lambda);

/// <summary>
/// The engine TIES, DARE and breadcrumbs share (mergekit's "generalized task arithmetic"): task vectors, sparsification,
/// rescale, then one fused <see cref="ITensorCompute.ConsensusMerge"/>.
/// </summary>
internal static class TaskVectorMerge
{
    /// <summary>Below this L1 norm (either side) the L1 rescale is skipped, as mergekit does.</summary>
    private const double L1Epsilon = 1e-7;

    public static void Merge(ITensorCompute compute, TaskVectorPlan plan, MergeInput input, Memory<float> destination)
    {
        var k = MergeInputs.Validate(plan.OperatorName, input, destination);
        var weights = MergeInputs.Weights(plan.OperatorName, input, plan.Profile);
        var length = destination.Length;
        var rented = new List<float[]>();
        try
        {
            var vectors = new ReadOnlyMemory<float>[k];
            var bands = new MagnitudeBand[k];
            var rescale = new double[k];
            for (var i = 0; i < k; i++)
            {
                var vector = input.Parents[i];
                float[]? own = null;
                if (!input.Base.IsEmpty)
                {
                    own = Rent(rented, length);
                    compute.WeightedSum([vector, input.Base], [1f, -1f], own.AsMemory(0, length));
                    vector = own.AsMemory(0, length);
                }

                bands[i] = MagnitudeBand.All;
                rescale[i] = 1.0;
                switch (plan.Sparsification)
                {
                    case Sparsification.Magnitude:
                        bands[i] = TrimBand(compute, vector, plan.Density);
                        rescale[i] = Rescale(compute, plan, vector, bands[i]);
                        break;
                    case Sparsification.MagnitudeBand:
                        bands[i] = OutlierBand(compute, vector, plan.Density, plan.Gamma);
                        rescale[i] = Rescale(compute, plan, vector, bands[i]);
                        break;
                    case Sparsification.Bernoulli when plan.Density < 1:
                        own ??= Rent(rented, length);
                        var drop = compute.DropBernoulli(vector, 1.0 - plan.Density, input.Random.Derive((ulong)i), own.AsMemory(0, length));
                        vector = own.AsMemory(0, length);
                        rescale[i] = plan.Rescale switch
                        {
                            SparsificationRescale.InverseDensity => 1.0 / plan.Density,
                            SparsificationRescale.L1 => L1Factor(drop.SourceMagnitude, drop.KeptMagnitude),
                            _ => 1.0,
                        };
                        break;
                }

                vectors[i] = vector;
            }

            // The rescale multiplies the sparsified vector, so it folds into the weights. GenomeCompatible elects on the
            // (rescaled) sparsified vectors without the parents' weights; mergekit elects on the weighted ones.
            var mix = new float[k];
            var election = new float[k];
            var divisor = new float[k];
            for (var i = 0; i < k; i++)
            {
                mix[i] = (float)(weights[i] * rescale[i]);
                election[i] = plan.Profile == MergeProfile.GenomeCompatible ? (float)rescale[i] : mix[i];
                divisor[i] = (float)weights[i];
            }

            compute.ConsensusMerge(
                new ConsensusMergeArguments
                {
                    Inputs = vectors,
                    Bands = bands,
                    MixWeights = mix,
                    ElectionWeights = election,
                    DivisorWeights = divisor,
                    Consensus = plan.Consensus,
                    Normalize = plan.Normalize,
                    Scale = (float)plan.Lambda,
                    Base = input.Base,
                },
                destination);
        }
        finally
        {
            foreach (var buffer in rented)
            {
                ArrayPool<float>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>The band keeping the <c>⌊d·n⌋</c> largest magnitudes (all of them when d = 1, none when ⌊d·n⌋ = 0).</summary>
    internal static MagnitudeBand TrimBand(ITensorCompute compute, ReadOnlyMemory<float> vector, double density)
    {
        if (density >= 1)
        {
            return MagnitudeBand.All;
        }

        var keep = (int)Math.Floor(density * vector.Length);
        if (keep == 0)
        {
            return MagnitudeBand.None;
        }

        Span<float> threshold = stackalloc float[1];
        compute.MagnitudeThresholds(vector, [keep], threshold);
        return MagnitudeBand.AtLeast(threshold[0]);
    }

    /// <summary>
    /// Breadcrumbs: drop the <c>⌊γ·n⌋</c> largest magnitudes and keep the next <c>⌊d·n⌋</c>; when the two exceed n, fewer
    /// large ones are dropped (as mergekit does). d = 1 keeps everything.
    /// </summary>
    internal static MagnitudeBand OutlierBand(ITensorCompute compute, ReadOnlyMemory<float> vector, double density, double gamma)
    {
        if (density >= 1)
        {
            return MagnitudeBand.All;
        }

        var n = vector.Length;
        var keep = (int)Math.Floor(density * n);
        var top = (int)Math.Floor(gamma * n);
        if (keep + top > n)
        {
            top = n - keep;
        }

        if (keep == 0)
        {
            return MagnitudeBand.None;
        }

        if (top == 0)
        {
            return TrimBand(compute, vector, density);
        }

        Span<float> thresholds = stackalloc float[2];
        compute.MagnitudeThresholds(vector, [top, top + keep], thresholds);
        return new MagnitudeBand(thresholds[1], thresholds[0]);
    }

    private static double Rescale(ITensorCompute compute, TaskVectorPlan plan, ReadOnlyMemory<float> vector, MagnitudeBand band) =>
        band == MagnitudeBand.All
            ? 1.0
            : plan.Rescale switch
            {
                SparsificationRescale.InverseDensity => 1.0 / plan.Density,
                SparsificationRescale.L1 => L1Factor(compute.SumOfMagnitudes(vector, MagnitudeBand.All), compute.SumOfMagnitudes(vector, band)),
                _ => 1.0,
            };

    private static double L1Factor(double before, double after) => before < L1Epsilon || after < L1Epsilon ? 1.0 : before / after;

    private static float[] Rent(List<float[]> rented, int length)
    {
        var buffer = ArrayPool<float>.Shared.Rent(Math.Max(length, 1));
        rented.Add(buffer);
        return buffer;
    }
}
