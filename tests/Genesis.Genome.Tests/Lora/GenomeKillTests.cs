using Genesis.Testing;
using Microsoft.Data.Sqlite;

namespace Genesis.GenomeTests.Lora;

/// <summary>The LoraEvolution sample killed with SIGKILL in the middle of a GENOME run resumes to the same table.</summary>
public sealed class GenomeKillTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "genesis-genome-kill-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_sample_killed_mid_run_resumes_to_the_table_of_an_uninterrupted_run()
    {
        var sample = SampleProcess.Assembly("LoraEvolution");
        string[] Arguments(string folder) => [sample, "--seeds", "1", "--evaluations", "1500", "--seed", "42", "--out", folder];

        var whole = Path.Combine(_root, "whole");
        var (code, output) = await SampleProcess.RunAsync(Arguments(whole));
        Assert.True(code == 0, output);

        var killed = Path.Combine(_root, "killed");
        var database = Path.Combine(killed, "seed-42", "genome", "genome.db");
        using (var victim = SampleProcess.Start(Arguments(killed)))
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            // Watch the member folders rather than the database, so the watcher never contends for SQLite's locks:
            // a folder of generation 3 or later means the run is well under way.
            while (LatestMemberGeneration(Path.Combine(killed, "seed-42", "genome", "members")) < 3)
            {
                if (victim.HasExited)
                {
                    Assert.Fail("the sample ended before it could be killed: " + await victim.StandardOutput.ReadToEndAsync());
                }

                Assert.True(DateTime.UtcNow < deadline, "the sample made no progress");
                await Task.Delay(10);
            }

            victim.Kill(entireProcessTree: true); // SIGKILL on Linux: no chance to flush or clean up.
            await victim.WaitForExitAsync();
        }

        Assert.Null(Scalar(database, "SELECT value FROM meta WHERE key = 'final'"));
        Assert.InRange((long)Scalar(database, "SELECT COUNT(*) FROM checkpoints")!, 1, 249);
        (code, output) = await SampleProcess.RunAsync(Arguments(killed));
        Assert.True(code == 0, output);
        Assert.StartsWith("best: ", output.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(whole, "results.md")), await File.ReadAllTextAsync(Path.Combine(killed, "results.md")));
        Assert.NotNull(Scalar(database, "SELECT value FROM meta WHERE key = 'final'"));
    }

    private static int LatestMemberGeneration(string members) =>
        !Directory.Exists(members) ? -1 : Directory.EnumerateDirectories(members, "m*-g*")
            .Select(d => Path.GetFileName(d))
            .Select(n => int.TryParse(n[(n.LastIndexOf("-g", StringComparison.Ordinal) + 2)..], System.Globalization.CultureInfo.InvariantCulture, out var g) ? g : -1)
            .DefaultIfEmpty(-1)
            .Max();

    private static object? Scalar(string database, string sql)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return command.ExecuteScalar();
        }
        catch (SqliteException ex)
        {
            throw new InvalidOperationException($"{database}: {ex.Message}", ex);
        }
    }
}
