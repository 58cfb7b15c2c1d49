using System.Globalization;
using System.Text;

namespace Genesis.Benchmarks;

/// <summary>Realistic inputs: Python programs with an EVOLVE-BLOCK, evaluated candidates, metrics and feedback.</summary>
internal static class Fixtures
{
    public const string TaskDescription =
        "Pack 26 circles into the unit square so that the sum of their radii is as large as possible. The circles must " +
        "not overlap and must lie entirely inside the square. Return the centres and the radii; the evaluator checks " +
        "every constraint to 1e-9 and reports the sum of the radii as the score.";

    /// <summary>
    /// A Python program of exactly <paramref name="lines"/> lines whose EVOLVE-BLOCK holds <paramref name="blockLines"/>
    /// lines (markers included) of small numeric helper functions; <paramref name="variant"/> changes the constants so
    /// that programs differ. Every line of the block is unique, so each snippet matches in one place only.
    /// </summary>
    public static string PythonProgram(int lines, int blockLines, int variant)
    {
        var header = new List<string>
        {
            "\"\"\"Circle packing: constructor for 26 circles in the unit square.\"\"\"",
            "import math",
            "import numpy as np",
            string.Empty,
        };
        var footer = new List<string>
        {
            string.Empty,
            string.Empty,
            "def run_packing():",
            "    \"\"\"Run the constructor and return centres, radii and the score.\"\"\"",
            "    centers, radii = construct_packing(26)",
            "    return centers, radii, float(np.sum(radii))",
            string.Empty,
            string.Empty,
            "if __name__ == \"__main__\":",
            "    centers, radii, score = run_packing()",
            "    print(f\"sum of radii: {score:.6f}\")",
        };

        var block = new List<string>
        {
            "# EVOLVE-BLOCK-START",
            "def construct_packing(n=26):",
            "    \"\"\"Place n circles on a grid and refine them.\"\"\"",
            "    side = math.ceil(math.sqrt(n))",
            "    xs, ys = np.meshgrid(np.linspace(0.1, 0.9, side), np.linspace(0.1, 0.9, side))",
            "    centers = np.stack([xs.ravel(), ys.ravel()], axis=1)[:n].copy()",
            string.Create(CultureInfo.InvariantCulture, $"    radii = np.full(n, {0.05 + (variant * 1e-4):F4})"),
            "    for iteration in range(50):",
            "        centers, radii = refine_step_0(centers, radii, iteration)",
            "    return centers, radii",
            string.Empty,
        };
        var f = 0;
        while (block.Count + 10 <= blockLines - 1)
        {
            var a = (variant * 0.013) + (f * 0.071);
            block.AddRange(
            [
                string.Create(CultureInfo.InvariantCulture, $"def refine_step_{f}(centers, radii, iteration):"),
                string.Create(CultureInfo.InvariantCulture, $"    \"\"\"Refinement pass {f}: push overlapping circles apart.\"\"\""),
                string.Create(CultureInfo.InvariantCulture, $"    step_{f} = {0.5 + a:F4} / (1.0 + iteration)"),
                string.Create(CultureInfo.InvariantCulture, $"    for i in range(len(radii)):"),
                string.Create(CultureInfo.InvariantCulture, $"        dx_{f} = centers[:, 0] - centers[i, 0]"),
                string.Create(CultureInfo.InvariantCulture, $"        dy_{f} = centers[:, 1] - centers[i, 1]"),
                string.Create(CultureInfo.InvariantCulture, $"        dist_{f} = np.sqrt(dx_{f} ** 2 + dy_{f} ** 2) + {1e-12 * (f + 1):E2}"),
                string.Create(CultureInfo.InvariantCulture, $"        overlap_{f} = np.maximum(0.0, radii + radii[i] - dist_{f}) * {0.25 + a:F4}"),
                string.Create(CultureInfo.InvariantCulture, $"        centers[i] -= step_{f} * np.array([np.sum(overlap_{f} * dx_{f}), np.sum(overlap_{f} * dy_{f})])"),
                string.Create(CultureInfo.InvariantCulture, $"    return np.clip(centers, {0.01 + (a / 100):F5}, {0.99 - (a / 100):F5}), radii"),
                string.Empty,
            ]);
            f++;
        }

        while (block.Count < blockLines - 1)
        {
            block.Add(string.Create(CultureInfo.InvariantCulture, $"# tuning note {block.Count}: variant {variant}"));
        }

        block.Add("# EVOLVE-BLOCK-END");

        var filler = lines - header.Count - block.Count - footer.Count;
        var fixedPart = new List<string>();
        for (var i = 0; fixedPart.Count + 4 <= filler; i++)
        {
            fixedPart.Add(string.Create(CultureInfo.InvariantCulture, $"def distance_{i}(a, b):"));
            fixedPart.Add(string.Create(CultureInfo.InvariantCulture, $"    \"\"\"Euclidean distance between two centres (helper {i}).\"\"\""));
            fixedPart.Add("    return math.hypot(a[0] - b[0], a[1] - b[1])");
            fixedPart.Add(string.Empty);
        }

        while (fixedPart.Count < filler)
        {
            fixedPart.Add(string.Empty);
        }

        var all = header.Concat(fixedPart).Concat(block).Concat(footer).ToList();
        if (all.Count != lines)
        {
            throw new InvalidOperationException($"Generated {all.Count} lines, wanted {lines}.");
        }

        return string.Join('\n', all) + "\n";
    }

    /// <summary>Public metrics as an evaluator reports them.</summary>
    public static IReadOnlyDictionary<string, double> Metrics(int variant) => new Dictionary<string, double>
    {
        ["sum_radii"] = 2.5 + (variant * 0.001),
        ["target_ratio"] = 0.94 + (variant * 0.0001),
        ["validity"] = 1.0,
        ["eval_time"] = 0.82,
        ["min_gap"] = 1.3e-6,
    };

    /// <summary>About 600 characters of evaluator feedback.</summary>
    public static string Feedback(int variant)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Variant {variant}: all 26 circles are inside the square and no two overlap. ");
        text.Append("The packing leaves a visible gap along the top edge and between circles 7, 12 and 19; ");
        text.Append("the smallest radius is 0.0612, which suggests the refinement stops too early. ");
        text.Append("Consider more refinement iterations with a decaying step, a better initial hexagonal layout, ");
        text.Append("or optimising radii and centres jointly with a penalty for overlaps (for example SLSQP). ");
        text.Append("Runtime is well inside the 60 s limit, so a heavier optimiser is affordable.");
        return text.ToString();
    }

    /// <summary>A correct, evaluated candidate.</summary>
    public static Candidate Evaluated(long id, double score, string code, int variant = 0) => new()
    {
        Id = id,
        Code = code,
        ParentId = id > 0 ? id - 1 : null,
        InspirationIds = id > 4 ? [id - 2, id - 3, id - 4] : [],
        Island = (int)(id % 4),
        Generation = (int)(id / 10),
        Mutation = MutationKind.Diff,
        Status = CandidateStatus.Evaluated,
        Evaluation = EvaluationResult.Success(score, textFeedback: Feedback(variant), publicMetrics: Metrics(variant)),
        Model = "gpt-5-mini",
        InputTokens = 6_400,
        OutputTokens = 900,
        Cost = 0.0031,
        CreatedAt = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero).AddSeconds(id),
        ProposalDuration = TimeSpan.FromSeconds(7.5),
    };

    /// <summary>A 512-dimension embedding (the novelty filter's default size) with deterministic values.</summary>
    public static float[] Embedding(int seed)
    {
        var random = new Random(seed);
        var values = new float[512];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1) / 16;
        }

        return values;
    }
}
