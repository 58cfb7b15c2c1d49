namespace Genesis;

/// <summary>How <see cref="ITensorCompute.AddGaussianNoise"/> chooses the elements it perturbs.</summary>
public enum NoiseSampling
{
    /// <summary>
    /// Geometric skips (domain 3 of <see cref="RandomKey"/>): only the selected elements are visited and only their noise is
    /// drawn, so the cost is proportional to <c>rate·n</c>.
    /// </summary>
    Skip = 0,

    /// <summary>
    /// A uniform for every element (domain 1) compared with the rate, and a normal for every element (domain 2), as GENOME
    /// does with <c>rand &lt; rate</c> and <c>randn</c>. The same distribution as <see cref="Skip"/> but another realisation;
    /// kept as the reference the skip sampler is measured against.
    /// </summary>
    Dense = 1,
}
