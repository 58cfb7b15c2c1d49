namespace Genesis.Novelty;

/// <summary>
/// A hash that is the same in every process and on every machine (unlike <see cref="string.GetHashCode()"/>, which .NET
/// randomises per process): 64-bit FNV-1a over bytes, with a 64-bit avalanche finaliser so that every output bit depends
/// on every input byte (plain FNV-1a leaves its low bit a parity of the input's low bits).
/// </summary>
internal static class StableHash
{
    /// <summary>The FNV-1a 64-bit offset basis.</summary>
    public const ulong OffsetBasis = 0xcbf29ce484222325UL;

    /// <summary>The FNV-1a 64-bit prime.</summary>
    public const ulong Prime = 0x100000001b3UL;

    /// <summary>Plain 64-bit FNV-1a of <paramref name="bytes"/>, continuing from <paramref name="hash"/>.</summary>
    public static ulong Fnv1a(ReadOnlySpan<byte> bytes, ulong hash = OffsetBasis)
    {
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= Prime;
        }

        return hash;
    }

    /// <summary>One more byte into a running FNV-1a hash.</summary>
    public static ulong Fnv1a(byte value, ulong hash)
    {
        hash ^= value;
        return hash * Prime;
    }

    /// <summary>The 64-bit finaliser of MurmurHash3: spreads every input bit over the whole output.</summary>
    public static ulong Mix(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
