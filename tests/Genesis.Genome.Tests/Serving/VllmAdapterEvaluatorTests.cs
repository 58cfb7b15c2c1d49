using System.Net;
using Genesis.Adapters;
using Genesis.Datasets;
using Genesis.Lora;
using Genesis.Scoring;
using Genesis.Serving;
using Genesis.Tensors;
using Genesis.Testing;

namespace Genesis.GenomeTests.Serving;

public sealed class VllmAdapterEvaluatorTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("genesis-vllm-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task A_child_is_saved_loaded_evaluated_by_name_and_unloaded()
    {
        await using var fake = await FakeVllmServer.StartAsync();
        using var evaluator = Evaluator(fake, maxLoras: 1, samples: 3);

        var report = await evaluator.EvaluateAsync(Adapter("child/1"), EvaluationSplit.Validation, CancellationToken.None);

        Assert.Equal(1.0, report.Value);
        var log = fake.Log;
        Assert.Equal(5, log.Count);
        string name = log[0].Name;
        Assert.StartsWith("child_1-", name, StringComparison.Ordinal);
        Assert.Equal(["load", "chat", "chat", "chat", "unload"], log.Select(l => l.Kind));
        Assert.All(log, l => Assert.Equal(name, l.Name));
        Assert.Empty(fake.Loaded);
        Assert.Empty(_root.GetFileSystemInfos());
        var chat = fake.Server.Requests.First(r => r.Path == "/v1/chat/completions");
        Assert.Equal(0.0, chat.Temperature);
        Assert.Equal(64, chat.MaxTokens);
        Assert.Equal(7, chat.Seed);
        Assert.Contains("\"load_inplace\":true", fake.Server.Requests.First(r => r.Path == "/v1/load_lora_adapter").RawJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_children_never_exceed_max_loras_and_each_is_in_order()
    {
        await using var fake = await FakeVllmServer.StartAsync();
        fake.ChatDelay = TimeSpan.FromMilliseconds(20);
        using var evaluator = Evaluator(fake, maxLoras: 2, samples: 2);

        var adapters = Enumerable.Range(0, 6).Select(i => Adapter($"c{i}")).ToList();
        var reports = await evaluator.EvaluateManyAsync(adapters, EvaluationSplit.Validation, CancellationToken.None);

        Assert.All(reports, r => Assert.Equal(1.0, r.Value));
        Assert.InRange(fake.MaxLoadedAtOnce, 1, 2);
        var byName = fake.Log.GroupBy(l => l.Name).ToList();
        Assert.Equal(6, byName.Count);
        Assert.All(byName, g => Assert.Equal(["load", "chat", "chat", "unload"], g.Select(l => l.Kind)));
        Assert.Empty(fake.Loaded);

        // The blocking interface is bounded by the same slots.
        await Task.WhenAll(adapters.Select(a => evaluator.EvaluateAsync(a, EvaluationSplit.Test)));
        Assert.InRange(fake.MaxLoadedAtOnce, 1, 2);
    }

    [Fact]
    public async Task A_folder_the_server_rejects_is_reported_with_its_reason_and_the_adapter_name()
    {
        await using var fake = await FakeVllmServer.StartAsync();
        var elsewhere = Directory.CreateDirectory(Path.Combine(_root.FullName, "server-view"));
        using var evaluator = Evaluator(fake, maxLoras: 1, samples: 1, serverRoot: elsewhere.FullName);

        var ex = await Assert.ThrowsAsync<VllmRequestException>(() => evaluator.EvaluateAsync(Adapter("bad"), EvaluationSplit.Validation, CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.StartsWith("bad-", ex.AdapterName, StringComparison.Ordinal);
        Assert.Contains(ex.AdapterName, ex.Message, StringComparison.Ordinal);
        Assert.Contains("No adapter found", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["load"], fake.Log.Select(l => l.Kind));
        Assert.Equal(["server-view"], _root.GetFileSystemInfos().Select(f => f.Name));

        // A folder whose files do not parse.
        var broken = Directory.CreateDirectory(Path.Combine(_root.FullName, "broken"));
        await File.WriteAllTextAsync(Path.Combine(broken.FullName, LoraAdapter.ConfigFileName), "{ not json", CancellationToken.None);
        await File.WriteAllBytesAsync(Path.Combine(broken.FullName, LoraAdapter.WeightsFileName), [1, 2, 3], CancellationToken.None);
        var parse = await Assert.ThrowsAsync<VllmRequestException>(() => evaluator.Client.LoadAdapterAsync("broken", broken.FullName, CancellationToken.None));
        Assert.Equal(HttpStatusCode.BadRequest, parse.StatusCode);
        Assert.Contains("Loading lora broken failed", parse.Message, StringComparison.Ordinal);

        // Chats for an adapter that is not loaded are refused.
        var missing = await Assert.ThrowsAsync<VllmRequestException>(() => evaluator.Client.CompleteAsync("ghost", "hi", CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Throttling_and_unavailability_are_retried()
    {
        await using var fake = await FakeVllmServer.StartAsync();
        fake.Server.Enqueue(ScriptedReply.Status(429, "{\"error\":{\"message\":\"slow down\"}}"), ScriptedReply.Status(503, "{\"message\":\"busy\"}"));
        using var evaluator = Evaluator(fake, maxLoras: 1, samples: 2);

        var report = await evaluator.EvaluateAsync(Adapter("retry"), EvaluationSplit.Validation, CancellationToken.None);

        Assert.Equal(1.0, report.Value);
        Assert.Equal(4, fake.Server.Requests.Count(r => r.Path == "/v1/chat/completions"));
        Assert.Empty(fake.Loaded);
    }

    [Fact]
    public async Task Retries_give_up_with_the_last_reason()
    {
        await using var fake = await FakeVllmServer.StartAsync();
        fake.Server.Enqueue(Enumerable.Repeat(ScriptedReply.Status(503, "{\"message\":\"busy\"}"), 10).ToArray());
        using var evaluator = Evaluator(fake, maxLoras: 1, samples: 1);

        var ex = await Assert.ThrowsAsync<VllmRequestException>(() => evaluator.EvaluateAsync(Adapter("down"), EvaluationSplit.Validation, CancellationToken.None));

        Assert.Contains("busy", ex.Message, StringComparison.Ordinal);
        Assert.Contains("3 attempts", ex.Message, StringComparison.Ordinal);
        Assert.Equal("unload", fake.Log[^1].Kind);
        Assert.Empty(fake.Loaded);
    }

    [Fact]
    public async Task Cancellation_still_unloads_and_deletes_the_folder()
    {
        await using var fake = await FakeVllmServer.StartAsync();
        fake.ChatDelay = TimeSpan.FromMinutes(5);
        using var evaluator = Evaluator(fake, maxLoras: 1, samples: 2);
        using var cts = new CancellationTokenSource();

        var run = evaluator.EvaluateAsync(Adapter("cancelled"), EvaluationSplit.Validation, cts.Token);
        await fake.ChatSeen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal("unload", fake.Log[^1].Kind);
        Assert.Empty(fake.Loaded);
        Assert.Empty(_root.GetFileSystemInfos());
    }

    [Fact]
    public void Options_are_validated_with_the_option_name()
    {
        var ok = new VllmOptions { BaseUrl = new Uri("http://127.0.0.1:8000"), AdapterRoot = _root.FullName };
        ok.Validate();
        Assert.Contains("MaxLoras", Assert.Throws<ArgumentException>(() => OptionsWith(maxLoras: 0).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("DType", Assert.Throws<ArgumentException>(() => new VllmOptions { BaseUrl = ok.BaseUrl, AdapterRoot = ok.AdapterRoot, DType = SafetensorsDType.F16 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("BaseUrl", Assert.Throws<ArgumentException>(() => new VllmOptions { BaseUrl = new Uri("ftp://x"), AdapterRoot = ok.AdapterRoot }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("RequestTimeout", Assert.Throws<ArgumentException>(() => new VllmOptions { BaseUrl = ok.BaseUrl, AdapterRoot = ok.AdapterRoot, RequestTimeout = TimeSpan.Zero }.Validate()).Message, StringComparison.Ordinal);
    }

    private static VllmOptions OptionsWith(int maxLoras) =>
        new() { BaseUrl = new Uri("http://127.0.0.1:8000"), AdapterRoot = "x", MaxLoras = maxLoras };

    private VllmAdapterEvaluator Evaluator(FakeVllmServer fake, int maxLoras, int samples, string? serverRoot = null)
    {
        var options = new VllmOptions
        {
            BaseUrl = fake.Server.BaseUri,
            AdapterRoot = _root.FullName,
            ServerAdapterRoot = serverRoot,
            MaxLoras = maxLoras,
            MaxConcurrentRequests = 1,
            MaxRetries = 2,
            InitialBackoff = TimeSpan.FromMilliseconds(1),
            RequestTimeout = TimeSpan.FromSeconds(30),
            MaxTokens = 64,
            Seed = 7,
            LoadInplace = true,
        };
        var sampleList = Enumerable.Range(0, samples).Select(i => new TaskSample { Id = $"s{i}", Prompt = $"question {i}" }).ToList();
        var task = new FitnessTask { Name = "echo", Samples = sampleList, Scorer = new EchoScorer() };
        return new VllmAdapterEvaluator(options, [task]);
    }

    private static LoraAdapter Adapter(string name) =>
        LoraAdapter.FromMatrices(name, LoraAdapterConfig.ForModules(["m.q_proj"], 2, 4), [(new LoraModuleShape("m.q_proj", 2, 3, 4), [1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12, 13, 14])]);

    private sealed class EchoScorer : ITaskScorer
    {
        public ValueTask<SampleScore> ScoreAsync(TaskSample sample, string modelOutput, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new SampleScore
            {
                Score = modelOutput == "answer: " + sample.Prompt ? 1 : 0,
                Reason = modelOutput,
            });
    }
}
