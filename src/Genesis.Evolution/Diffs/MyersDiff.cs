namespace Genesis.Diffs;

/// <summary>
/// A longest common subsequence of two sequences of line ids by Myers' O(ND) algorithm, linear-space variant: find the
/// middle of the shortest edit path from both ends, split there and recurse, after trimming common prefixes and suffixes.
/// </summary>
internal static class MyersDiff
{
    /// <summary>For each element of <paramref name="a"/> and <paramref name="b"/>, whether it belongs to the common subsequence.</summary>
    public static (bool[] KeptA, bool[] KeptB) Compute(int[] a, int[] b)
    {
        var keptA = new bool[a.Length];
        var keptB = new bool[b.Length];
        Diff(a, b, 0, a.Length, 0, b.Length, keptA, keptB);
        return (keptA, keptB);
    }

    private static void Diff(int[] a, int[] b, int aLo, int aHi, int bLo, int bHi, bool[] keptA, bool[] keptB)
    {
        while (aLo < aHi && bLo < bHi && a[aLo] == b[bLo])
        {
            keptA[aLo++] = true;
            keptB[bLo++] = true;
        }

        while (aLo < aHi && bLo < bHi && a[aHi - 1] == b[bHi - 1])
        {
            keptA[--aHi] = true;
            keptB[--bHi] = true;
        }

        if (aLo == aHi || bLo == bHi)
        {
            return;
        }

        var (x, y) = MiddleSplit(a, b, aLo, aHi, bLo, bHi);
        if ((x == 0 && y == 0) || (x == aHi - aLo && y == bHi - bLo))
        {
            return; // Unreachable for a correct split; treat the rest as replaced rather than recurse forever.
        }

        Diff(a, b, aLo, aLo + x, bLo, bLo + y, keptA, keptB);
        Diff(a, b, aLo + x, aHi, bLo + y, bHi, keptA, keptB);
    }

    /// <summary>
    /// A point (relative to <paramref name="aLo"/>, <paramref name="bLo"/>) on a shortest edit path, where the forward and
    /// backward searches meet; or (0, 0) when none is found.
    /// </summary>
    private static (int X, int Y) MiddleSplit(int[] a, int[] b, int aLo, int aHi, int bLo, int bHi)
    {
        var n = aHi - aLo;
        var m = bHi - bLo;
        var maxD = (n + m + 1) / 2;
        var offset = maxD;
        var length = (2 * maxD) + 2;
        var forward = new int[length];
        var backward = new int[length];
        Array.Fill(forward, -1);
        Array.Fill(backward, -1);
        forward[offset + 1] = 0;
        backward[offset + 1] = 0;
        var delta = n - m;
        var front = (delta & 1) != 0;
        int kStartF = 0, kEndF = 0, kStartB = 0, kEndB = 0;
        for (var d = 0; d < maxD; d++)
        {
            for (var k = -d + kStartF; k <= d - kEndF; k += 2)
            {
                var i = offset + k;
                var x = k == -d || (k != d && forward[i - 1] < forward[i + 1]) ? forward[i + 1] : forward[i - 1] + 1;
                var y = x - k;
                while (x < n && y < m && a[aLo + x] == b[bLo + y])
                {
                    x++;
                    y++;
                }

                forward[i] = x;
                if (x > n)
                {
                    kEndF += 2;
                }
                else if (y > m)
                {
                    kStartF += 2;
                }
                else if (front)
                {
                    var j = offset + delta - k;
                    if (j >= 0 && j < length && backward[j] != -1 && x >= n - backward[j])
                    {
                        return (x, y);
                    }
                }
            }

            for (var k = -d + kStartB; k <= d - kEndB; k += 2)
            {
                var i = offset + k;
                var x = k == -d || (k != d && backward[i - 1] < backward[i + 1]) ? backward[i + 1] : backward[i - 1] + 1;
                var y = x - k;
                while (x < n && y < m && a[aHi - 1 - x] == b[bHi - 1 - y])
                {
                    x++;
                    y++;
                }

                backward[i] = x;
                if (x > n)
                {
                    kEndB += 2;
                }
                else if (y > m)
                {
                    kStartB += 2;
                }
                else if (!front)
                {
                    var j = offset + delta - k;
                    if (j >= 0 && j < length && forward[j] != -1)
                    {
                        var forwardX = forward[j];
                        var forwardY = forwardX - (j - offset);
                        if (forwardX >= n - x)
                        {
                            return (forwardX, forwardY);
                        }
                    }
                }
            }
        }

        return (0, 0);
    }
}
