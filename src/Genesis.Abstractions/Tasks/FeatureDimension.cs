namespace Genesis;

/// <summary>
/// One axis of the MAP-Elites archive: a numeric metric of the evaluation (public metrics first, then private) or one of
/// the built-in descriptors <see cref="CodeLength"/> and <see cref="Score"/>, binned over [<see cref="Min"/>, <see cref="Max"/>].
/// </summary>
/// <param name="Metric">The metric's name.</param>
/// <param name="Min">The value mapped to the first bin; smaller values clamp to it.</param>
/// <param name="Max">The value mapped to the last bin; larger values clamp to it.</param>
/// <param name="Bins">The number of bins, between 1 and 1000.</param>
public sealed record FeatureDimension(string Metric, double Min, double Max, int Bins = 10)
{
    /// <summary>The built-in descriptor: length of the mutable code in characters.</summary>
    public const string CodeLength = "code_length";

    /// <summary>The built-in descriptor: the combined score.</summary>
    public const string Score = "combined_score";

    /// <summary>Throws when the dimension cannot be used, naming the problem.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Metric))
        {
            throw new ArgumentException("FeatureDimension: Metric must name a metric.", nameof(Metric));
        }

        if (!double.IsFinite(Min) || !double.IsFinite(Max) || Max <= Min)
        {
            throw new ArgumentException($"FeatureDimension '{Metric}': Min and Max must be finite with Min < Max, were {Min} and {Max}.");
        }

        if (Bins is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(Bins), Bins, $"FeatureDimension '{Metric}': Bins must be between 1 and 1000, was {Bins}.");
        }
    }

    /// <summary>The bin a value falls in, clamped to [0, <see cref="Bins"/> - 1]; non-finite values go to bin 0.</summary>
    public int BinOf(double value)
    {
        if (!double.IsFinite(value))
        {
            return 0;
        }

        var t = (value - Min) / (Max - Min);
        var bin = (int)Math.Floor(t * Bins);
        return Math.Clamp(bin, 0, Bins - 1);
    }
}
