using System.Text.Json.Nodes;
using Genesis.Adapters;
using Genesis.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Genesis.GenomeTests.Serving;

/// <summary>A <see cref="ScriptedOpenAiServer"/> with vLLM's dynamic LoRA endpoints; it validates folders as vLLM would.</summary>
internal sealed class FakeVllmServer : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly HashSet<string> _loaded = new(StringComparer.Ordinal);
    private readonly List<(string Kind, string Name)> _log = [];

    private FakeVllmServer()
    {
    }

    public ScriptedOpenAiServer Server { get; private set; } = null!;

    public int MaxLoadedAtOnce { get; private set; }

    public TimeSpan ChatDelay { get; set; } = TimeSpan.Zero;

    public TaskCompletionSource ChatSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The requests in arrival order: ("load" | "unload" | "chat", adapter name).</summary>
    public IReadOnlyList<(string Kind, string Name)> Log
    {
        get
        {
            lock (_gate)
            {
                return [.. _log];
            }
        }
    }

    public IReadOnlyCollection<string> Loaded
    {
        get
        {
            lock (_gate)
            {
                return [.. _loaded];
            }
        }
    }

    public static async Task<FakeVllmServer> StartAsync()
    {
        var fake = new FakeVllmServer();
        fake.Server = await ScriptedOpenAiServer.StartAsync(new ScriptedOpenAiServerOptions
        {
            Models = ["base-model"],
            MapEndpoints = (endpoints, server) =>
            {
                endpoints.MapPost("/v1/load_lora_adapter", (RequestDelegate)(ctx => fake.LoadAsync(ctx, server)));
                endpoints.MapPost("/v1/unload_lora_adapter", (RequestDelegate)(ctx => fake.UnloadAsync(ctx, server)));
            },
        });
        fake.Server.Responder = fake.Chat;
        return fake;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private static string Error(string message, int code) =>
        new JsonObject { ["object"] = "error", ["message"] = message, ["type"] = code == 404 ? "NotFoundError" : "BadRequestError", ["param"] = null, ["code"] = code }.ToJsonString();

    private static async Task WriteAsync(HttpContext ctx, int status, string body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = status == 200 ? "text/plain" : "application/json";
        await ctx.Response.WriteAsync(body);
    }

    private ScriptedReply Chat(RecordedRequest request)
    {
        string model = request.Model ?? string.Empty;
        lock (_gate)
        {
            _log.Add(("chat", model));
            if (!_loaded.Contains(model))
            {
                return ScriptedReply.Status(404, Error($"The model `{model}` does not exist.", 404));
            }
        }

        ChatSeen.TrySetResult();
        var reply = ScriptedReply.Completion("answer: " + request.LastUserMessage);
        return ChatDelay > TimeSpan.Zero ? ScriptedReply.Delay(ChatDelay, reply) : reply;
    }

    private async Task LoadAsync(HttpContext ctx, ScriptedOpenAiServer server)
    {
        var recorded = await server.RecordAsync(ctx.Request);
        var body = recorded is null ? null : JsonNode.Parse(recorded.RawJson);
        string? name = body?["lora_name"]?.GetValue<string>();
        string? path = body?["lora_path"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(path))
        {
            await WriteAsync(ctx, 400, Error("Both 'lora_name' and 'lora_path' must be provided.", 400));
            return;
        }

        string? problem = null;
        if (!File.Exists(Path.Combine(path, LoraAdapter.ConfigFileName)) || !File.Exists(Path.Combine(path, LoraAdapter.WeightsFileName)))
        {
            problem = $"Loading lora {name} failed: No adapter found for {path}";
        }
        else
        {
            try
            {
                LoraAdapter.Load(path, name);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                problem = $"Loading lora {name} failed: {ex.Message}";
            }
        }

        lock (_gate)
        {
            _log.Add(("load", name));
            if (problem is null && !_loaded.Add(name) && body?["load_inplace"]?.GetValue<bool>() != true)
            {
                problem = $"The lora adapter '{name}' has already been loaded.";
            }

            MaxLoadedAtOnce = Math.Max(MaxLoadedAtOnce, _loaded.Count);
        }

        await WriteAsync(ctx, problem is null ? 200 : 400, problem is null ? $"Success: LoRA adapter '{name}' added successfully." : Error(problem, 400));
    }

    private async Task UnloadAsync(HttpContext ctx, ScriptedOpenAiServer server)
    {
        var recorded = await server.RecordAsync(ctx.Request);
        string? name = recorded is null ? null : JsonNode.Parse(recorded.RawJson)?["lora_name"]?.GetValue<string>();
        bool removed;
        lock (_gate)
        {
            _log.Add(("unload", name ?? string.Empty));
            removed = name is not null && _loaded.Remove(name);
        }

        await WriteAsync(ctx, removed ? 200 : 404, removed ? $"Success: LoRA adapter '{name}' removed successfully." : Error($"The lora adapter '{name}' cannot be found.", 404));
    }
}
