namespace Genesis.Engine;

/// <summary>
/// Derives independent, reproducible seeds from the run's seed (SplitMix64 finaliser). <see cref="HashCode"/> is randomised
/// per process and cannot be used for this.
/// </summary>
internal static class SeedMixer
{
    public static int Derive(int seed, long a, long b = 0)
    {
        var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL);
        x = Mix(x ^ unchecked((ulong)a));
        x = Mix(x ^ unchecked((ulong)b * 0xBF58476D1CE4E5B9UL));
        return unchecked((int)(x ^ (x >> 32)));
    }

    public static Random Random(int seed, long a, long b = 0) => new(Derive(seed, a, b));

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
