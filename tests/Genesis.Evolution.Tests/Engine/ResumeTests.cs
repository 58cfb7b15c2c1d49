using System.Globalization;
using Genesis.Testing;

namespace Genesis.Tests.Engine;

public sealed class ResumeTests
{
    [Fact]
    public async Task A_cancelled_run_resumes_from_its_folder_and_counts_completed_work()
    {
        using var folder = new TempRunFolder();
        using var cancel = new CancellationTokenSource();
        var seen = 0;
        var first = Evolution.For<QuadraticTask>()
            .WithBudget(maxEvaluations: 30)
            .WithRunFolder(folder.Path)
            .OnEvent(e =>
            {
                if (e is CandidateEvaluated && Interlocked.Increment(ref seen) == 12)
                {
                    cancel.Cancel();
                }
            });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(cancel.Token));
        var before = Snapshot(folder.Path);
        Assert.InRange(before.Count, 12, 29);

        var events = new List<EvolutionEvent>();
        var result = await Evolution.Resume(folder.Path).OnEvent(events.Add).RunAsync();

        Assert.Equal(30, result.CompletedEvaluations);
        Assert.Equal(30, RunDatabaseReader.Scalar(folder.Path, "SELECT COUNT(*) FROM candidates WHERE status = 'Evaluated'"));
        var started = Assert.IsType<RunStarted>(events[0]);
        Assert.True(started.Resumed);
        Assert.Equal(before.Count, started.CompletedEvaluations);
        var after = Snapshot(folder.Path);
        foreach (var (id, row) in before)
        {
            Assert.Equal(row, after[id]);
        }
    }

    [Fact]
    public async Task A_run_killed_with_SIGKILL_resumes_without_losing_an_evaluated_candidate()
    {
        using var folder = new TempRunFolder();
        var sample = SampleProcess.Assembly("CirclePacking");
        var arguments = new[] { sample, "--evaluations", "80", "--out", folder.Path, "--seed", "3" };

        using (var victim = SampleProcess.Start(arguments))
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (CountEvaluated(folder.Path) < 6)
            {
                if (victim.HasExited)
                {
                    Assert.Fail("the sample ended before it could be killed: " + await victim.StandardOutput.ReadToEndAsync());
                }

                Assert.True(DateTime.UtcNow < deadline, "the sample made no progress");
                await Task.Delay(20);
            }

            victim.Kill(entireProcessTree: true); // SIGKILL on Linux: no chance to flush or clean up.
            await victim.WaitForExitAsync();
        }

        var before = Snapshot(folder.Path);
        Assert.InRange(before.Count, 6, 79);

        using var resumed = SampleProcess.Start(arguments);
        var output = await resumed.StandardOutput.ReadToEndAsync();
        await resumed.WaitForExitAsync();
        Assert.True(resumed.ExitCode == 0, output + await resumed.StandardError.ReadToEndAsync());
        Assert.Contains("resuming", output, StringComparison.Ordinal);
        Assert.StartsWith("best: ", output.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);

        Assert.Equal(80, CountEvaluated(folder.Path));
        Assert.Equal(0, RunDatabaseReader.Scalar(folder.Path, "SELECT COUNT(*) FROM candidates WHERE status = 'Pending'"));
        var after = Snapshot(folder.Path);
        foreach (var (id, row) in before)
        {
            Assert.Equal(row, after[id]);
        }
    }

    private static Dictionary<long, string> Snapshot(string runFolder) =>
        RunDatabaseReader.Query(runFolder, "SELECT id, code, eval_status, score FROM candidates WHERE status = 'Evaluated'")
            .ToDictionary(r => (long)r["id"]!, r => $"{r["code"]}|{r["eval_status"]}|{Convert.ToString(r["score"], CultureInfo.InvariantCulture)}");

    private static long CountEvaluated(string runFolder)
    {
        if (!File.Exists(Path.Combine(runFolder, "genesis.db")))
        {
            return 0;
        }

        try
        {
            return RunDatabaseReader.Scalar(runFolder, "SELECT COUNT(*) FROM candidates WHERE status = 'Evaluated'");
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return 0; // The schema is being created.
        }
    }
}
