using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Genesis.Execution;

/// <summary>
/// The key of a compile-cache entry: the SHA-256, in lower-case hex, of the parts that decide what a build produces
/// (the recipe, the tool's version output, its flags and environment, the target platform, the template project, the
/// source). Each part is hashed with its length in front, so that no two different lists of parts run together into the
/// same bytes.
/// </summary>
internal static class CompileCacheKey
{
    /// <summary>The version of the key's layout; a change makes every older entry a miss.</summary>
    public const string Version = "genesis-compile-cache/1";

    /// <summary>Hashes <see cref="Version"/> followed by <paramref name="parts"/>.</summary>
    public static string Compute(IEnumerable<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, Version);
        foreach (var part in parts)
        {
            Append(hash, part ?? throw new ArgumentException("A key part must not be null.", nameof(parts)));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Append(IncrementalHash hash, string part)
    {
        var bytes = Encoding.UTF8.GetBytes(part);
        Span<byte> length = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(length, bytes.LongLength);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
