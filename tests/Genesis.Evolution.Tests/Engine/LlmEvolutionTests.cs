using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Genesis.Llm;
using Genesis.Testing;

namespace Genesis.Tests.Engine;

/// <summary>Whole evolutions against a real OpenAI-compatible HTTP server on 127.0.0.1, through the real client.</summary>
public sealed partial class LlmEvolutionTests
{
    private const string Model = "genesis-test-model";
    private const string ApiKey = "sk-genesis-test-secret-123";
    private static int _calls;

    [Fact]
    public async Task An_evolution_survives_429s_timeouts_and_bad_answers_and_the_database_tells_the_story()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Enqueue(
            ScriptedReply.Status(429, retryAfterSeconds: 0),
            ScriptedReply.Completion("I will change y.\n<<<<<<< SEARCH\ny = 3\n=======\ny = 4\n>>>>>>> REPLACE\n", promptTokens: 100, completionTokens: 20),
            ScriptedReply.Delay(TimeSpan.FromSeconds(5), ScriptedReply.Completion("too late")),
            ScriptedReply.Completion(string.Empty, promptTokens: 100, completionTokens: 0),
            ScriptedReply.Completion("<<<<<<< SEARCH\nx = 0.5\n=======\nx = 0.", finishReason: "length", promptTokens: 100, completionTokens: 50),
            ScriptedReply.Status(500, "upstream exploded"));
        server.Responder = request => ImproveX(request);

        using var folder = new TempRunFolder();
        var client = GenesisLlm.Create(server.BaseUri, Model, ApiKey, new LlmClientOptions
        {
            Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20), AttemptTimeout = TimeSpan.FromSeconds(1) },
        });
        var result = await Evolution.For<QuadraticTask>()
            .WithLlm(client, price: new ModelPrice(1.0, 2.0))
            .WithMutationMix(diff: 1, fullRewrite: 0, crossover: 0)
            .WithConcurrency(1, 1)
            .WithSeed(11)
            .WithBudget(maxEvaluations: 12)
            .WithRunFolder(folder.Path)
            .RunAsync();

        Assert.True(result.StopReason == StopReason.EvaluationBudget, Failures(folder.Path));
        Assert.Equal(12, result.CompletedEvaluations);
        Assert.True(result.BestScore > result.InitialScore);

        // The unmatched SEARCH and the empty answer were each sent back as a retry turn with the reason; the truncated
        // third answer used the last retry, so the proposal failed with that reason on record.
        var retryTurns = server.Requests.Where(r => r.Messages.Count > 2).Select(r => r.Messages[^1].Content).ToList();
        Assert.Contains(retryTurns, t => t.Contains("could not be applied", StringComparison.Ordinal) && t.Contains("y = 3", StringComparison.Ordinal));
        Assert.Contains(retryTurns, t => t.Contains("empty", StringComparison.OrdinalIgnoreCase));
        var failure = Assert.Single(RunDatabaseReader.Query(folder.Path, "SELECT error FROM candidates WHERE status = 'MutationFailed'"));
        Assert.Contains("truncated", (string)failure["error"]!, StringComparison.OrdinalIgnoreCase);

        // Every evaluated child records its model, tokens and cost; the bandit state is stored for a resume.
        var children = RunDatabaseReader.Query(folder.Path, "SELECT model, input_tokens, output_tokens, cost, diff FROM candidates WHERE status = 'Evaluated' AND mutation = 'Diff'");
        Assert.Equal(11, children.Count);
        Assert.All(children, c =>
        {
            Assert.Equal(Model, c["model"]);
            Assert.True((long)c["input_tokens"]! > 0);
            Assert.True((double)c["cost"]! > 0);
            Assert.Contains("<<<<<<< SEARCH", (string)c["diff"]!, StringComparison.Ordinal);
        });
        Assert.Single(RunDatabaseReader.Query(folder.Path, "SELECT value FROM meta WHERE key = 'bandit_state'"));
        var tokens = RunDatabaseReader.Scalar(folder.Path, "SELECT SUM(input_tokens + output_tokens) FROM candidates");
        Assert.Equal(result.InputTokens + result.OutputTokens, tokens);
        Assert.Equal(Model, Assert.Single(result.Models).Model);

        // The key went to the server as a bearer token and nowhere else.
        Assert.All(server.Requests, r => Assert.Equal("Bearer " + ApiKey, r.Authorization));
        Assert.DoesNotContain(ApiKey, Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(folder.Path, "genesis.db"))), StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, File.ReadAllText(Path.Combine(folder.Path, "events.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_diff_is_recorded_with_its_reason_and_shown_in_the_next_prompt()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        // Three wrong answers in a row exhaust the retries (1 + 2) of the first proposal.
        for (var i = 0; i < 3; i++)
        {
            server.Enqueue(ScriptedReply.Completion("<<<<<<< SEARCH\nz = 1\n=======\nz = 2\n>>>>>>> REPLACE\n", promptTokens: 10, completionTokens: 10));
        }

        server.Responder = request => ImproveX(request);
        using var folder = new TempRunFolder();
        var result = await Evolution.For<QuadraticTask>()
            .WithLlm(GenesisLlm.Create(server.BaseUri, Model))
            .WithMutationMix(1, 0, 0)
            .WithIslands(1)
            .WithConcurrency(1, 1)
            .WithBudget(maxEvaluations: 3)
            .WithRunFolder(folder.Path)
            .RunAsync();

        Assert.True(result.Models[0].FailedProposals == 1, Failures(folder.Path));
        var failed = Assert.Single(RunDatabaseReader.Query(folder.Path, "SELECT error, input_tokens FROM candidates WHERE status = 'MutationFailed'"));
        Assert.Contains("z = 1", (string)failed["error"]!, StringComparison.Ordinal);
        Assert.Equal(30L, failed["input_tokens"]);
        Assert.Equal(1, result.Models[0].FailedProposals);

        // The proposal after the failure tells the model what went wrong before.
        var next = server.Requests[3].LastUserMessage;
        Assert.Contains("Recent failures", next, StringComparison.Ordinal);
        Assert.Contains("z = 1", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Full_rewrites_and_crossovers_are_spliced_into_the_blocks()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Responder = request =>
        {
            var x = CurrentX(request) + 0.25;
            var code = $"import math\n# EVOLVE-BLOCK-START\nx = {x.ToString("R", CultureInfo.InvariantCulture)}\n# EVOLVE-BLOCK-END\nprint(x)\n";
            return ScriptedReply.Completion($"A bolder x.\n```python\n{code}```\n", promptTokens: 50, completionTokens: 30);
        };
        using var folder = new TempRunFolder();
        var result = await Evolution.For<QuadraticTask>()
            .WithLlm(GenesisLlm.Create(server.BaseUri, Model))
            .WithMutationMix(diff: 0, fullRewrite: 0.5, crossover: 0.5)
            .WithBudget(maxEvaluations: 10)
            .WithRunFolder(folder.Path)
            .RunAsync();

        Assert.True(result.BestScore > result.InitialScore);
        var kinds = RunDatabaseReader.Query(folder.Path, "SELECT DISTINCT mutation FROM candidates WHERE status = 'Evaluated' AND mutation <> 'Initial'").Select(r => (string)r["mutation"]!).ToHashSet();
        Assert.Contains("FullRewrite", kinds);
        Assert.Contains("Crossover", kinds);
        Assert.All(RunDatabaseReader.Query(folder.Path, "SELECT code FROM candidates WHERE status = 'Evaluated'"), r =>
            Assert.EndsWith("# EVOLVE-BLOCK-END\nprint(x)\n", (string)r["code"]!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_token_budget_stops_a_run_cleanly()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Responder = request => ImproveX(request);
        using var folder = new TempRunFolder();
        var result = await Evolution.For<QuadraticTask>()
            .WithLlm(GenesisLlm.Create(server.BaseUri, Model))
            .WithConcurrency(1, 1)
            .WithMutationMix(1, 0, 0)
            .WithBudget(maxEvaluations: 1000, maxTokens: 600)
            .WithRunFolder(folder.Path)
            .RunAsync();

        Assert.Equal(StopReason.TokenBudget, result.StopReason);
        Assert.InRange(result.InputTokens + result.OutputTokens, 600, 600 + 150);
        Assert.Equal(0, RunDatabaseReader.Scalar(folder.Path, "SELECT COUNT(*) FROM candidates WHERE status = 'Pending'"));
    }

    [Fact]
    public async Task The_cost_budget_stops_a_run_cleanly()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Responder = request => ImproveX(request);
        using var folder = new TempRunFolder();
        var result = await Evolution.For<QuadraticTask>()
            .WithLlm(GenesisLlm.Create(server.BaseUri, Model), price: new ModelPrice(1000, 1000))
            .WithConcurrency(1, 1)
            .WithMutationMix(1, 0, 0)
            .WithBudget(maxCost: 0.5)
            .WithRunFolder(folder.Path)
            .RunAsync();

        Assert.Equal(StopReason.CostBudget, result.StopReason);
        Assert.True(result.Cost >= 0.5);
        Assert.True(result.Cost < 0.5 + 0.15);
    }

    [Fact]
    public async Task Several_models_share_the_work_and_the_bandit_favours_the_one_that_improves()
    {
        await using var good = await ScriptedOpenAiServer.StartAsync();
        await using var bad = await ScriptedOpenAiServer.StartAsync();
        good.Responder = request => ImproveX(request);
        bad.Responder = _ => ScriptedReply.Completion("<<<<<<< SEARCH\nnothing here\n=======\nstill nothing\n>>>>>>> REPLACE\n", promptTokens: 10, completionTokens: 10);
        using var folder = new TempRunFolder();
        var result = await Evolution.For<QuadraticTask>()
            .WithLlm(GenesisLlm.Create(good.BaseUri, Model), name: "good")
            .WithLlm(GenesisLlm.Create(bad.BaseUri, Model), name: "bad")
            .WithMutationMix(1, 0, 0)
            .WithMaxPatchRetries(0)
            .WithConcurrency(1, 1)
            .WithSeed(4)
            .WithBudget(maxEvaluations: 25)
            .WithRunFolder(folder.Path)
            .RunAsync();

        var goodStats = result.Models.Single(m => m.Model == "good");
        var badStats = result.Models.Single(m => m.Model == "bad");
        Assert.True(badStats.Proposals >= 1, "every arm is tried");
        Assert.Equal(badStats.Proposals, badStats.FailedProposals);
        Assert.True(goodStats.Proposals > badStats.Proposals, $"good {goodStats.Proposals} vs bad {badStats.Proposals}");
    }

    private static string Failures(string runFolder) =>
        string.Join("\n---\n", RunDatabaseReader.Query(runFolder, "SELECT id, parent_id, status, error FROM candidates WHERE status <> 'Evaluated'")
            .Select(r => $"#{r["id"]} parent {r["parent_id"]} {r["status"]}: {r["error"]}"));

    /// <summary>Answers with a valid diff that moves the current program's x toward 2.</summary>
    internal static ScriptedReply ImproveX(RecordedRequest request)
    {
        // Like a model sampled at a temperature, the step varies from call to call, so answers are rarely duplicates.
        var call = Interlocked.Increment(ref _calls);
        var current = CurrentX(request);
        var next = current + (Math.Clamp(2.0 - current, -0.3, 0.3) * (0.5 + ((call % 10) / 20.0))) + (call * 1e-6);
        var oldLine = "x = " + current.ToString("R", CultureInfo.InvariantCulture);
        var newLine = "x = " + next.ToString("R", CultureInfo.InvariantCulture);
        return ScriptedReply.Completion($"Move x toward the optimum.\n<<<<<<< SEARCH\n{oldLine}\n=======\n{newLine}\n>>>>>>> REPLACE\n", promptTokens: 120, completionTokens: 40);
    }

    private static double CurrentX(RecordedRequest request)
    {
        // The first program in the prompt is the parent.
        var user = request.Messages.First(m => m.Role == "user").Content;
        var match = XLine().Match(user);
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^x = ([-+0-9.eE]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex XLine();
}
