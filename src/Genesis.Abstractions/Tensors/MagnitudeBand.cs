namespace Genesis;

/// <summary>
/// Which elements of a tensor are kept by magnitude: <c>x</c> is kept when <c>Lower ≤ |x| &lt; Upper</c>, otherwise it counts
/// as zero. Magnitude trimming to a density (TIES) is <c>[t, +∞)</c> with <c>t</c> the k-th largest magnitude; dropping the
/// largest outliers as well (breadcrumbs) lowers <see cref="Upper"/>.
/// </summary>
/// <param name="Lower">The smallest magnitude kept (inclusive).</param>
/// <param name="Upper">The magnitude from which elements are dropped again (exclusive); <see cref="float.PositiveInfinity"/> for none.</param>
public readonly record struct MagnitudeBand(float Lower, float Upper)
{
    /// <summary>Keeps every finite element: <c>[0, +∞)</c>.</summary>
    public static MagnitudeBand All => new(0f, float.PositiveInfinity);

    /// <summary>Keeps nothing: <c>[+∞, +∞)</c>.</summary>
    public static MagnitudeBand None => new(float.PositiveInfinity, float.PositiveInfinity);

    /// <summary>Keeps the elements whose magnitude is at least <paramref name="threshold"/>: <c>[threshold, +∞)</c>.</summary>
    /// <param name="threshold">The smallest magnitude kept.</param>
    public static MagnitudeBand AtLeast(float threshold) => new(threshold, float.PositiveInfinity);

    /// <summary>Whether <paramref name="value"/> is kept.</summary>
    /// <param name="value">An element.</param>
    public bool Keeps(float value)
    {
        var magnitude = MathF.Abs(value);
        return magnitude >= Lower && magnitude < Upper;
    }
}
