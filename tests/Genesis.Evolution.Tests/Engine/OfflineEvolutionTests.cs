using System.Text.Json;

namespace Genesis.Tests.Engine;

public sealed class OfflineEvolutionTests
{
    [Fact]
    public async Task Offline_mutators_improve_on_the_initial_program_and_every_candidate_is_stored()
    {
        using var folder = new TempRunFolder();
        var events = new List<EvolutionEvent>();
        var result = await Evolution.For<QuadraticTask>()
            .WithIslands(2, migrationInterval: 3)
            .WithSeed(1)
            .WithBudget(maxEvaluations: 40)
            .WithRunFolder(folder.Path)
            .OnEvent(e => { lock (events) { events.Add(e); } })
            .RunAsync();

        Assert.Equal(StopReason.EvaluationBudget, result.StopReason);
        Assert.Equal(40, result.CompletedEvaluations);
        Assert.True(result.BestScore > result.InitialScore, $"best {result.BestScore} should beat the initial {result.InitialScore}");
        Assert.Equal(-1.25, result.InitialScore, 9);

        // The database holds exactly the evaluated candidates, each with its metrics, plus any rejected proposals.
        Assert.Equal(40, RunDatabaseReader.Scalar(folder.Path, "SELECT COUNT(*) FROM candidates WHERE status = 'Evaluated'"));
        Assert.Equal(0, RunDatabaseReader.Scalar(folder.Path, "SELECT COUNT(*) FROM candidates WHERE status = 'Pending'"));
        Assert.Equal(result.Proposals + 1, (int)RunDatabaseReader.Scalar(folder.Path, "SELECT COUNT(*) FROM candidates"));

        // Offline steps are small on purpose: the novelty filter screens only LLM proposals (exact duplicates are still rejected).
        Assert.Equal(0, RunDatabaseReader.Scalar(folder.Path, "SELECT COUNT(*) FROM candidates WHERE error LIKE 'Too similar%'"));
        var best = RunDatabaseReader.Query(folder.Path, "SELECT id, score, mutation, parent_id FROM candidates WHERE status = 'Evaluated' ORDER BY score DESC, id LIMIT 1")[0];
        Assert.Equal(result.Best!.Id, (long)best["id"]!);
        Assert.Equal(result.BestScore, (double)best["score"]!, 12);

        // Lineage runs from the initial program to the best.
        Assert.Equal(MutationKind.Initial, result.Lineage[0].Mutation);
        Assert.Equal(result.Best.Id, result.Lineage[^1].Id);
        for (var i = 1; i < result.Lineage.Count; i++)
        {
            Assert.Equal(result.Lineage[i - 1].Id, result.Lineage[i].ParentId);
        }

        // The offline notice is said once; the event log mirrors the events.
        Assert.Single(events.OfType<RunNotice>());
        Assert.IsType<RunCompleted>(events[^1]);
        var lines = File.ReadAllLines(Path.Combine(folder.Path, "events.jsonl"));
        Assert.Equal(events.Count, lines.Length);
        Assert.All(lines, line => JsonDocument.Parse(line).Dispose());
        Assert.DoesNotContain(lines, line => line.Contains("EVOLVE-BLOCK", StringComparison.Ordinal));

        // The best program is left in the run folder.
        Assert.Equal(result.BestProgram, File.ReadAllText(Path.Combine(folder.Path, "best", "main.py")));
        Assert.Contains(result.Models, m => m.Model == "offline" && m.Evaluated == 39);
    }

    [Fact]
    public async Task Every_island_gets_its_share_of_children_and_migrants_arrive()
    {
        using var folder = new TempRunFolder();
        var result = await Evolution.For<QuadraticTask>()
            .WithIslands(3, migrationInterval: 2, migrationRate: 0.5)
            .WithSeed(5)
            .WithBudget(maxEvaluations: 31)
            .WithRunFolder(folder.Path)
            .RunAsync();

        // OpenEvolve's most-reported bug was everything landing on island 0: proposals go round-robin over the islands,
        // and every island gets evaluated children.
        var proposals = RunDatabaseReader.Query(folder.Path, "SELECT island, COUNT(*) AS n FROM candidates WHERE mutation <> 'Initial' GROUP BY island ORDER BY island")
            .Select(row => (long)row["n"]!).ToList();
        Assert.Equal(3, proposals.Count);
        Assert.True(proposals.Max() - proposals.Min() <= 1, string.Join(", ", proposals));
        var births = RunDatabaseReader.Query(folder.Path, "SELECT island, COUNT(*) AS n FROM candidates WHERE mutation <> 'Initial' AND status = 'Evaluated' GROUP BY island ORDER BY island");
        Assert.Equal(3, births.Count);
        Assert.All(births, row => Assert.InRange((long)row["n"]!, 4, 20));

        var migrations = RunDatabaseReader.Query(folder.Path, "SELECT candidate_id, from_island, to_island FROM migrations");
        Assert.NotEmpty(migrations);
        Assert.All(migrations, m => Assert.Equal(((long)m["from_island"]! + 1) % 3, (long)m["to_island"]!));
        foreach (var m in migrations)
        {
            // Migrants are programs of their source island (born there or arrived earlier), never of the target.
            var born = RunDatabaseReader.Scalar(folder.Path, $"SELECT island FROM candidates WHERE id = {m["candidate_id"]}");
            Assert.NotEqual((long)m["to_island"]!, born);
        }

        Assert.All(result.Islands, island => Assert.True(island.Population > island.Evaluations, "each island holds the initial program and migrants besides its own children"));
    }

    [Fact]
    public async Task A_fixed_seed_with_one_proposer_and_one_evaluator_reproduces_the_run()
    {
        using var a = new TempRunFolder();
        using var b = new TempRunFolder();
        async Task<string[]> RunAsync(string path)
        {
            await Evolution.For<QuadraticTask>().WithSeed(9).WithConcurrency(1, 1).WithBudget(maxEvaluations: 15).WithRunFolder(path).RunAsync();
            return RunDatabaseReader.Query(path, "SELECT code FROM candidates ORDER BY id").Select(r => (string)r["code"]!).ToArray();
        }

        Assert.Equal(await RunAsync(a.Path), await RunAsync(b.Path));
    }

    [Fact]
    public async Task The_target_score_stops_the_run_early()
    {
        using var folder = new TempRunFolder();
        var result = await Evolution.For<QuadraticTask>()
            .WithSeed(3)
            .WithTargetScore(-1.0)
            .WithBudget(maxEvaluations: 500)
            .WithRunFolder(folder.Path)
            .RunAsync();

        Assert.Equal(StopReason.TargetReached, result.StopReason);
        Assert.True(result.BestScore >= -1.0);
        Assert.True(result.CompletedEvaluations < 500);
    }

    [Fact]
    public async Task The_wall_clock_budget_stops_the_run()
    {
        using var folder = new TempRunFolder();
        var task = new HostileEvaluatorTask((_, request) =>
        {
            Thread.Sleep(50);
            return QuadraticTask.Score(request.Code);
        });
        var result = await Evolution.For(task)
            .WithBudget(maxWallClock: TimeSpan.FromMilliseconds(400))
            .WithRunFolder(folder.Path)
            .RunAsync();

        Assert.Equal(StopReason.WallClockBudget, result.StopReason);
        Assert.Equal(0, RunDatabaseReader.Scalar(folder.Path, "SELECT COUNT(*) FROM candidates WHERE status = 'Pending'"));
    }

    [Fact]
    public async Task A_streaming_run_yields_every_event_and_then_the_result()
    {
        using var folder = new TempRunFolder();
        var run = Evolution.For<QuadraticTask>().WithBudget(maxEvaluations: 10).WithRunFolder(folder.Path).Start();
        var events = new List<EvolutionEvent>();
        await foreach (var e in run.Events())
        {
            events.Add(e);
        }

        var result = await run.Completion;
        Assert.IsType<RunStarted>(events[0]);
        Assert.IsType<RunCompleted>(events[^1]);
        Assert.Equal(10, events.OfType<CandidateEvaluated>().Count());
        Assert.Equal(10, result.CompletedEvaluations);
        Assert.Equal(Enumerable.Range(1, 10), events.OfType<CandidateEvaluated>().Select(e => e.CompletedEvaluations).Order());
    }

    [Fact]
    public async Task A_mutator_that_can_never_change_the_program_ends_the_run_with_NoProgress()
    {
        using var folder = new TempRunFolder();
        var task = new HostileEvaluatorTask((_, request) => QuadraticTask.Score(request.Code));
        var noNumbers = Evolution.For(new FixedProgramTask("# EVOLVE-BLOCK-START\nname = 'constant'\n# EVOLVE-BLOCK-END\n"))
            .WithBudget(maxEvaluations: 50)
            .WithMaxConsecutiveFailures(10)
            .WithRunFolder(folder.Path);
        var result = await noNumbers.RunAsync();

        Assert.Equal(StopReason.NoProgress, result.StopReason);
        Assert.Equal(1, result.CompletedEvaluations);
        var errors = RunDatabaseReader.Query(folder.Path, "SELECT error FROM candidates WHERE status = 'MutationFailed'");
        Assert.Equal(10, errors.Count);
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace((string?)e["error"])));
        _ = task;
    }

    private sealed class FixedProgramTask(string program) : IEvolutionTask
    {
        public ProgramLanguage Language => ProgramLanguage.Python;

        public string InitialProgram => program;

        public IEvaluator Evaluator => Evaluators.FromDelegate((_, _) => ValueTask.FromResult(EvaluationResult.Success(1)));
    }
}
