namespace Genesis.Scoring;

/// <summary>The assignment problem on a small square matrix, by the Hungarian method (Kuhn–Munkres with potentials), O(n³).</summary>
internal static class Assignment
{
    /// <summary>For each row, the column it is paired with, so that the sum of the chosen entries is as large as possible.</summary>
    public static int[] Maximize(double[,] scores)
    {
        var n = scores.GetLength(0);
        if (n != scores.GetLength(1))
        {
            throw new ArgumentException("The score matrix must be square.", nameof(scores));
        }

        // Minimise the negated scores. Arrays are 1-based; column 0 is a sentinel.
        var u = new double[n + 1];
        var v = new double[n + 1];
        var rowOfColumn = new int[n + 1];
        var way = new int[n + 1];
        for (var row = 1; row <= n; row++)
        {
            rowOfColumn[0] = row;
            var column = 0;
            var minimum = new double[n + 1];
            var used = new bool[n + 1];
            Array.Fill(minimum, double.PositiveInfinity);
            do
            {
                used[column] = true;
                var currentRow = rowOfColumn[column];
                var delta = double.PositiveInfinity;
                var next = 0;
                for (var j = 1; j <= n; j++)
                {
                    if (used[j])
                    {
                        continue;
                    }

                    var reduced = -scores[currentRow - 1, j - 1] - u[currentRow] - v[j];
                    if (reduced < minimum[j])
                    {
                        minimum[j] = reduced;
                        way[j] = column;
                    }

                    if (minimum[j] < delta)
                    {
                        delta = minimum[j];
                        next = j;
                    }
                }

                for (var j = 0; j <= n; j++)
                {
                    if (used[j])
                    {
                        u[rowOfColumn[j]] += delta;
                        v[j] -= delta;
                    }
                    else
                    {
                        minimum[j] -= delta;
                    }
                }

                column = next;
            }
            while (rowOfColumn[column] != 0);

            do
            {
                var previous = way[column];
                rowOfColumn[column] = rowOfColumn[previous];
                column = previous;
            }
            while (column != 0);
        }

        var result = new int[n];
        for (var j = 1; j <= n; j++)
        {
            result[rowOfColumn[j] - 1] = j - 1;
        }

        return result;
    }
}
