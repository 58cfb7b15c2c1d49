using System.Globalization;

namespace Genesis.Samples;

/// <summary>Runs a sample's evolution, printing progress, and ends with the line <c>best: &lt;score&gt;</c> that scripts read.</summary>
public static class SampleRunner
{
    /// <summary>Runs <paramref name="builder"/> until its budget ends or Ctrl+C; returns the process exit code.</summary>
    public static async Task<int> RunAsync(EvolutionBuilder builder, SampleOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        builder.OnEvent(Print);
        try
        {
            var result = await builder.RunAsync(cancel.Token).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"stopped: {result.StopReason} after {result.CompletedEvaluations} evaluations ({result.Proposals} proposals, {result.InputTokens + result.OutputTokens} tokens, cost {result.Cost:F4})"));
            foreach (var island in result.Islands)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"island {island.Island}: {island.Evaluations} evaluations, {island.CorrectPrograms} correct programs, best {Format(island.BestScore)}"));
            }

            foreach (var model in result.Models)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"model {model.Model}: {model.Proposals} proposals ({model.FailedProposals} failed), {model.Improvements} improvements"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"initial score: {Format(result.InitialScore)}"));
            Console.WriteLine($"run folder: {result.RunFolder} (best program in best/)");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best: {Format(result.BestScore)}"));
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine($"cancelled; resume by running the same command with --out {options.OutputFolder}");
            return 130;
        }
    }

    private static void Print(EvolutionEvent e)
    {
        switch (e)
        {
            case RunStarted started:
                Console.WriteLine(started.Resumed
                    ? $"resuming {started.RunFolder} ({started.CompletedEvaluations} evaluations done)"
                    : $"run folder: {started.RunFolder}");
                break;
            case RunNotice notice:
                Console.WriteLine($"note: {notice.Message}");
                break;
            case CandidateEvaluated evaluated:
                var c = evaluated.Candidate;
                var outcome = c.Evaluation!.IsSuccess ? Format(c.Score) + (c.IsCorrect ? string.Empty : " (incorrect)") : c.Evaluation.Status.ToString();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{evaluated.CompletedEvaluations,4}] #{c.Id} island {c.Island} {c.Mutation,-20} {outcome}{(evaluated.IsNewBest ? "  ← new best" : string.Empty)}"));
                break;
            case MigrationCompleted migration:
                Console.WriteLine($"       migration {migration.FromIsland} → {migration.ToIsland}: {string.Join(", ", migration.CandidateIds.Select(id => "#" + id))}");
                break;
        }
    }

    private static string Format(double score) =>
        double.IsFinite(score) ? score.ToString("F6", CultureInfo.InvariantCulture) : "none";
}
