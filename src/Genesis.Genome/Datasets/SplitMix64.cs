namespace Genesis.Datasets;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator whose output is fixed by its seed on every platform and
/// runtime, so a sub-sample drawn today is the same sub-sample next year.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(int seed) => _state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL) ^ 0xD1B54A32D192ED03UL;

    public ulong Next()
    {
        unchecked
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), without modulo bias (Lemire's multiply-and-reject).</summary>
    public int NextBelow(int bound)
    {
        var range = (ulong)bound;
        var threshold = unchecked(0UL - range) % range;
        while (true)
        {
            var high = Math.BigMul(Next(), range, out var low);
            if (low >= threshold)
            {
                return (int)high;
            }
        }
    }
}
