using System.Numerics;

namespace Genesis.Diffs;

/// <summary>
/// A string prepared for computing the length of its longest common subsequence (of characters) with many other strings,
/// using the bit-parallel algorithm of Allison and Dix (Hyyrö's formulation): <c>O(|text| · ⌈|pattern| / 64⌉)</c> per text.
/// </summary>
internal sealed class LcsPattern
{
    private readonly Dictionary<char, ulong[]> _masks = [];
    private readonly int _words;

    public LcsPattern(string pattern)
    {
        Pattern = pattern;
        _words = (pattern.Length + 63) / 64;
        for (var i = 0; i < pattern.Length; i++)
        {
            if (!_masks.TryGetValue(pattern[i], out var mask))
            {
                mask = new ulong[_words];
                _masks[pattern[i]] = mask;
            }

            mask[i / 64] |= 1UL << (i % 64);
        }
    }

    /// <summary>The prepared string.</summary>
    public string Pattern { get; }

    /// <summary>The length of the longest common subsequence of the pattern and <paramref name="text"/>.</summary>
    public int LcsLength(string text)
    {
        if (_words == 0 || text.Length == 0)
        {
            return 0;
        }

        // V has a 0 bit at pattern position i when that position is used by the LCS found so far.
        var v = new ulong[_words];
        Array.Fill(v, ulong.MaxValue);
        foreach (var c in text)
        {
            if (!_masks.TryGetValue(c, out var match))
            {
                continue;
            }

            // V' = (V + U) | (V - U) with U = V & match; U is a subset of V, so V - U = V & ~match and never borrows.
            ulong carry = 0;
            for (var w = 0; w < _words; w++)
            {
                var u = v[w] & match[w];
                var sum = v[w] + u;
                var carryOut = sum < v[w] ? 1UL : 0UL;
                var sumWithCarry = sum + carry;
                carryOut |= sumWithCarry < sum ? 1UL : 0UL;
                v[w] = sumWithCarry | (v[w] & ~match[w]);
                carry = carryOut;
            }
        }

        var ones = 0;
        for (var w = 0; w < _words; w++)
        {
            var bits = v[w];
            var valid = Math.Min(64, Pattern.Length - (w * 64));
            if (valid < 64)
            {
                bits &= (1UL << valid) - 1;
            }

            ones += BitOperations.PopCount(bits);
        }

        return Pattern.Length - ones;
    }

    /// <summary>
    /// The similarity of the pattern and <paramref name="text"/>: twice the longest common subsequence over the total
    /// length, from 0 (nothing in common) to 1 (equal; also for two empty strings).
    /// </summary>
    public double Ratio(string text)
    {
        var total = Pattern.Length + text.Length;
        return total == 0 ? 1.0 : 2.0 * LcsLength(text) / total;
    }
}
