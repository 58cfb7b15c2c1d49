using System.Globalization;
using BenchmarkDotNet.Reports;

namespace Genesis.Benchmarks;

/// <summary>
/// Adds up the engine's work per candidate from the measured means: parent selection, inspirations, prompt, diff and the
/// two database writes, against the 1 ms budget (the engine must never be the bottleneck next to the LLM and evaluator).
/// </summary>
internal static class PerCandidateBudget
{
    private const double BudgetNanoseconds = 1_000_000;

    private static readonly (string Step, string Class, string Method)[] Steps =
    [
        ("parent selection (power-law, the default; ranked)", nameof(ParentSelectionBenchmarks), nameof(ParentSelectionBenchmarks.PowerLaw)),
        ("inspirations (best + top 3 + 2 of 200 elites)", nameof(ParentSelectionBenchmarks), nameof(ParentSelectionBenchmarks.Inspirations)),
        ("prompt (150-line parent, 4 inspirations)", nameof(PromptBenchmarks), nameof(PromptBenchmarks.PromptBuilderBuild)),
        ("diff (parse + apply 3 edits, 300 lines)", nameof(DiffBenchmarks), nameof(DiffBenchmarks.ParseAndApplyExact)),
        ("database (insert + complete evaluation)", nameof(DatabaseBenchmarks), nameof(DatabaseBenchmarks.InsertThenCompleteEvaluation)),
    ];

    private static readonly string[] Selectors =
    [
        nameof(ParentSelectionBenchmarks.PowerLaw), nameof(ParentSelectionBenchmarks.Weighted), nameof(ParentSelectionBenchmarks.Tournament),
        nameof(ParentSelectionBenchmarks.BeamSearch), nameof(ParentSelectionBenchmarks.FitnessWeighted),
    ];

    public static void Print(IEnumerable<Summary> summaries, TextWriter output)
    {
        var means = new Dictionary<(string, string), double>();
        foreach (var report in summaries.SelectMany(s => s.Reports))
        {
            if (report.ResultStatistics is { } statistics)
            {
                var descriptor = report.BenchmarkCase.Descriptor;
                means[(descriptor.Type.Name, descriptor.WorkloadMethod.Name)] = statistics.Mean;
            }
        }

        if (!Steps.Any(s => means.ContainsKey((s.Class, s.Method))))
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("## Per candidate (means)");
        output.WriteLine();
        output.WriteLine("| step | mean | share of 1 ms |");
        output.WriteLine("|---|---:|---:|");
        var total = 0.0;
        var complete = true;
        foreach (var (step, type, method) in Steps)
        {
            if (means.TryGetValue((type, method), out var mean))
            {
                total += mean;
                output.WriteLine(Row(step, mean));
            }
            else
            {
                complete = false;
                output.WriteLine($"| {step} | not run | |");
            }
        }

        output.WriteLine(Row(complete ? "**total**" : "**total of the steps run**", total));
        var slowest = Selectors.Where(m => means.ContainsKey((nameof(ParentSelectionBenchmarks), m)))
            .Select(m => (Method: m, Mean: means[(nameof(ParentSelectionBenchmarks), m)]))
            .OrderByDescending(x => x.Mean)
            .FirstOrDefault();
        if (slowest.Method is not null && means.TryGetValue((nameof(ParentSelectionBenchmarks), nameof(ParentSelectionBenchmarks.PowerLaw)), out var powerLaw))
        {
            output.WriteLine(Row($"total with the slowest ranked selector ({slowest.Method})", total - powerLaw + slowest.Mean));
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Budget 1 ms: {(total <= BudgetNanoseconds ? "met" : "MISSED")} ({total / BudgetNanoseconds:P1} used)."));
    }

    private static string Row(string step, double nanoseconds) =>
        string.Create(CultureInfo.InvariantCulture, $"| {step} | {Format(nanoseconds)} | {nanoseconds / BudgetNanoseconds:P2} |");

    private static string Format(double nanoseconds) => nanoseconds switch
    {
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1_000_000:F3} ms"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1_000:F2} µs"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds:F0} ns"),
    };
}
